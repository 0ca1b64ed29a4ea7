//! The words before a match, read backwards: what `phone` and `ip_own`
//! look at to tell `my number is` and `my ip is` from an order's number or
//! a server's address. One small iterator instead of `split` and `collect`
//! at each use keeps the wasm small.

/// Runs of ASCII letters and digits in `s`, last first.
pub struct RevWords<'a> {
    s: &'a [u8],
}

pub fn rev_words(s: &[u8]) -> RevWords<'_> {
    RevWords { s }
}

impl<'a> Iterator for RevWords<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let end = self.s.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
        let start = self.s[..end]
            .iter()
            .rposition(|c| !c.is_ascii_alphanumeric())
            .map_or(0, |i| i + 1);
        let w = &self.s[start..end];
        self.s = &self.s[..start];
        Some(w)
    }
}

/// Where `needle` last starts in `hay`.
pub fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..].starts_with(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_come_last_first() {
        let w: Vec<&[u8]> = rev_words(b"  my Israeli, number: ").collect();
        assert_eq!(w, [&b"number"[..], b"Israeli", b"my"]);
        assert_eq!(rev_words(b" ,: ").next(), None);
        assert_eq!(rfind(b"number one number", b"number"), Some(11));
        assert_eq!(rfind(b"numb", b"number"), None);
    }
}
