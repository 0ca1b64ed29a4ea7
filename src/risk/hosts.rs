//! Names under an internal suffix (`.internal`, `.local`) that are no
//! company's host: code reading a field named `local` or `internal`
//! (`opts.local && …`, `client.internal?.id`, `SpanKind.INTERNAL`), and
//! the names every system has (`localhost.localdomain`, the cloud
//! metadata server `metadata.google.internal`). Agents read code like
//! this all day; a company's hosts stay taken.

/// Names every machine or cloud has, lower case as DNS compares them.
const WELL_KNOWN: &[&[u8]] = &[b"localhost.localdomain", b"metadata.google.internal"];

pub fn well_known(m: &[u8]) -> bool {
    WELL_KNOWN.iter().any(|w| m.eq_ignore_ascii_case(w))
}

/// `m = b[start..end]` reads as a member access in code rather than a
/// host: its suffix is written in capitals or its first label is a
/// camelCase or one-letter identifier (DNS names are written in lower
/// case and rarely name a host with one letter), or it goes on as code
/// does (`?.`, `&&`, `||`, `===`, a call's `(`). A `)` or `;` after it
/// stays a host: prose closes a parenthesis after a name too.
pub fn member_access(b: &[u8], start: usize, end: usize) -> bool {
    let m = &b[start..end];
    let last = m.rsplit(|&c| c == b'.').next().unwrap_or_default();
    let first = m.split(|&c| c == b'.').next().unwrap_or_default();
    let camel = first
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase());
    let shouting = last.iter().any(u8::is_ascii_uppercase);
    let after = &b[end..(end + 8).min(b.len())];
    let spaces = after.iter().take_while(|&&c| c == b' ').count();
    let rest = &after[spaces..];
    let goes_on = rest.starts_with(b"?.")
        || [&b"&&"[..], b"||", b"===", b"!==", b"("]
            .iter()
            .any(|p| rest.starts_with(p));
    // `options.local`, `self.internal`: a two-label name whose first label
    // is what code calls its objects, unless a port or path makes it a host
    let labels = m.iter().filter(|&&c| c == b'.').count() + 1;
    let hosty = rest.first() == Some(&b'/')
        || (rest.first() == Some(&b':') && rest.get(1).is_some_and(u8::is_ascii_digit));
    let object =
        labels == 2 && !hosty && CODE_OBJECTS.iter().any(|o| first.eq_ignore_ascii_case(o));
    shouting || camel || first.len() == 1 || goes_on || object
}

/// What code names its objects; no company names a host `options.local`.
const CODE_OBJECTS: &[&[u8]] = &[
    b"self",
    b"this",
    b"cls",
    b"options",
    b"opts",
    b"opt",
    b"option",
    b"params",
    b"args",
    b"kwargs",
    b"config",
    b"cfg",
    b"conf",
    b"settings",
    b"version",
    b"ctx",
    b"context",
    b"req",
    b"request",
    b"res",
    b"response",
    b"env",
    b"process",
    b"window",
    b"document",
    b"props",
    b"state",
    b"module",
    b"exports",
    b"py",
    b"os",
    b"path",
    b"obj",
    b"item",
    b"node",
    b"data",
    b"result",
    b"ret",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str, host: &str) -> bool {
        let s = text.find(host).expect("the host is in the text");
        member_access(text.as_bytes(), s, s + host.len())
    }

    #[test]
    fn fields_in_code_are_not_hosts() {
        for (t, h) in [
            ("if (opts.local && opts.gateway) throw", "opts.local"),
            ("!client.internal?.syntheticClient", "client.internal"),
            ("kind=SpanKind.INTERNAL,", "SpanKind.INTERNAL"),
            ("`variableName.local`", "variableName.local"),
            ("(t.local||t.precision)", "t.local"),
            ("if (params.local === x)", "params.local"),
            ("and version.local is None", "version.local"),
            ("local_only=options.local,", "options.local"),
        ] {
            assert!(code(t, h), "{t}");
        }
        assert!(well_known(b"metadata.google.internal"));
        assert!(well_known(b"LOCALHOST.localdomain"));
    }

    #[test]
    fn hosts_stay_hosts() {
        for (t, h) in [
            (
                "ssh deploy@build-07.corp.internal and run it",
                "build-07.corp.internal",
            ),
            ("curl http://billing.internal/api", "billing.internal"),
            ("the NAS is at nas.local, mount it", "nas.local"),
            ("ping db1.lan", "db1.lan"),
            ("(see db1.lan); then", "db1.lan"),
            ("curl http://data.local:8080/x", "data.local"),
            ("the config.corp.internal page", "config.corp.internal"),
        ] {
            assert!(!code(t, h), "{t}");
        }
        assert!(!well_known(b"metadata.acme.internal"));
    }
}
