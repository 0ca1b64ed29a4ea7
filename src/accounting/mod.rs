//! Cost of a request in integer pico-units of its currency (10^-12), so sums
//! never drift: prices are micro-units per 1M tokens, so tokens × price is
//! already pico-units.

mod compile;
pub mod settings;

pub use crate::money::micros_decimal;
pub use compile::{compile, compile_pricing};
pub use settings::{AccountingConfig, Pricing};

use crate::wire::Usage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cost {
    pub pico: u128,
    pub currency: String,
    /// False when the model has no pricing (cost 0 by definition).
    pub priced: bool,
}

/// `None` when usage is unknown (cost cannot be known either).
pub fn cost(usage: &Usage, pricing: Option<&Pricing>) -> Option<Cost> {
    let (prompt, completion) = (usage.prompt?, usage.completion?);
    let Some(p) = pricing else {
        return Some(Cost {
            pico: 0,
            currency: String::new(),
            priced: false,
        });
    };
    let cached = usage.cached.unwrap_or(0).min(prompt);
    let written = usage.cache_write.unwrap_or(0).min(prompt - cached);
    let reasoning = usage.reasoning.unwrap_or(0).min(completion);
    let t = |n: u64, price: u64| u128::from(n) * u128::from(price);
    let pico = t(prompt - cached - written, p.input_per_1m)
        + t(cached, p.cached_input_per_1m)
        + t(written, p.cache_write_per_1m)
        + t(completion - reasoning, p.output_per_1m)
        + t(reasoning, p.reasoning_per_1m);
    Some(Cost {
        pico,
        currency: p.currency.clone(),
        priced: true,
    })
}

impl Cost {
    /// Whole micro-units (for counters), rounded down.
    pub fn micros(&self) -> u64 {
        u64::try_from(self.pico / 1_000_000).unwrap_or(u64::MAX)
    }

    /// Decimal string without trailing zeros: `0.0053`, `12.5`, `0`.
    pub fn to_decimal_string(&self) -> String {
        crate::money::pico_decimal(self.pico)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pricing() -> Pricing {
        Pricing {
            input_per_1m: 2_500_000,
            output_per_1m: 10_000_000,
            cached_input_per_1m: 1_250_000,
            cache_write_per_1m: 3_750_000,
            reasoning_per_1m: 20_000_000,
            currency: "USD".into(),
        }
    }

    #[test]
    fn cached_and_reasoning_at_their_prices() {
        let u = Usage {
            prompt: Some(1000),
            completion: Some(300),
            total: Some(1300),
            cached: Some(400),
            cache_write: None,
            reasoning: Some(100),
        };
        let c = cost(&u, Some(&pricing())).unwrap();
        // 600*2.5 + 400*1.25 + 200*10 + 100*20 = 1500 + 500 + 2000 + 2000 = 6000 per 1M = 0.006
        assert_eq!(c.to_decimal_string(), "0.006");
        assert_eq!(c.micros(), 6000);
        assert_eq!(c.currency, "USD");
    }

    #[test]
    fn cache_writes_at_their_price() {
        // Anthropic: 10 fresh + 100 read + 20 written input tokens.
        let u = Usage {
            prompt: Some(130),
            completion: Some(5),
            cached: Some(100),
            cache_write: Some(20),
            ..Default::default()
        };
        let c = cost(&u, Some(&pricing())).unwrap();
        // 10*2.5 + 100*1.25 + 20*3.75 + 5*10 = 25 + 125 + 75 + 50 = 275 per 1M
        assert_eq!(c.to_decimal_string(), "0.000275");
    }

    #[test]
    fn unknown_and_unpriced() {
        let u = Usage {
            prompt: None,
            completion: Some(3),
            ..Default::default()
        };
        assert_eq!(cost(&u, Some(&pricing())), None);
        let u = Usage {
            prompt: Some(1),
            completion: Some(1),
            ..Default::default()
        };
        let c = cost(&u, None).unwrap();
        assert!(!c.priced);
        assert_eq!(c.to_decimal_string(), "0");
    }

    #[test]
    fn sums_do_not_drift() {
        let u = Usage {
            prompt: Some(1),
            completion: Some(0),
            ..Default::default()
        };
        let p = Pricing {
            input_per_1m: 150_000,
            output_per_1m: 0,
            cached_input_per_1m: 0,
            cache_write_per_1m: 0,
            reasoning_per_1m: 0,
            currency: "USD".into(),
        };
        let one = cost(&u, Some(&p)).unwrap();
        assert_eq!(one.to_decimal_string(), "0.00000015");
        let total: u128 = (0..1_000_000).map(|_| one.pico).sum();
        assert_eq!(total, 150_000_000_000);
    }
}
