//! Edits to a body as splices into its original bytes: a renamed model,
//! an added option or a masked string replaces only its own bytes.

/// Replace `start..end` with `with` (an insertion when they are equal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub with: Vec<u8>,
}

impl Edit {
    pub fn insert(at: usize, with: impl Into<Vec<u8>>) -> Edit {
        Edit {
            start: at,
            end: at,
            with: with.into(),
        }
    }
}

/// The body with `edits` applied. Edits must not overlap; one that does
/// (or lies outside the body) is dropped rather than corrupting the rest.
pub fn apply(body: &[u8], mut edits: Vec<Edit>) -> Vec<u8> {
    edits.sort_by_key(|e| (e.start, e.end));
    let grow: usize = edits.iter().map(|e| e.with.len()).sum();
    let mut out = Vec::with_capacity(body.len() + grow);
    let mut pos = 0;
    for e in edits {
        if e.start < pos || e.end < e.start || e.end > body.len() {
            continue;
        }
        out.extend_from_slice(&body[pos..e.start]);
        out.extend_from_slice(&e.with);
        pos = e.end;
    }
    out.extend_from_slice(&body[pos..]);
    out
}

/// `s` as a JSON string literal, quotes included.
pub fn quoted(s: &str) -> Vec<u8> {
    serde_json::to_vec(s).unwrap_or_else(|_| b"\"\"".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_in_order_and_drops_overlaps() {
        let b = b"0123456789";
        let out = apply(
            b,
            vec![
                Edit {
                    start: 6,
                    end: 8,
                    with: b"x".to_vec(),
                },
                Edit::insert(0, "<"),
                Edit {
                    start: 7,
                    end: 9,
                    with: b"y".to_vec(),
                },
                Edit {
                    start: 2,
                    end: 3,
                    with: b"".to_vec(),
                },
            ],
        );
        assert_eq!(out, b"<01345x89");
    }
}
