//! Who may call the sidecar: a write token for ingest, and a read token
//! (or the write token) for everything that returns stored data.

/// What a route exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `POST /v1/audit/batch`: the filter's token.
    Write,
    /// Records, traces, costs, metrics, the rule tester.
    Read,
}

#[derive(Debug, Clone, Default)]
pub struct Tokens {
    write: Option<String>,
    read: Option<String>,
}

impl Tokens {
    /// Empty strings count as unset (an unset env var in a manifest).
    pub fn new(write: Option<String>, read: Option<String>) -> Tokens {
        let set = |t: Option<String>| t.filter(|t| !t.is_empty());
        Tokens {
            write: set(write),
            read: set(read),
        }
    }

    /// With no token configured the sidecar is open (bind it to loopback);
    /// once any is set, reads need one of them and ingest the write token.
    pub fn allows(&self, scope: Scope, bearer: Option<&str>) -> bool {
        let matches = |t: &Option<String>| {
            t.as_deref()
                .zip(bearer)
                .is_some_and(|(t, b)| constant_time_eq(t.as_bytes(), b.as_bytes()))
        };
        match scope {
            Scope::Write => self.write.is_none() || matches(&self.write),
            Scope::Read => {
                (self.write.is_none() && self.read.is_none())
                    || matches(&self.write)
                    || matches(&self.read)
            }
        }
    }
}

/// Compares without an early exit on the first differing byte, so the
/// time taken does not tell how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(w: Option<&str>, r: Option<&str>) -> Tokens {
        Tokens::new(w.map(String::from), r.map(String::from))
    }

    #[test]
    fn scopes() {
        let open = t(None, None);
        assert!(open.allows(Scope::Write, None) && open.allows(Scope::Read, None));
        let both = t(Some("w"), Some("r"));
        assert!(both.allows(Scope::Write, Some("w")));
        assert!(
            !both.allows(Scope::Write, Some("r")),
            "the read token cannot ingest"
        );
        assert!(!both.allows(Scope::Write, None));
        assert!(both.allows(Scope::Read, Some("r")) && both.allows(Scope::Read, Some("w")));
        assert!(!both.allows(Scope::Read, None) && !both.allows(Scope::Read, Some("x")));
        let write_only = t(Some("w"), None);
        assert!(
            !write_only.allows(Scope::Read, None),
            "a write token closes reads too"
        );
        assert!(write_only.allows(Scope::Read, Some("w")));
        let empty = t(Some(""), Some(""));
        assert!(empty.allows(Scope::Read, None), "empty means unset");
    }

    #[test]
    fn equality_needs_every_byte() {
        assert!(constant_time_eq(b"abc", b"abc"));
        for other in [&b"abd"[..], b"ab", b"abcd", b"", b"xbc"] {
            assert!(!constant_time_eq(b"abc", other));
        }
    }
}
