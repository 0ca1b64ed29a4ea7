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

use super::words_back::rev_words;

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

/// `a.b.c.d`, each octet 1-3 digits up to 255 (also `private_ip`'s check).
pub fn v4(m: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let (mut k, mut v, mut n) = (0usize, 0u32, 0usize);
    for &c in m.iter().chain(b".") {
        if c == b'.' {
            if n == 0 || k > 3 {
                return None;
            }
            out[k] = u8::try_from(v).ok()?;
            (k, v, n) = (k + 1, 0, 0);
        } else if c.is_ascii_digit() && n < 3 {
            (v, n) = (v * 10 + u32::from(c - b'0'), n + 1);
        } else {
            return None;
        }
    }
    (k == 4).then_some(out)
}

/// RFC 4291 text form: eight groups of 1-4 hex digits, one `::` standing
/// for one or more zero groups, the last two groups possibly a dotted
/// quad. The eight groups.
fn v6(m: &[u8]) -> Option<[u16; 8]> {
    // groups before and after `::` (or all of them), in one array
    let mut g = [0u16; 8];
    let (mut n, mut gap) = (0usize, None);
    let mut i = 0;
    if m.starts_with(b"::") {
        gap = Some(0);
        i = 2;
    }
    while i < m.len() {
        let len = m[i..].iter().take_while(|c| c.is_ascii_hexdigit()).count();
        let next = m.get(i + len);
        if next == Some(&b'.') {
            // the last 32 bits as a dotted quad
            let q = v4(&m[i..])?;
            if n > 6 {
                return None;
            }
            g[n] = u16::from_be_bytes([q[0], q[1]]);
            g[n + 1] = u16::from_be_bytes([q[2], q[3]]);
            n += 2;
            break;
        }
        if !(1..=4).contains(&len) || n > 7 {
            return None;
        }
        g[n] = m[i..i + len].iter().fold(0u16, |v, &c| {
            v << 4 | (c as char).to_digit(16).unwrap_or(0) as u16
        });
        n += 1;
        i += len;
        match (m.get(i), m.get(i + 1)) {
            (None, _) => break,
            (Some(b':'), Some(b':')) if gap.is_none() => {
                gap = Some(n);
                i += 2;
            }
            (Some(b':'), Some(_)) => i += 1,
            _ => return None,
        }
    }
    match gap {
        None if n == 8 => Some(g),
        Some(at) if n < 8 => {
            // move the groups after `::` to the end
            let tail = n - at;
            g.copy_within(at..n, 8 - tail);
            g[at..8 - tail].fill(0);
            Some(g)
        }
        _ => None,
    }
}

/// A unicast address of the public internet (IANA special-purpose
/// registry): not `0/8`, `10/8`, `100.64/10`, `127/8`, `169.254/16`,
/// `172.16/12`, `192.0.0/24`, `192.0.2/24`, `192.168/16`, `198.18/15`,
/// `198.51.100/24`, `203.0.113/24`, `224/4` and above; nor a public
/// resolver's address.
fn public_v4(a: [u8; 4]) -> bool {
    // (network, prefix length)
    const SPECIAL: [(u32, u32); 13] = [
        (0x0000_0000, 8),
        (0x0a00_0000, 8),
        (0x6440_0000, 10),
        (0x7f00_0000, 8),
        (0xa9fe_0000, 16),
        (0xac10_0000, 12),
        (0xc000_0000, 24),
        (0xc000_0200, 24),
        (0xc0a8_0000, 16),
        (0xc612_0000, 15),
        (0xc633_6400, 24),
        (0xcb00_7100, 24),
        (0xe000_0000, 3),
    ];
    // public resolvers' anycast addresses (Google, Cloudflare, Quad9,
    // OpenDNS): everyone's, no subscriber's
    const RESOLVERS: [u32; 8] = [
        0x0808_0808,
        0x0808_0404,
        0x0101_0101,
        0x0100_0001,
        0x0909_0909,
        0x9570_7070,
        0xd043_dede,
        0xd043_dcdc,
    ];
    let ip = u32::from_be_bytes(a);
    !(RESOLVERS.contains(&ip)
        || SPECIAL
            .iter()
            .any(|&(net, len)| (ip ^ net) >> (32 - len) == 0))
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

/// The same in Chinese (`服务器的 IP 是…`).
const HOSTS_ZH: &[&str] = &[
    "服务器",
    "主机",
    "网关",
    "节点",
    "域名",
    "代理",
    "数据库",
    "接口",
];

/// The text before `start` introduces the address: `my ip is`, `my IPv6
/// address:`, `我的 IP 是`, or the label `IP address:` / `IP 地址：` (with
/// its noun and colon; a bare `ip:` is a config key), in the same
/// sentence; not `server IP address:` or `服务器的 IP 是`.
fn introduced(b: &[u8], start: usize) -> bool {
    let lo = start.saturating_sub(48);
    let Some(before) = b.get(lo..start) else {
        return false;
    };
    let before = before.to_ascii_lowercase();
    let mut t: &[u8] = &before;
    t = trim(t);
    // `:` or the full-width `：` of Chinese text
    let mut colon = false;
    for c in [&b":"[..], "：".as_bytes()] {
        if let Some(r) = t.strip_suffix(c) {
            t = trim(r);
            colon = true;
            break;
        }
    }
    for is in [&b" is"[..], "是".as_bytes(), "为".as_bytes()] {
        if let Some(r) = t.strip_suffix(is) {
            t = trim(r);
            break;
        }
    }
    let mut noun = false;
    for n in [&b" address"[..], b" addr", "地址".as_bytes()] {
        if let Some(r) = t.strip_suffix(n) {
            t = trim(r);
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
    let zh_mine = ["我的", "我们的", "本人的"]
        .iter()
        .any(|w| trim(r).ends_with(w.as_bytes()));
    let mine = zh_mine || rev_words(r).take(3).any(|w| matches!(w, b"my" | b"our"));
    let host = names_a_host(r, &[]);
    let in_sentence = !r.iter().rev().take(24).any(|c| matches!(c, b'\n' | b'?'));
    (mine || (colon && noun)) && !host && in_sentence
}

/// Does the lower-cased text `r` just before an address's label name a
/// host it belongs to (`the proxy's IP`, `服务器 IP`), in its last three
/// words (up to `my`/`our`) or, in Chinese, its last 24 bytes? `extra`:
/// more such words for the caller's kind of address.
pub fn names_a_host(r: &[u8], extra: &[&[u8]]) -> bool {
    let near = &r[r.len().saturating_sub(24)..];
    rev_words(r)
        .take_while(|w| !matches!(*w, b"my" | b"our"))
        .take(3)
        .any(|w| HOSTS.contains(&w) || extra.contains(&w))
        || HOSTS_ZH
            .iter()
            .any(|h| near.windows(h.len()).any(|w| w == h.as_bytes()))
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
