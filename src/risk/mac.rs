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
    // quad follows a `.`), else its last 17 (pairs); the pattern took
    // its twelve hex digits
    let dotted = m.len() >= 14 && m[m.len() - 5] == b'.';
    let Some(addr) = m
        .len()
        .checked_sub(if dotted { 14 } else { 17 })
        .map(|i| &m[i..])
    else {
        return false;
    };
    let sep = addr[if dotted { 4 } else { 2 }];
    let one_sep = addr.iter().all(|c| c.is_ascii_hexdigit() || *c == sep);
    let hex = || addr.iter().filter(|c| c.is_ascii_hexdigit());
    let blank = hex().all(|c| *c == b'0') || hex().all(|c| c.eq_ignore_ascii_case(&b'f'));
    let goes_on = b
        .get(end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b':' | b'-' | b'_'))
        || (b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_hexdigit));
    // the pattern's filler is lazy, so the address starts at the first
    // place one can: a pair before it would have started it (`MAC:`'s
    // `AC:` is the label, not a pair); only a letter or digit touching it
    // is left to rule out
    let before = start + m.len() - addr.len();
    let starts_apart = !before
        .checked_sub(1)
        .and_then(|i| b.get(i))
        .is_some_and(u8::is_ascii_alphanumeric);
    let lo = start.saturating_sub(48);
    let host = b
        .get(lo..start)
        .is_some_and(|r| names_a_host(&r.to_ascii_lowercase(), MACHINES));
    one_sep && !blank && !goes_on && starts_apart && !host
}
