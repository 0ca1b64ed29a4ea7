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
    // base64 padding ends the value (`secret=YWJj…Mg==`): the separators
    // are looked for before it, and it stays part of the value
    let pad = m.len() - m.trim_end_matches('=').len();
    let padded = (1..=2).contains(&pad)
        && m[..m.len() - pad]
            .bytes()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/'));
    if padded {
        let v = trailing_value(&m[..m.len() - pad]);
        if v.len() < m.len() - pad {
            let start = m.len() - pad - v.len();
            return &m[start..];
        }
    }
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
/// secret: its name, size, place, kind or digest, its format (`pattern`,
/// `re`), a limit or count (`threshold`, `bytes`, `chars`), where it
/// comes from (`provider`, `source`, `store`, `stream`), a collection or a call's
/// parameters (`list`, `page`, `params`), the text shown about it
/// (`error`, `label`, `message`). Compared lowercase, so `secretName` and
/// `SECRET_NAME` both end in `name`.
const ABOUT: &[&str] = &[
    "name",
    "names",
    "length",
    "len",
    "size",
    "count",
    "limit",
    "ttl",
    "timeout",
    "path",
    "file",
    "dir",
    "type",
    "field",
    "header",
    "prefix",
    "url",
    "uri",
    "endpoint",
    "env",
    "var",
    "hash",
    "expiry",
    "expires",
    "version",
    "pattern",
    "patterns",
    "re",
    "regex",
    "regexp",
    "threshold",
    "bytes",
    "chars",
    "provider",
    "providers",
    "param",
    "params",
    "page",
    "list",
    "error",
    "label",
    "message",
    "stream",
    "store",
];

/// Plural credential words: a collection, whose id is no secret.
const STORES: &[&str] = &["secrets", "passwords", "tokens", "keys", "credentials"];

/// Words of a name that make it a limit or a count wherever they stand
/// (`maxTokens`, `SECRET_MAX_BYTES`, `min_password_len`).
const LIMIT: &[&str] = &["max", "min"];

/// Words that start with `token` and are not the credential: what a
/// tokenizer makes and counts (`maxTokens`, `tokenize`, `tokenizer.encode`).
const TOKENISING: &[&str] = &[
    "tokens",
    "tokenize",
    "tokenizer",
    "tokenizers",
    "tokenized",
    "tokenizing",
    "tokenization",
    "tokenise",
    "tokeniser",
    "tokenised",
];

/// The words of a name: split at `_`, `-`, `.`, `/`, a lower to upper
/// change (`apiKey`) and before the last capital of a run of them
/// (`JSONKey` is `JSON`, `Key`).
pub fn words(name: &str) -> Vec<&str> {
    let b = name.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    for (i, &c) in b.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|j| b.get(j));
        let next = b.get(i + 1);
        let sep = matches!(c, b'_' | b'-' | b'.' | b'/');
        let camel = c.is_ascii_uppercase()
            && (prev.is_some_and(u8::is_ascii_lowercase)
                || (prev.is_some_and(u8::is_ascii_uppercase)
                    && next.is_some_and(u8::is_ascii_lowercase)));
        if sep || camel {
            out.extend(name.get(from..i).filter(|w| !w.is_empty()));
            from = if sep { i + 1 } else { i };
        }
    }
    out.extend(name.get(from..).filter(|w| !w.is_empty()));
    out
}

/// `w` is one of `list`, whatever its case.
fn one_of(list: &[&str], w: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// The name a `name = value` match `m` starts with says the value is not
/// the secret: its last word is one of [`ABOUT`] (or `id` after one of
/// [`STORES`]), a word is one of
/// [`LIMIT`], it starts with `hashed`, or its credential word is one of
/// [`TOKENISING`] and no other credential word stands in it.
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
    let words = words(name);
    // the id of a store of secrets (`UserSecretsId`), not of one secret
    // (`secretId`, `accessKeyId` stay credentials)
    let store_id = match words.as_slice() {
        [.., store, id] => id.eq_ignore_ascii_case("id") && one_of(STORES, store),
        _ => false,
    };
    let about = store_id || (words.len() >= 2 && words.last().is_some_and(|w| one_of(ABOUT, w)));
    let limit = words.iter().any(|w| one_of(LIMIT, w));
    let tokenising = words.iter().any(|w| one_of(TOKENISING, w));
    let token_word = |w: &&str| {
        !one_of(TOKENISING, w)
            && w.as_bytes()
                .windows(5)
                .any(|x| x.eq_ignore_ascii_case(b"token"))
    };
    let credential = ["pass", "pwd", "secret", "key", "auth"]
        .iter()
        .any(|w| lower.contains(w))
        || words.iter().any(token_word);
    about || limit || (tokenising && !credential)
}

/// The match is a name and its value as two strings (`"API_KEY", "…"`):
/// the name's closing quote is followed by a `,`.
pub fn pair_form(m: &str) -> bool {
    let b = m.as_bytes();
    let name = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
        .count();
    matches!(b.get(name), Some(b'"' | b'\''))
        && b.get(name + 1..)
            .is_some_and(|r| r.iter().find(|c| !matches!(c, b' ' | b'\t')) == Some(&b','))
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
        // Ruby's and CoffeeScript's interpolation: `"Password=#{password}"`
        || closes("#{", &|c| c.is_ascii_alphanumeric() || "_.@".contains(c), "}")
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

    #[test]
    fn formats_limits_sources_and_labels_are_about_a_secret() {
        for m in [
            "TOKEN_FORMAT_PATTERN = /^x/",
            "API_KEY_RE = /k/",
            "LOW_TOKEN_THRESHOLD = 250000",
            "SECRET_UPLOAD_MAX_BYTES = 1048576",
            "maxTokens\": 204800",
            "min_password_chars: 12",
            "gcpTokenProvider = exports.x",
            "SecretKeysPage = CursorPage",
            "BetaTokenAuthParam: TypeAlias",
            "badApiKeyError: \"Key refused\"",
            "secretLabel: Hx9",
            "tokens = quote!(x)",
            "e.tokenize=e.stack",
            "tokenizerVersion: 3",
            "<AppSecretsId>0f2c9a51-1b7e-4c3d-9a8e-5d6f7a8b9c0d<",
        ] {
            assert!(name_is_about(m), "{m}");
        }
        for m in [
            "adminPassword: Hx9vpn2024",
            "secrete.assign(\"Qz7\"",
            "access_token = Zx81kQp2",
            "tokenSecret = Qz7",
            "apiKeyTokens = Qz7",
            "secretId = \"AKIDQz7vK2pLm9Rw\"",
            "accessKeyId: 'LTAIQz7vK2pLm9Rw'",
            "DB_PASSWORD=Hx9vpn",
        ] {
            assert!(!name_is_about(m), "{m}");
        }
    }

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("JSONApiKey"), ["JSON", "Api", "Key"]);
        assert_eq!(words("maxTokens"), ["max", "Tokens"]);
        assert_eq!(words("_a__b_"), ["a", "b"]);
        assert_eq!(
            words("SECRET_STORE-x.y/z"),
            ["SECRET", "STORE", "x", "y", "z"]
        );
        assert_eq!(words("tokenname9"), ["tokenname9"]);
    }

    #[test]
    fn two_strings_with_a_comma_are_a_name_and_its_value() {
        assert!(pair_form("API_KEY\", \"Qz7"));
        assert!(pair_form("token' ,'Qz7"));
        assert!(!pair_form("token\": \"Qz7"));
        assert!(!pair_form("token = Qz7"));
    }
}
