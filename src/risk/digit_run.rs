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

/// The number the digits `d` spell (at most 19 of them fit).
pub fn number(d: &[u32]) -> u64 {
    d.iter().fold(0, |a, &x| a * 10 + u64::from(x))
}

/// The digits weighted one by one (the shorter of the two sets the length).
pub fn weighted(d: &[u32], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(x, w)| x * w).sum()
}

/// Is `year-month-day` a day of the Gregorian calendar?
pub fn real_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let max = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => 0,
    };
    (1..=max).contains(&day)
}

/// Two digits as a number (`d[i]d[i+1]`); 0 past the end.
pub fn pair(d: &[u32], i: usize) -> u32 {
    d.get(i).zip(d.get(i + 1)).map_or(0, |(a, b)| a * 10 + b)
}

/// The value's digits when it is exactly `n` (at most 16) ASCII digits, in
/// an array padded with zeros: the checks index it without bounds checks,
/// and one function serves every length (smaller in the wasm than a `Vec`
/// of [`digits`] or a copy per length). Slice it to `n` before a test of
/// the whole run.
pub fn fixed(v: &[u8], n: usize) -> Option<[u32; 16]> {
    if v.len() != n || n > 16 {
        return None;
    }
    let mut d = [0; 16];
    for (x, c) in d.iter_mut().zip(v) {
        if !c.is_ascii_digit() {
            return None;
        }
        *x = u32::from(c - b'0');
    }
    Some(d)
}
