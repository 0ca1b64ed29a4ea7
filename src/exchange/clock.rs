//! The time, read only when an event needs it: under Envoy each read is a
//! hostcall, and most body chunks of a stream need none.

use std::cell::Cell;

pub struct Clock<'a> {
    read: &'a dyn Fn() -> u64,
    at: Cell<Option<u64>>,
}

impl<'a> Clock<'a> {
    /// `read` gives Unix milliseconds; it is called at most once.
    pub fn new(read: &'a dyn Fn() -> u64) -> Self {
        Clock {
            read,
            at: Cell::new(None),
        }
    }

    pub fn ms(&self) -> u64 {
        match self.at.get() {
            Some(t) => t,
            None => {
                let t = (self.read)();
                self.at.set(Some(t));
                t
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_once_and_only_when_asked() {
        let reads = Cell::new(0);
        let read = || {
            reads.set(reads.get() + 1);
            42
        };
        let c = Clock::new(&read);
        assert_eq!(reads.get(), 0);
        assert_eq!((c.ms(), c.ms()), (42, 42));
        assert_eq!(reads.get(), 1);
    }
}
