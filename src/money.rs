//! Money as integers: prices are micro-units of a currency, costs
//! pico-units (10^-12), so sums never drift. Shared by accounting (cost of
//! a request) and budgets (spend against a limit).

/// Pico-units as a decimal string without trailing zeros: `0.0053`, `12.5`, `0`.
pub fn pico_decimal(pico: u128) -> String {
    let whole = pico / 1_000_000_000_000;
    let frac = pico % 1_000_000_000_000;
    if frac == 0 {
        return whole.to_string();
    }
    let f = format!("{frac:012}");
    format!("{whole}.{}", f.trim_end_matches('0'))
}

/// Micro-units as a decimal string: `5`, `0.25`.
pub fn micros_decimal(micros: u64) -> String {
    pico_decimal(u128::from(micros) * 1_000_000)
}
