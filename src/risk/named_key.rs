//! `named_key_value`: a generated key assigned under any name that ends in
//! `key` (`storageAccountKey = "…"`, `azure_key: …`, `<account_key>…`).
//! Issue #27 asks for secrets without a vendor "by their name and their
//! shape"; `credential_assignment` takes `api_key`, `secret`, `token`, and
//! `vendor_named_key` a listed vendor before `key`, but the thousand
//! vendors no list holds write `<vendor>Key` too. A bare `key` also names
//! cache, sort and map keys, so here the name must say nothing of the
//! kind (`cache_key`, `public_key`, `partition_key`) and the value must
//! look drawn at random: long, more than one kind of character, many
//! distinct ones, not a UUID, not an identifier made of words.

use super::packs::NAMED_VENDORS;
use super::{assigned, code_value, literal};

/// Words of a name ending in `key` (whole words, whatever their case)
/// that make it something other than a secret: a data structure's key, a
/// public key, a pointer to a file, a keyboard's key, a WebSocket
/// handshake's nonce (`Sec-WebSocket-Key`). A word run into
/// `key` counts too (`cachekey`, `sitekey`, `hotkey`, `monkey`).
#[rustfmt::skip]
const NOT_SECRET: &[&str] = &[
    "public", "pub", "publishable", "primary", "foreign", "sort", "partition", "range", "hash",
    "cache", "idempotency", "idempotent", "dedup", "dedupe", "routing", "object", "s3", "bucket",
    "blob", "file", "image", "upload", "asset", "media", "i18n", "translation", "message", "msg",
    "lookup", "unique", "index", "row", "column", "field", "label", "node", "event", "group",
    "issue", "jira", "host", "site", "ssh", "gpg", "pgp", "fingerprint", "map", "dict", "page",
    "cursor", "continuation", "start", "last", "next", "evaluated", "query", "state", "store",
    "item", "entity", "record", "doc", "document", "path", "name", "type", "list", "composite",
    "lock", "socket", "hot", "mon", "tur", "hoc", "whis", "don", "joc",
];

/// Whether the match `text[start..end]` is a generated key under a name
/// ending in `key` that names no other kind of key.
pub fn valid(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let m = text[start..end].trim_end_matches(|c: char| c == '<' || c.is_whitespace());
    // the value ends where the key's alphabet does: `abc.def` and
    // `user@host` go on past the pattern's value, and `name(` is a call
    let next = b.get(start + m.len()).copied().unwrap_or(b' ');
    if next.is_ascii_alphanumeric() || b".@/+-_([".contains(&next) {
        return false;
    }
    let Some(name) = name_of(text, start, m) else {
        return false;
    };
    let other = |w: &str| NOT_SECRET.iter().any(|x| x.eq_ignore_ascii_case(w));
    let words = assigned::words(name);
    let run_in = words
        .last()
        .and_then(|w| w.len().checked_sub(3).and_then(|n| w.get(..n)));
    if words.iter().any(|w| other(w)) || run_in.is_some_and(other) || assigned::name_is_about(m) {
        return false;
    }
    // names other rules own, as their patterns read them: `secret` or
    // `token` anywhere (`credential_assignment`), `api`, `access`,
    // `private`, `subscription` right before `key` (`api_key`,
    // `accessKey`, `APIKEY`), a listed vendor before `key`, `appKey` or
    // `ioKey` (`vendor_named_key`). `apiMaticKey` and `herokuDbKey` are
    // nobody's: they are read here.
    let anywhere = |w: &str| {
        ["secret", "token"]
            .iter()
            .any(|o| o.eq_ignore_ascii_case(w))
    };
    let before_key = |w: &str| {
        ["api", "access", "private", "subscription", "apiv3"]
            .iter()
            .any(|o| o.eq_ignore_ascii_case(w))
    };
    let word_before = words.len().checked_sub(2).and_then(|i| words.get(i));
    if words.iter().any(|w| anywhere(w))
        || word_before.is_some_and(|w| before_key(w))
        || run_in.is_some_and(|w| anywhere(w) || before_key(w))
        || vendor_before_key(name)
    {
        return false;
    }
    let value = value_of(m);
    let vs = start + m.len() - value.len();
    generated(value)
        && !code_value::other_data(value)
        && !code_value::reads_as_code(text, start, vs, vs + value.len())
        && literal::is_secret_value(value)
}

/// `vendor_named_key`'s names: a listed vendor, then at most a separator
/// and `io` or `app`, then `key` (`heroku_key`, `herokuAppKey`).
fn vendor_before_key(name: &str) -> bool {
    let cut = |s: &[u8]| {
        s.len()
            - s.iter()
                .rev()
                .take_while(|c| matches!(c, b'_' | b'-'))
                .count()
    };
    let ends =
        |s: &[u8], w: &[u8]| s.len() >= w.len() && s[s.len() - w.len()..].eq_ignore_ascii_case(w);
    let b = name.as_bytes();
    let head = &b[..cut(&b[..b.len().saturating_sub(3)])];
    let bare = [&b"io"[..], b"app"]
        .iter()
        .find(|x| ends(head, x))
        .map_or(head, |x| &head[..cut(&head[..head.len() - x.len()])]);
    NAMED_VENDORS
        .iter()
        .any(|v| ends(head, v.as_bytes()) || ends(bare, v.as_bytes()))
}

/// The name: the identifier of `text` that ends at the match's first
/// `key` that ends one. It may start before the match: the two-strings
/// form starts at the letter before `key` (`"AccountKey", "…"`).
fn name_of<'a>(text: &'a str, start: usize, m: &str) -> Option<&'a str> {
    let (b, t) = (m.as_bytes(), text.as_bytes());
    let ident = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-');
    let at = (0..b.len().saturating_sub(2)).find(|&i| {
        b[i..i + 3].eq_ignore_ascii_case(b"key") && b.get(i + 3).is_none_or(|&c| !ident(c))
    })?;
    let (i, e) = (start + at, start + at + 3);
    let s = t[..i].iter().rposition(|&c| !ident(c)).map_or(0, |p| p + 1);
    text.get(s..e).filter(|_| s < i)
}

/// The value: the key-alphabet run the match ends with, base64 padding
/// included.
fn value_of(m: &str) -> &str {
    let body = m.trim_end_matches('=');
    let key = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'_' | b'-');
    let s = body.bytes().rposition(|c| !key(&c)).map_or(0, |p| p + 1);
    &m[s..]
}

/// Drawn at random rather than written: 20 characters or more (32 when
/// hex), letters with digits or both cases changing often, at least 12 distinct
/// characters (10 when hex; a random base62 string of 20 has about 17),
/// not a UUID, not words joined by `-`/`_`, and `/` only inside base64.
pub fn generated(v: &str) -> bool {
    let b = v.trim_end_matches('=').as_bytes();
    if b.len() < 20 || b.len() > 512 || b.contains(&b'=') {
        return false;
    }
    let count = |f: fn(&u8) -> bool| b.iter().filter(|c| f(c)).count();
    let (digits, upper, lower) = (
        count(u8::is_ascii_digit),
        count(u8::is_ascii_uppercase),
        count(u8::is_ascii_lowercase),
    );
    let mut seen = [false; 128];
    for &c in b {
        seen[usize::from(c & 0x7f)] = true;
    }
    let distinct = seen.iter().filter(|s| **s).count();
    if b.iter().all(u8::is_ascii_hexdigit) {
        return b.len() >= 32 && digits > 0 && upper.min(lower) == 0 && distinct >= 10;
    }
    if uuid(b) || worded(b) {
        return false;
    }
    if b.contains(&b'/') && !(upper > 0 && lower > 0 && digits > 0 && b.len() >= 40) {
        return false;
    }
    // without a digit, the cases must change often: random letters switch
    // case about every other letter, a camelCase name once a word
    // (`formatSessionTranscriptKey`)
    let switches = b
        .windows(2)
        .filter(|w| {
            w.iter().all(u8::is_ascii_alphabetic)
                && w[0].is_ascii_uppercase() != w[1].is_ascii_uppercase()
        })
        .count();
    let mixed = (digits > 0 && upper + lower > 0)
        || (upper > 0 && lower > 0 && b.len() >= 24 && switches * 3 >= upper + lower);
    mixed && distinct >= 12
}

/// `8-4-4-4-12` hex: an identifier far more often than a key.
fn uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Three parts or more joined by `-`, `_` or `/`, each of one case and at
/// most 12 long (`prod-eu-west-1-cluster`, `team_alpha_v2_service`): a
/// name someone wrote.
fn worded(b: &[u8]) -> bool {
    let mut parts = 0;
    b.split(|&c| matches!(c, b'-' | b'_' | b'/')).all(|p| {
        parts += 1;
        p.len() <= 12
            && (p.iter().all(|c| !c.is_ascii_uppercase())
                || p.iter().all(|c| !c.is_ascii_lowercase()))
    }) && parts >= 3
}
