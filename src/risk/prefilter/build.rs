//! The prefilter's tables, built once per rule set: every literal filed
//! under the filter slots and buckets its first bytes can hash to.

use super::super::numerals;
use super::*;

impl Prefilter {
    /// `rules[i]` says where rule `i` may match.
    pub fn new(rules: &[RuleAnchors]) -> Prefilter {
        let mut lits = Vec::new();
        let mut single = Vec::new();
        let mut digits = Vec::new();
        let mut always = Vec::new();
        let mut spans = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let rule = i as u32;
            spans.push(Span {
                before: r.before,
                after: r.after,
                confirm: r.confirm,
            });
            let mut any = false;
            for a in &r.anchors {
                match a {
                    Anchor::Lit { text, word } if !text.is_empty() => {
                        any = true;
                        let lit = Lit {
                            text: text.to_ascii_lowercase().into_bytes(),
                            word: *word,
                            rule,
                        };
                        if lit.text.len() == 1 {
                            single.push(lit);
                        } else {
                            lits.push(lit);
                        }
                    }
                    Anchor::Lit { .. } => {}
                    Anchor::Digits(n) => {
                        any = true;
                        digits.push(((*n).max(1), rule));
                    }
                }
            }
            if !any {
                always.push(rule);
            }
        }
        let min_digits = digits.iter().map(|d| d.0).min().unwrap_or(usize::MAX);
        // (bucket, entry) for every 3-byte group a literal can start with.
        let mut keys: Vec<(usize, u32, u32)> = Vec::new();
        let mut filter = Box::new([0u8; SLOTS]);
        let mut add3 = |g: u32, entry: u32, bits: u8, keys: &mut Vec<(usize, u32, u32)>| {
            let g = (g | FOLD) & GROUP;
            let h = slot(g);
            filter[h] |= bits;
            keys.push((h >> (FILTER_BITS - BUCKET_BITS), g, entry));
        };
        for (e, l) in lits.iter().enumerate() {
            let g = l
                .text
                .iter()
                .take(3)
                .enumerate()
                .fold(0u32, |g, (k, &c)| g | (c as u32) << (8 * k));
            let bits = l.text.get(3).map_or(0xFF, |&c| 1u8 << (c & 7));
            if l.text.len() == 2 {
                // any third byte (its low 5 bits), or none (0 past the end)
                for c in 0..32u32 {
                    add3(g | c << 16, e as u32, bits, &mut keys);
                }
            } else {
                add3(g, e as u32, bits, &mut keys);
            }
        }
        if min_digits >= 3 && min_digits != usize::MAX {
            for d in 0..1000u32 {
                let g = (b'0' as u32 + d / 100)
                    | (b'0' as u32 + d / 10 % 10) << 8
                    | (b'0' as u32 + d % 10) << 16;
                add3(g, DIGIT_RUN, 0xFF, &mut keys);
            }
        }
        // the characters the normaliser folds, on their raw bytes: 2-byte
        // ones under any third byte, like 2-byte literals
        for c in normalise::folded_chars().chain(numerals::rare()) {
            let mut buf = [0u8; 4];
            let enc = c.encode_utf8(&mut buf).as_bytes();
            let g = enc
                .iter()
                .take(3)
                .enumerate()
                .fold(0u32, |g, (k, &c)| g | (c as u32) << (8 * k));
            if enc.len() == 2 {
                for c in 0..32u32 {
                    add3(g | c << 16, FOLD_CHAR, 0xFF, &mut keys);
                }
            } else {
                add3(g, FOLD_CHAR, 0xFF, &mut keys);
            }
        }
        let starts: Vec<u32> = (0..lits.len() as u32)
            .filter(|&e| lits[e as usize].text.len() > 1 && lits[e as usize].text[0] == b'\n')
            .collect();
        let mut start_bytes = [false; 256];
        for &e in &starts {
            let c = lits[e as usize].text[1];
            start_bytes[c as usize] = true;
            start_bytes[c.to_ascii_uppercase() as usize] = true;
        }
        keys.sort_unstable();
        keys.dedup();
        let mut offsets = vec![0u32; (1 << BUCKET_BITS) + 1];
        for &(k, _, _) in &keys {
            offsets[k + 1] += 1;
        }
        for k in 0..1 << BUCKET_BITS {
            offsets[k + 1] += offsets[k];
        }
        let entries: Vec<Entry> = keys
            .into_iter()
            .map(|(_, group, e)| {
                let head: &[u8] = match lits.get(e as usize) {
                    Some(l) => &l.text,
                    None => b"000", // a digit run: 3 digits
                };
                let n = head.len().min(8);
                let mask = if n == 8 {
                    u64::MAX
                } else {
                    (1u64 << (8 * n)) - 1
                };
                let (head, mask) = if e == FOLD_CHAR {
                    (0, 0) // checked on the raw bytes (`normalise::folds_at`)
                } else if e == DIGIT_RUN {
                    // any 3 digits: the group says which
                    (group as u64, GROUP as u64)
                } else {
                    (key8(head) & mask, mask)
                };
                Entry {
                    group,
                    lit: e,
                    head,
                    mask,
                }
            })
            .collect();
        Prefilter {
            lits,
            filter,
            offsets,
            entries,
            single,
            digits,
            min_digits,
            always,
            starts,
            start_bytes,
            spans,
        }
    }
}
