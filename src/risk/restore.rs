//! Masks that come back: a `mask` rule with `restore: true` replaces each
//! matched value with a stable placeholder (`[EMAIL_1]`: the same value is
//! always the same placeholder within one request), and the answer gets the
//! originals back. [`Placeholders`] is the request's map; [`TextRestorer`]
//! puts originals back into text that arrives in pieces (stream deltas),
//! holding back any tail that may be the start of a placeholder.
//!
//! The map holds the originals, so it never prints them: its `Debug` shows
//! only how many there are, and it is not serialisable.

/// The request's placeholders and their originals, in order of first use.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Placeholders {
    entries: Vec<(String, String)>,
}

impl std::fmt::Debug for Placeholders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Placeholders({} entries)", self.entries.len())
    }
}

/// The placeholder label of a rule: a short name for the built-in data
/// rules, the upper-cased id for any other.
pub fn label(rule: &str) -> String {
    let short = match rule {
        "email_address" => "EMAIL",
        "cn_mobile_number" => "PHONE",
        "cn_id_card" => "ID_CARD",
        "bank_card_context" => "CARD",
        "passport_number" => "PASSPORT",
        "private_ip" => "IP",
        "personal_address_keywords" => "ADDRESS",
        other => {
            return other
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect()
        }
    };
    short.to_string()
}

/// Is `p` a placeholder `[<label>_<n>]`?
fn has_label(p: &str, label: &str) -> bool {
    p.strip_prefix('[')
        .and_then(|r| r.strip_prefix(label))
        .and_then(|r| r.strip_prefix('_'))
        .and_then(|r| r.strip_suffix(']'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

impl Placeholders {
    /// The placeholder for `original` under `label`, made on first use.
    pub fn placeholder(&mut self, label: &str, original: &str) -> String {
        if let Some((p, _)) = self
            .entries
            .iter()
            .find(|(p, o)| o == original && has_label(p, label))
        {
            return p.clone();
        }
        let n = 1 + self
            .entries
            .iter()
            .filter(|(p, _)| has_label(p, label))
            .count();
        let p = format!("[{label}_{n}]");
        self.entries.push((p.clone(), original.to_string()));
        p
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    fn longest(&self) -> usize {
        self.entries.iter().map(|(p, _)| p.len()).max().unwrap_or(0)
    }

    /// `s` with every whole placeholder replaced by its original.
    pub fn restore(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(i) = rest.find('[') {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            match self
                .entries
                .iter()
                .find(|(p, _)| rest.starts_with(p.as_str()))
            {
                Some((p, o)) => {
                    out.push_str(o);
                    rest = &rest[p.len()..];
                }
                None => {
                    out.push('[');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Does `s` contain a placeholder?
    pub fn any_in(&self, s: &str) -> bool {
        s.contains('[') && self.entries.iter().any(|(p, _)| s.contains(p.as_str()))
    }

    /// Length of the longest tail of `s` that is a proper prefix of a
    /// placeholder (so may be completed by the next piece).
    fn open_tail(&self, s: &str) -> usize {
        let Some(i) = s.rfind('[') else {
            return 0;
        };
        let tail = &s[i..];
        if tail.len() >= self.longest() {
            return 0;
        }
        let open = self
            .entries
            .iter()
            .any(|(p, _)| p.len() > tail.len() && p.starts_with(tail));
        if open {
            tail.len()
        } else {
            0
        }
    }
}

/// Restores placeholders in text that arrives in pieces (one per stream
/// delta). What it returns is safe to send; a possible placeholder start
/// waits for the next piece.
#[derive(Debug, Default)]
pub struct TextRestorer {
    held: String,
}

impl TextRestorer {
    pub fn push(&mut self, map: &Placeholders, piece: &str) -> String {
        self.held.push_str(piece);
        let keep = map.open_tail(&self.held);
        let split = self.held.len() - keep;
        let tail = self.held.split_off(split);
        let out = map.restore(&self.held);
        self.held = tail;
        out
    }

    /// The text still held (end of the stream: it was no placeholder).
    pub fn flush(&mut self, map: &Placeholders) -> String {
        let held = std::mem::take(&mut self.held);
        map.restore(&held)
    }

    pub fn holding(&self) -> bool {
        !self.held.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Placeholders {
        let mut m = Placeholders::default();
        assert_eq!(m.placeholder("EMAIL", "a@acme.io"), "[EMAIL_1]");
        assert_eq!(m.placeholder("EMAIL", "b@acme.io"), "[EMAIL_2]");
        assert_eq!(m.placeholder("EMAIL", "a@acme.io"), "[EMAIL_1]");
        assert_eq!(m.placeholder("PHONE", "13812345678"), "[PHONE_1]");
        m
    }

    #[test]
    fn same_value_same_placeholder_and_debug_hides_originals() {
        let m = map();
        assert_eq!(m.len(), 3);
        let d = format!("{m:?}");
        assert!(!d.contains("acme") && !d.contains("138"), "{d}");
    }

    #[test]
    fn restores_whole_placeholders_only() {
        let m = map();
        assert_eq!(
            m.restore("to [EMAIL_1] and [EMAIL_2], call [PHONE_1]; [EMAIL_3] [x"),
            "to a@acme.io and b@acme.io, call 13812345678; [EMAIL_3] [x"
        );
    }

    #[test]
    fn pieces_split_at_every_offset_restore_the_same() {
        let m = map();
        let text = "Write to [EMAIL_1] or [EMAIL_2] 电话 [PHONE_1]. [not] [EMAIL_";
        let want = m.restore(text);
        for cut in 0..=text.len() {
            if !text.is_char_boundary(cut) {
                continue;
            }
            for cut2 in cut..=text.len() {
                if !text.is_char_boundary(cut2) {
                    continue;
                }
                let mut r = TextRestorer::default();
                let mut got = r.push(&m, &text[..cut]);
                got += &r.push(&m, &text[cut..cut2]);
                got += &r.push(&m, &text[cut2..]);
                got += &r.flush(&m);
                assert_eq!(got, want, "cuts {cut} {cut2}");
            }
        }
    }
}
