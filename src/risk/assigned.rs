//! What an assignment says besides its value being literal (see
//! `literal.rs`): where the value starts, and whether the name it is
//! assigned to says it is not the secret itself (`LLM_SECRET_NAME`,
//! `secret_length`, `hashed_secret`, `private_key_path`).

/// The trailing value of a `key = value`-like match: the run of characters
/// after the last separator (space, quote, `=`, `:`, `>`, CJK punctuation).
/// Inside quotes a `=` belongs to the value (`"duffel_test_…=rc4"`, base64
/// padding) unless what stands before it names a credential (`"password=…"`,
/// a `.env` line in a string). A `:` still splits (`-u 'user:pass'`).
pub fn trailing_value(m: &str) -> &str {
    let after = |pred: &dyn Fn(char) -> bool| {
        m.char_indices()
            .rev()
            .find(|(_, c)| pred(*c))
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    // `>` ends an XML element's name (`<dbPassword>…`); elsewhere it may
    // stand inside a password
    let xml = m.starts_with('<');
    let cut = after(&|c| {
        c.is_whitespace()
            || !c.is_ascii()
            || matches!(c, '"' | '\'' | '=' | ':' | '`')
            || (xml && c == '>')
    });
    let quote = after(&|c| {
        c.is_whitespace() || !c.is_ascii() || matches!(c, '"' | '\'' | '`') || (xml && c == '>')
    });
    if quote > 0
        && cut > quote
        && m[..cut].ends_with('=')
        && !m[quote..cut].contains(':')
        && matches!(m[..quote].chars().last(), Some('"' | '\'' | '`'))
    {
        let head = m[quote..cut - 1].to_ascii_lowercase();
        let named = ["pass", "pwd", "secret", "token", "key", "auth"]
            .iter()
            .any(|w| head.contains(w));
        if !named {
            return &m[quote..];
        }
    }
    &m[cut..]
}

/// `"…" == name`, `'…' !== name`: a comparison with the literal on the
/// left and the credential's name on the right, as detect-secrets'
/// keyword plugin reads it. The quoted value and the name.
pub fn compared_left(m: &str) -> Option<(&str, &str)> {
    let b = m.as_bytes();
    let q = *b.first().filter(|c| matches!(c, b'"' | b'\''))?;
    let close = 1 + b.get(1..)?.iter().position(|&c| c == q)?;
    let skip = |i: usize| {
        i + b.get(i..).map_or(0, |r| {
            r.iter().take_while(|c| matches!(c, b' ' | b'\t')).count()
        })
    };
    let at = skip(close + 1);
    const OPS: [&[u8]; 4] = [b"===", b"!==", b"==", b"!="];
    let op = OPS
        .iter()
        .find(|op| b.get(at..).is_some_and(|r| r.starts_with(op)))?;
    Some((m.get(1..close)?, m.get(skip(at + op.len())..)?))
}

/// The value of a credential match: the quoted literal of a comparison
/// written the other way round, else [`trailing_value`].
pub fn value_of(m: &str) -> &str {
    compared_left(m).map_or_else(|| trailing_value(m), |(v, _)| v)
}

/// Last words of names that hold something about a secret, not the
/// secret: its name, size, place, kind or digest (compared lowercase, so
/// `secretName` and `SECRET_NAME` both end in `name`).
const ABOUT: &[&str] = &[
    "name", "names", "length", "len", "size", "count", "limit", "ttl", "timeout", "path", "file",
    "dir", "type", "field", "header", "prefix", "url", "uri", "endpoint", "env", "var", "hash",
    "expiry", "expires", "version",
];

/// The name a `name = value` match `m` starts with says the value is not
/// the secret: it ends in one of [`ABOUT`] after a `_`, `-`, `.` or a
/// lower-to-upper case change, or starts with `hashed`.
pub fn name_is_about(m: &str) -> bool {
    let m = m.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '<' | '"' | '\'' | '$')
    });
    let m = m.strip_prefix("export ").unwrap_or(m).trim_start();
    let end = m
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(m.len());
    let name = &m[..end];
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("hashed") {
        return true;
    }
    ABOUT.iter().any(|w| {
        lower.len() > w.len() && lower.ends_with(w) && {
            let cut = name.len() - w.len();
            let (prev, first) = (name.as_bytes()[cut - 1], name.as_bytes()[cut]);
            matches!(prev, b'_' | b'-' | b'.')
                || (prev.is_ascii_lowercase() && first.is_ascii_uppercase())
        }
    })
}

/// A template reference inside the value: `${NAME}`, `${NAME:-x}`,
/// `{{ .Values.x }}`. A `${` or `{{` that does not close as one
/// (`p${e]…`, `m{{h}o…`) is a character of a password.
pub fn templated(v: &str) -> bool {
    let closes = |open: &str, inner: &dyn Fn(char) -> bool, close: &str| {
        v.match_indices(open).any(|(i, _)| {
            let rest = &v[i + open.len()..];
            let n = rest.find(|c: char| !inner(c)).unwrap_or(rest.len());
            n > 0 && rest[n..].starts_with(close)
        })
    };
    closes(
        "${",
        &|c| c.is_ascii_alphanumeric() || "_.:-?=/ ".contains(c),
        "}",
    ) || closes("{{", &|c| c != '{' && c != '}', "}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_the_other_way_round_gives_its_literal_and_name() {
        assert_eq!(
            compared_left("\"Qz7-vK2!x\" == db_password"),
            Some(("Qz7-vK2!x", "db_password"))
        );
        assert_eq!(
            compared_left("'Qz7-vK2!x' !== apiToken"),
            Some(("Qz7-vK2!x", "apiToken"))
        );
        assert_eq!(value_of("'Qz7-vK2!x'===secret"), "Qz7-vK2!x");
        assert_eq!(compared_left("\"Qz7-vK2!x\" = password"), None);
        assert_eq!(compared_left("password == \"Qz7\""), None);
        assert_eq!(value_of("password == \"Qz7-vK2"), "Qz7-vK2");
    }

    #[test]
    fn trailing_value_is_after_the_last_separator() {
        assert_eq!(trailing_value("password = \"abc123X"), "abc123X");
        assert_eq!(trailing_value("<password>Tr0ub"), "Tr0ub");
        assert_eq!(trailing_value("初始密码 Hx!vpn"), "Hx!vpn");
        assert_eq!(trailing_value("密码：Hx!vpn"), "Hx!vpn");
        assert_eq!(trailing_value("密码Hx!vpn"), "Hx!vpn");
    }

    #[test]
    fn quoted_values_keep_their_equals_signs() {
        assert_eq!(trailing_value("k: 'z_yl2tp-qv=5nxdx"), "z_yl2tp-qv=5nxdx");
        assert_eq!(trailing_value("\"password=Hx9vpn"), "Hx9vpn");
        assert_eq!(trailing_value("secret = \"YWJj=="), "YWJj==");
    }

    #[test]
    fn names_about_a_secret() {
        for m in [
            "LLM_SECRET_NAME = \"NEXUS",
            "secret_length = X25519",
            "hashed_secret\": \"513e0a",
            "  private_key_path: /etc/k.pem",
            "tokenType: Bearer1",
            "export API_TOKEN_URL=https://x",
        ] {
            assert!(name_is_about(m), "{m}");
        }
        for m in [
            "password = Hx9vpn",
            "DB_PASSWORD=Hx9vpn",
            "api_key: sk-x",
            "secretKey = abc",
            "rename_token = x",
            "tokenname9 = x",
        ] {
            assert!(!name_is_about(m), "{m}");
        }
    }
}
