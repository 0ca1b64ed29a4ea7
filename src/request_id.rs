//! Request ids without a random crate: a per-VM random seed (std's
//! RandomState draws it from WASI `random_get`) hashed with time and a
//! counter.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

#[derive(Default)]
pub struct IdGen {
    seed: RandomState,
    counter: u64,
}

impl IdGen {
    /// 32 lowercase hex characters, unique across workers and restarts.
    pub fn next(&mut self, now_nanos: u128) -> String {
        self.counter = self.counter.wrapping_add(1);
        let mut a = self.seed.build_hasher();
        a.write_u128(now_nanos);
        a.write_u64(self.counter);
        let hi = a.finish();
        let mut b = self.seed.build_hasher();
        b.write_u64(hi);
        b.write_u64(self.counter);
        let mut id = String::with_capacity(32);
        for word in [hi, b.finish()] {
            for k in (0..16).rev() {
                let nibble = (word >> (4 * k)) & 0xF;
                id.push(char::from(b"0123456789abcdef"[nibble as usize]));
            }
        }
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_two_hashes_in_hex() {
        let mut g = IdGen::default();
        let id = g.next(42);
        let (hi, lo) = id.split_at(16);
        let (Ok(hi), Ok(lo)) = (u64::from_str_radix(hi, 16), u64::from_str_radix(lo, 16)) else {
            panic!("{id}");
        };
        assert_eq!(id, format!("{hi:016x}{lo:016x}"));
    }

    #[test]
    fn ids_are_32_hex_and_distinct_at_the_same_instant() {
        let mut g = IdGen::default();
        let a = g.next(7);
        let b = g.next(7);
        assert_ne!(a, b);
        assert!(
            a.len() == 32
                && a.bytes()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        assert_ne!(IdGen::default().next(7), a, "another VM draws another seed");
    }
}
