//! Is a matched value a literal secret, or code, a type, a placeholder?
//! `password = "Tr0ub4dor&3"` leaks a password; `password = os.environ[...]`,
//! `password: str`, `<password>` and `sk-...` do not. Also: reserved example
//! domains (RFC 2606/6761), `git@host:` remotes and no-reply sender
//! mailboxes are not personal e-mail addresses.

/// Placeholder words (lowercase) that mark a value as an example.
const PLACEHOLDERS: &[&str] = &[
    "***",
    "###",
    "...",
    "…",
    "your",
    "example",
    "changeme",
    "change_me",
    "change-me",
    "placeholder",
    "redacted",
    "dummy",
    "sample",
    "todo",
    "fixme",
    "replace",
    "insert",
    "<",
    "%s",
    "here",
    "fake",
    // letters and digits counted off in turn, as docs write a made-up key
    "a1b2c3",
    "1a2b3c",
];

/// Values that are words of code, not secrets (compared lowercase).
const CODE_WORDS: &[&str] = &[
    "str",
    "string",
    "bool",
    "int",
    "bytes",
    "none",
    "null",
    "nil",
    "true",
    "false",
    "optional",
    "undefined",
    "secret",
    "password",
    "passwd",
    "token",
    "required",
    "string;",
    "str,",
    "str)",
    "password123",
    "new_password",
    "bearer",
    "basic",
    "old_password",
];

/// A value after a name and white space only (`pass Hx!vpn2024`, `secret
/// is Hx!vpn2024`) is a secret only with a digit: prose puts words there
/// (`pass TheBall`, `sk OpenAI`). An operator (`=`, `:`, `>`, `,` …), a
/// non-ASCII name (`密码`) or a name that always takes a value (`bearer`,
/// `requirepass`, `masterauth`) needs none. The digit must be in the
/// value's first `SPACED_DIGIT_REACH` bytes. The prefilter's confirm asks
/// the same, so the filter and the reference scan agree (found by the
/// risk_mask fuzz target).
pub fn spaced_value_ok(m: &str, value: &str) -> bool {
    let pre = &m[..m.len().saturating_sub(value.len())];
    // The name and its operator stand before the last gap of white space;
    // a `:` after it is inside the value (`pass  x:y`), not an operator.
    let gap = pre.rfind([' ', '\t']);
    let head = gap.map_or(pre, |i| &pre[..i]);
    if !head.is_ascii() || head.contains([':', '=', '>', ',', '(']) {
        return true;
    }
    let word = head
        .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .next()
        .unwrap_or("");
    let token = gap.map_or(m, |i| &m[i + 1..]);
    ["bearer", "requirepass", "masterauth", "-u", "--user"]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
        || token
            .bytes()
            .take(SPACED_DIGIT_REACH)
            .any(|c| c.is_ascii_digit())
}

/// How far into a spaced value its digit is looked for: both scans read
/// the same bounded prefix, whatever window the filter cut the text into.
pub const SPACED_DIGIT_REACH: usize = 24;

/// The first `:` or `=` of a `key = value`-like match is a `::` path
/// separator right after a name (`tokenizer::tests::evict_0`,
/// `password_hash::verify`): a code path, not an assignment.
pub fn is_path_separator(m: &[u8]) -> bool {
    let Some(i) = m.iter().position(|&c| c == b':' || c == b'=') else {
        return false;
    };
    i > 0
        && m.get(i) == Some(&b':')
        && m.get(i + 1) == Some(&b':')
        && m.get(i - 1)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// A value that reads as a literal secret: long enough, ASCII, not code,
/// not a type or placeholder, and not all one kind of character.
pub fn is_secret_value(v: &str) -> bool {
    // a value cut short (`ops_eyJzaWdu...`) is an example, not a key
    if v.ends_with("...") || v.ends_with('…') || super::assigned::templated(v) {
        return false;
    }
    let v = v.trim_end_matches([',', ';', ')', '.', '。', '，', '<', '}', ']']);
    if v.len() < 6 || !v.is_ascii() {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if CODE_WORDS.contains(&lower.as_str())
        || PLACEHOLDERS.iter().any(|p| lower.contains(p))
        || v.contains("xxx")
        || v.contains("XXX")
        || v.starts_with(['$', '{', '%'])
    {
        return false;
    }
    if is_code(v) || names_a_credential(v, &lower) || selector(v) || web_path(v) {
        return false;
    }
    let classes = [
        v.bytes().any(|c| c.is_ascii_lowercase()),
        v.bytes().any(|c| c.is_ascii_uppercase()),
        v.bytes().any(|c| c.is_ascii_digit()),
        v.bytes().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    let digits_only = v.bytes().all(|c| c.is_ascii_digit());
    classes >= 2 || v.len() >= 20 || digits_only
}

/// `#add-password`: an element's id or a page's anchor in a script, lower
/// case words without a digit (`#gets0m3` stays a password).
fn selector(v: &str) -> bool {
    v.strip_prefix('#').is_some_and(|r| {
        r.bytes().next().is_some_and(|c| c.is_ascii_lowercase())
            && r.bytes()
                .all(|c| c.is_ascii_lowercase() || matches!(c, b'-' | b'_'))
    })
}

/// A route or a page's path in lower case (`/en/enterprise-server@3.0/auth`,
/// `cms/sites/passwords#update`): two `/` or more, no capital, each
/// part a word. A key in base64 has capitals.
fn web_path(v: &str) -> bool {
    let part = |p: &str| {
        p.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"-_.@#:".contains(&c))
    };
    let worded = |p: &str| {
        p.as_bytes()
            .windows(3)
            .any(|w| w.iter().all(u8::is_ascii_lowercase))
    };
    v.bytes().filter(|&c| c == b'/').count() >= 2
        && v.split('/').all(part)
        && v.split('/').filter(|p| worded(p)).count() >= 2
}

/// Letters only, with a credential's name in them (`AccessKeySecret`,
/// `MyApiToken`): the name of a value, not one.
/// Lower-case words joined by `-`, `_`, `.` or `/` (`db-password`,
/// `projects/acme/secrets/api-key`) are a name too.
fn names_a_credential(v: &str, lower: &str) -> bool {
    let sep = |c: u8| matches!(c, b'-' | b'_' | b'.' | b'/');
    (v.bytes().all(|c| c.is_ascii_alphabetic())
        || v.bytes().all(|c| c.is_ascii_lowercase() || sep(c)))
        && [
            "secret",
            "password",
            "token",
            "apikey",
            "accesskey",
            "credential",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Code, not data: a call or subscript (`get(`, `env[`), a dotted name
/// (`process.env.TOKEN`, `settings.SECRET`), an upper-case constant
/// (`SECRET_KEY`), a snake_case identifier without digits.
fn is_code(v: &str) -> bool {
    // a call or subscript on a name (`get(`, `env[`); a bracket further
    // on (`p${e]nob(o…`) is a password's character
    let head = v.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if head.starts_with(['(', '[']) || v.contains("->") || v.contains("::") {
        return true;
    }
    let ident = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
            && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
    };
    // digits only in the `_1` a TypeScript build appends to an imported
    // module's name (`credentials_1.Credentials`)
    let no_digits = |p: &str| {
        let head = p.trim_end_matches(|c: char| c.is_ascii_digit());
        let head = if head.len() < p.len() {
            head.strip_suffix('_').unwrap_or("0")
        } else {
            head
        };
        !head.is_empty() && !head.bytes().any(|c| c.is_ascii_digit())
    };
    let parts: Vec<&str> = v.split('.').collect();
    if parts.len() >= 2 && parts.iter().all(|p| ident(p) && no_digits(p)) {
        return true;
    }
    let constant = v
        .bytes()
        .all(|c| c.is_ascii_uppercase() || c == b'_' || c.is_ascii_digit())
        && v.contains('_');
    let snake = v.bytes().all(|c| c.is_ascii_lowercase() || c == b'_') && v.contains('_');
    constant || snake
}

/// A connection string whose credentials are a placeholder
/// (`USER:PASSWORD@HOST`, `<user>:<password>@`, `user:pass@`, `${PW}`).
pub fn dsn_is_placeholder(m: &str) -> bool {
    let lower = m.to_ascii_lowercase();
    const MARKS: &[&str] = &[
        "<",
        "{",
        "${",
        "$(",
        "xxx",
        "***",
        "###",
        "changeme",
        "your",
        ":password@",
        ":pass@",
        ":pwd@",
        ":passwd@",
        ":secret@",
        "=password",
        "=pass;",
        "/password@",
        ":pw@",
        "…",
        "...",
    ];
    MARKS.iter().any(|p| lower.contains(p)) || password_is_user(m)
}

/// A URL whose password repeats its user name (`postgres:postgres@`,
/// `guest:guest@`): the defaults the images and brokers document, which a
/// tutorial's compose file writes out.
fn password_is_user(m: &str) -> bool {
    // the user information ends at the first `@`, before any path
    m.split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .filter(|(userinfo, _)| !userinfo.contains('/'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .is_some_and(|(u, p)| !u.is_empty() && u == p)
}

/// A key-shaped match that is a documented placeholder
/// (`xoxb-XXXXXXXX…`, `AKIAIOSFODNN7EXAMPLE`, `sk-********`).
pub fn key_is_placeholder(m: &str) -> bool {
    let lower = m.to_ascii_lowercase();
    if ["xxxx", "example", "****", "your"]
        .iter()
        .any(|p| lower.contains(p))
    {
        return true;
    }
    // a Slack token's numeric segments are ids (`…-511111111-…`); a
    // Twitter bearer token's leading `A`s are its format, not a run
    let b = match (m.strip_prefix("xox"), bearer_body(m)) {
        (Some(t), _) => t.rsplit('-').next().unwrap_or(t).as_bytes(),
        (None, Some(body)) if body.len() < 60 => return true,
        (None, Some(body)) => body.as_bytes(),
        (None, None) => m.as_bytes(),
    };
    let mut run = 1;
    for i in 1..b.len() {
        run = if b[i] == b[i - 1] { run + 1 } else { 1 };
        if run >= 8 {
            return true;
        }
    }
    false
}

/// A record's id after a key's prefix: `app-`/`dataset-` and 24
/// lower-case hex digits is a MongoDB ObjectId (`dataset-65a1…`), not a
/// Dify key (24 base62 characters, all lower-case hex with odds near 1 in
/// 10^14); `API-` and a ULID (26 Crockford base32 characters from `0`-`7`,
/// a millisecond timestamp first) is a request id, not an Octopus key
/// (which a ULID's alphabet and head rule out with odds near 1 in 10^4).
pub fn key_is_record_id(m: &str) -> bool {
    let hex = |r: &str| r.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'));
    if let Some(r) = m
        .strip_prefix("app-")
        .or_else(|| m.strip_prefix("dataset-"))
    {
        return r.len() == 24 && hex(r);
    }
    m.strip_prefix("API-").is_some_and(|r| {
        r.len() == 26
            && matches!(r.as_bytes().first(), Some(b'0'..=b'7'))
            && r.bytes()
                .all(|c| c.is_ascii_alphanumeric() && !b"ILOU".contains(&c))
    })
}

/// A Twitter/X app-only bearer token after its leading `A`s (the zero
/// bytes of its id, base64-encoded), or `None` for any other key.
pub fn bearer_body(m: &str) -> Option<&str> {
    const HEAD: &str = "AAAAAAAAAAAAAAAAAAAAAA";
    m.starts_with(HEAD).then(|| m.trim_start_matches('A'))
}

/// Reserved example domains and `git@host:path` remotes are not e-mail.
pub fn email_is_example(text: &[u8], start: usize, end: usize) -> bool {
    let m = &text[start..end];
    let Some(at) = memchr::memchr(b'@', m) else {
        return false;
    };
    let domain = m[at + 1..].to_ascii_lowercase();
    if &m[..at] == b"git" && text.get(end) == Some(&b':') {
        return true;
    }
    const EXACT: &[&[u8]] = &[b"example.com", b"example.org", b"example.net"];
    const SUFFIX: &[&[u8]] = &[
        b".example.com",
        b".example.org",
        b".example.net",
        b".example",
        b".test",
        b".invalid",
        b".localhost",
    ];
    EXACT.contains(&domain.as_slice()) || SUFFIX.iter().any(|s| domain.ends_with(s))
}

/// Local parts of the mailboxes services send from and nobody reads
/// (`noreply@anthropic.com` in a commit trailer, `no-reply@accounts.google.com`):
/// a role, not a person, whatever the domain. The whole local part must be
/// one of these, so `noreply+jane.doe@` or `jane.noreply@` stay personal.
const NO_REPLY: &[&[u8]] = &[
    b"noreply",
    b"no-reply",
    b"no_reply",
    b"donotreply",
    b"do-not-reply",
    b"do_not_reply",
];

/// The e-mail match `m` is a no-reply sender mailbox.
pub fn email_is_no_reply(m: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', m) else {
        return false;
    };
    NO_REPLY.iter().any(|n| m[..at].eq_ignore_ascii_case(n))
}

/// A card number that is one group repeated (`4242 4242 4242 4242`): the
/// documented test cards, not a customer's.
pub fn card_is_periodic(digits: &[u8]) -> bool {
    digits.len() >= 8 && has_period(digits, 4)
}

/// `b` is one piece of `p` bytes written over and over (the last copy may
/// be cut short): each byte equals the one `p` before it.
pub fn has_period(b: &[u8], p: usize) -> bool {
    b.get(p..).is_some_and(|tail| tail == &b[..b.len() - p])
}

/// A name path in code (`self._session_id`, `request.session.id`): two
/// or more identifiers joined by `.`, no digit. A cookie's value is
/// opaque: random characters, often with digits, signed with a `.`.
pub fn is_code_path(v: &[u8]) -> bool {
    let ident = |p: &[u8]| {
        p.first()
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
            && p.iter().all(|c| c.is_ascii_alphabetic() || *c == b'_')
    };
    v.contains(&b'.') && v.split(|&c| c == b'.').all(ident)
}

/// An issuer's prefix (up to 4 digits), then one digit repeated up to
/// the check digit (`4111111111111111`, `4000000000000002`,
/// `6250000000000000005`): padding typed behind a prefix, the networks'
/// test numbers, never a customer's.
pub fn card_is_padding(digits: &[u8]) -> bool {
    let Some((_, body)) = digits.split_last() else {
        return false;
    };
    (1..=4).any(|p| body.len() > p + 7 && body[p..].windows(2).all(|w| w[0] == w[1]))
}
