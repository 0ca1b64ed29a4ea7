//! A network card's MAC address after a word naming it (`MAC:`, `my MAC
//! address is`, `hardware address`): an identifier of one person's device,
//! which Presidio and the GDPR's recital 30 treat as personal data. Alone
//! it is a line of a switch's table or a config, so the label is required
//! (the rule's pattern), and, as for an IP address, a host's (`the
//! server's MAC:`, `the NIC's MAC is`) does not count.

use super::ip_own::names_a_host;

/// Words for what has a MAC address and is a machine's, not a person's,
/// besides `ip_own`'s hosts.
const MACHINES: &[&[u8]] = &[b"nic", b"vm", b"interface", b"switch", b"port", b"eth0"];

/// Is the address that ends `text[start..end]` one: six hex pairs with one
/// separator (`:` or `-`), or Cisco's three dotted quads, standing apart,
/// and not the all-zero or broadcast address?
pub fn valid(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let Some(m) = b.get(start..end) else {
        return false;
    };
    // the address is the match's last 14 bytes when dotted (its last
    // quad follows a `.`), else its last 17 (pairs)
    let dotted = m.len() >= 14 && m[m.len() - 5] == b'.';
    let addr = match m.len() {
        _ if dotted => &m[m.len() - 14..],
        n if n >= 17 => &m[n - 17..],
        _ => return false,
    };
    let seps: Vec<u8> = addr
        .iter()
        .copied()
        .filter(|c| !c.is_ascii_hexdigit())
        .collect();
    let one_sep = seps.windows(2).all(|w| w[0] == w[1]);
    let hex: Vec<u8> = addr.iter().copied().filter(u8::is_ascii_hexdigit).collect();
    let blank = hex.iter().all(|c| *c == b'0') || hex.iter().all(|c| c.eq_ignore_ascii_case(&b'f'));
    let goes_on = b
        .get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'-' | b'_'))
        || (b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_hexdigit));
    let before = start + m.len() - addr.len();
    // a letter or digit before it, or a pair and a separator (`11:` of a
    // longer run of pairs); `MAC:` is the label, not a pair
    let at = |i: Option<usize>| i.and_then(|i| b.get(i));
    let sep_before = at(before.checked_sub(1)).is_some_and(|c| matches!(c, b':' | b'-' | b'.'));
    let pair_before = sep_before
        && b.get(before.saturating_sub(3)..before.saturating_sub(1))
            .is_some_and(|p| p.len() == 2 && p.iter().all(u8::is_ascii_hexdigit))
        && !at(before.checked_sub(4)).is_some_and(u8::is_ascii_alphanumeric);
    let starts_apart =
        !at(before.checked_sub(1)).is_some_and(u8::is_ascii_alphanumeric) && !pair_before;
    let lo = start.saturating_sub(48);
    let host = b
        .get(lo..start)
        .is_some_and(|r| names_a_host(&r.to_ascii_lowercase(), MACHINES));
    one_sep && hex.len() == 12 && !blank && !goes_on && starts_apart && !host
}
