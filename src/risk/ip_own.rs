//! A person's own IP address. The EU's courts hold that an IP address is
//! personal data when it can be tied to a subscriber (CJEU C-582/14,
//! Breyer; GDPR recital 30), and Presidio and detect-secrets report
//! public addresses as sensitive. An address in code, a config or a
//! document is a host's, not a person's, so only one introduced as the
//! writer's own (`my ip is …`, `my IPv6: …`) or under a prose label
//! (`IP address: …`) counts, and never one of the ranges that name no
//! subscriber: private and shared (RFC 1918, RFC 6598, RFC 4193; the
//! `company` pack's `private_ip` records the RFC 1918 ones), loopback,
//! link-local, multicast, reserved, and the documentation ranges
//! (RFC 5737, RFC 3849).

/// Is `text[start..end]` a public address introduced as someone's own?
pub fn valid(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let Some(m) = b.get(start..end) else {
        return false;
    };
    let word = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':');
    let goes_on = |i: usize| {
        b.get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
            || (matches!(b.get(i), Some(b'.' | b':'))
                && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
    };
    if start
        .checked_sub(1)
        .and_then(|i| b.get(i))
        .is_some_and(word)
        || goes_on(end)
    {
        return false;
    }
    // a sentence's full stop or a port after the address
    let m = m.strip_suffix(b".").unwrap_or(m);
    let addr = match v4_with_port(m) {
        Some(v4) => public_v4(v4),
        None => v6(m).is_some_and(|g| public_v6(&g)),
    };
    addr && introduced(b, start)
}

/// `a.b.c.d` or `a.b.c.d:port`: the four octets.
fn v4_with_port(m: &[u8]) -> Option<[u8; 4]> {
    let (host, port) = match memchr::memchr(b':', m) {
        Some(i) => (&m[..i], m.get(i + 1..)),
        None => (m, None),
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
    }
    v4(host)
}

fn v4(m: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = m.split(|&c| c == b'.');
    for o in out.iter_mut() {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = p.iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
        *o = u8::try_from(v).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// RFC 4291 text form: eight groups of 1-4 hex digits, one `::` standing
/// for one or more zero groups, the last two groups possibly a dotted
/// quad. The eight groups.
fn v6(m: &[u8]) -> Option<[u16; 8]> {
    let groups = |s: &[u8]| -> Option<Vec<u16>> {
        if s.is_empty() {
            return Some(Vec::new());
        }
        let parts: Vec<&[u8]> = s.split(|&c| c == b':').collect();
        let mut out = Vec::with_capacity(8);
        for (k, p) in parts.iter().enumerate() {
            if k + 1 == parts.len() && p.contains(&b'.') {
                let q = v4(p)?;
                out.push(u16::from_be_bytes([q[0], q[1]]));
                out.push(u16::from_be_bytes([q[2], q[3]]));
            } else if (1..=4).contains(&p.len()) && p.iter().all(u8::is_ascii_hexdigit) {
                let v = p
                    .iter()
                    .fold(0u32, |v, &c| v * 16 + (c as char).to_digit(16).unwrap_or(0));
                out.push(v as u16);
            } else {
                return None;
            }
        }
        Some(out)
    };
    let mut g = [0u16; 8];
    match memchr::memmem::find(m, b"::") {
        Some(i) => {
            let (head, tail) = (groups(&m[..i])?, groups(&m[i + 2..])?);
            if head.len() + tail.len() > 7 || memchr::memmem::find(&m[i + 1..], b"::").is_some() {
                return None;
            }
            g[..head.len()].copy_from_slice(&head);
            g[8 - tail.len()..].copy_from_slice(&tail);
        }
        None => {
            let all = groups(m)?;
            if all.len() != 8 {
                return None;
            }
            g.copy_from_slice(&all);
        }
    }
    Some(g)
}

/// A unicast address of the public internet (IANA special-purpose
/// registry): not `0/8`, `10/8`, `100.64/10`, `127/8`, `169.254/16`,
/// `172.16/12`, `192.0.0/24`, `192.0.2/24`, `192.168/16`, `198.18/15`,
/// `198.51.100/24`, `203.0.113/24`, `224/4` and above.
fn public_v4(a: [u8; 4]) -> bool {
    !matches!(
        a,
        [0 | 10 | 127, ..]
            | [100, 64..=127, ..]
            | [169, 254, ..]
            | [172, 16..=31, ..]
            | [192, 0, 0 | 2, _]
            | [192, 168, ..]
            | [198, 18 | 19, ..]
            | [198, 51, 100, _]
            | [203, 0, 113, _]
            | [224..=255, ..]
    )
}

/// Not a special-purpose IPv6 range: `::/8` (unspecified, loopback,
/// compatible), the discard prefix `100::/64`, the documentation prefix
/// `2001:db8::/32`, unique local `fc00::/7`, link-local `fe80::/10`,
/// multicast `ff00::/8`; an IPv4-mapped address (`::ffff:a.b.c.d`) by its
/// IPv4 address.
fn public_v6(g: &[u16; 8]) -> bool {
    if g[..5] == [0; 5] && g[5] == 0xffff {
        let [a, b] = g[6].to_be_bytes();
        let [c, d] = g[7].to_be_bytes();
        return public_v4([a, b, c, d]);
    }
    !(g[0] < 0x100
        || (g[0] == 0x100 && g[1..4] == [0; 3])
        || (g[0] == 0x2001 && g[1] == 0x0db8)
        || g[0] >= 0xfc00)
}

/// Words that make an address a machine's, not a person's.
const HOSTS: &[&[u8]] = &[
    b"server",
    b"host",
    b"gateway",
    b"dns",
    b"router",
    b"proxy",
    b"node",
    b"cluster",
    b"instance",
    b"database",
    b"db",
    b"api",
    b"endpoint",
    b"vm",
    b"pod",
    b"container",
    b"destination",
    b"target",
    b"remote",
    b"upstream",
    b"static",
    b"example",
];

/// The text before `start` introduces the address: `my ip is`, `my IPv6
/// address:`, or the label `IP address:` (with its noun and `:`; a bare
/// `ip:` is a config key), in the same sentence; not `server IP
/// address:`.
fn introduced(b: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(48);
    let Some(before) = b.get(lo..start) else {
        return false;
    };
    let before = before.to_ascii_lowercase();
    let mut t: &[u8] = &before;
    t = trim(t);
    let colon = t.last() == Some(&b':');
    if colon {
        t = trim(&t[..t.len() - 1]);
    }
    if let Some(r) = t.strip_suffix(b" is") {
        t = trim(r);
    }
    let mut noun = false;
    for n in [&b" address"[..], b" addr"] {
        if let Some(r) = t.strip_suffix(n) {
            t = r;
            noun = true;
            break;
        }
    }
    let Some(r) = [&b"ipv4"[..], b"ipv6", b"ip"]
        .iter()
        .find_map(|w| t.strip_suffix(*w))
    else {
        return false;
    };
    if r.last()
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
    {
        return false;
    }
    let words: Vec<&[u8]> = r
        .split(|c| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let last = words.iter().rev().take(3);
    let mine = last.clone().any(|w| matches!(*w, b"my" | b"our"));
    let host = words
        .iter()
        .rev()
        .take_while(|w| !matches!(**w, b"my" | b"our"))
        .take(3)
        .any(|w| HOSTS.contains(w));
    let in_sentence = !r.iter().rev().take(24).any(|c| matches!(c, b'\n' | b'?'));
    (mine || (colon && noun)) && !host && in_sentence
}

/// `t` without white space at its end.
fn trim(t: &[u8]) -> &[u8] {
    let n = t
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_whitespace())
        .count();
    &t[..t.len() - n]
}
