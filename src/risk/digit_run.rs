//! The digits of an ID as numbers, and the runs that mark a made-up one;
//! shared by the ID checks (`ids_world`, `ids_more`), below both.

/// The value's digits, or `None` when any byte is not an ASCII digit.
pub fn digits(v: &[u8]) -> Option<Vec<u32>> {
    v.iter()
        .map(|c| c.is_ascii_digit().then(|| u32::from(c - b'0')))
        .collect()
}

/// A run of one digit or the digits in order (`123456789`) is an example.
pub fn placeholder(d: &[u32]) -> bool {
    d.windows(2).all(|w| w[0] == w[1]) || d.windows(2).all(|w| w[1] == (w[0] + 1) % 10)
}
