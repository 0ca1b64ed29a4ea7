//! Shared by the property tests: the unit tests' seeded generator
//! (`src/test_rng.rs`, so a failure names its case and reruns the same),
//! with two helpers of its own.

#[path = "../../src/test_rng.rs"]
mod rng;
pub use rng::Rng;

#[allow(dead_code)]
impl Rng {
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
}
