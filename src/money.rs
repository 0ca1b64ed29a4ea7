//! Money as integers: prices are micro-units of a currency, costs
//! pico-units (10^-12), so sums never drift. Shared by accounting (cost of
//! a request) and budgets (spend against a limit).

/// Pico-units as a decimal string without trailing zeros: `0.0053`, `12.5`, `0`.
/// Written digit by digit into one string: `format!` over a `u128` cost
/// ~850 instructions a call, and a priced request writes its cost twice.
pub fn pico_decimal(pico: u128) -> String {
    const UNIT: u128 = 1_000_000_000_000;
    let (whole, frac) = (pico / UNIT, pico % UNIT);
    let mut out = String::with_capacity(24);
    match u64::try_from(whole) {
        Ok(w) => digits(&mut out, w, 1),
        Err(_) => out = whole.to_string(),
    }
    if frac != 0 {
        // below 10^12, so a u64; its trailing zeros are not written
        let mut frac = u64::try_from(frac).unwrap_or(0);
        let mut width = 12;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        out.push('.');
        digits(&mut out, frac, width);
    }
    out
}

/// `n` in decimal onto `out`, left-padded with zeros to at least `width` digits.
fn digits(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut at = buf.len();
    while n > 0 || buf.len() - at < width {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
    }
    // ASCII digits
    out.push_str(std::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or_default());
}

/// Micro-units as a decimal string: `5`, `0.25`.
pub fn micros_decimal(micros: u64) -> String {
    pico_decimal(u128::from(micros) * 1_000_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digit-by-digit writer against the `format!` one it replaced.
    #[test]
    fn pico_decimal_matches_the_formatted_form() {
        fn old(pico: u128) -> String {
            let whole = pico / 1_000_000_000_000;
            let frac = pico % 1_000_000_000_000;
            if frac == 0 {
                return whole.to_string();
            }
            let f = format!("{frac:012}");
            format!("{whole}.{}", f.trim_end_matches('0'))
        }
        let mut x: u128 = 0x2545_F491_4F6C_DD1D;
        let mut cases = vec![
            0,
            1,
            10,
            999_999_999_999,
            1_000_000_000_000,
            1_500_000_000_000,
            u128::MAX,
        ];
        cases.extend((0..39).map(|k| 10u128.pow(k) - 1));
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(x % 10u128.pow(1 + (x % 30) as u32));
        }
        for c in cases {
            assert_eq!(pico_decimal(c), old(c), "{c}");
        }
    }
}
