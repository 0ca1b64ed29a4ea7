//! The Luhn (mod 10) check, shared by payment cards (`validators`) and
//! the national IDs that use it (`ids_world`: the Canadian SIN).

/// Luhn (mod 10) check over digit values.
pub fn luhn(digits: &[u8]) -> bool {
    if digits.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut v = d as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}
