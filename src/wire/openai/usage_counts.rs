//! A JSON answer's usage read straight into counts: `usage` or
//! `response.usage`, no JSON value built. It reads what
//! `Usage::from_response` reads from the same body; any shape it cannot
//! take that way fails, and the caller takes the general path instead.

use crate::wire::usage::Usage;
use serde::Deserialize;

/// The counts of `body`, `Err` when its shape needs the general path.
pub(super) fn read(body: &[u8]) -> Result<Option<Usage>, serde_json::Error> {
    let c = serde_json::from_slice::<Object<Counts>>(body)?.0;
    Ok(match c.usage {
        Some(u) => u.0.usage(),
        None => c.response.and_then(|r| r.0.usage).and_then(|u| u.0.usage()),
    })
}

/// The parts of a body that carry usage. Only objects are read as
/// objects (serde's derive would also take an array, by position); a key
/// with an escape in it fails the read too.
#[derive(Default)]
struct Counts {
    usage: Option<Object<Fields>>,
    response: Option<Object<InnerCounts>>,
}

#[derive(Default)]
struct InnerCounts {
    usage: Option<Object<Fields>>,
}

#[derive(Default)]
struct Fields {
    prompt_tokens: Count,
    input_tokens: Count,
    completion_tokens: Count,
    output_tokens: Count,
    total_tokens: Count,
    prompt_tokens_details: Option<Object<Details>>,
    input_tokens_details: Option<Object<Details>>,
    completion_tokens_details: Option<Object<Details>>,
    output_tokens_details: Option<Object<Details>>,
}

#[derive(Default)]
struct Details {
    cached_tokens: Count,
    reasoning_tokens: Count,
}

/// A JSON object read member by member into `T`; a repeated key
/// overwrites, as in a parsed value, and other keys are skipped.
struct Object<T>(T);

trait Members: Default {
    fn member<'de, A: serde::de::MapAccess<'de>>(
        &mut self,
        key: &str,
        a: &mut A,
    ) -> Result<(), A::Error>;
}

impl<'de, T: Members> Deserialize<'de> for Object<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Members> serde::de::Visitor<'de> for V<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Object<T>, A::Error> {
                let mut t = T::default();
                while let Some(k) = a.next_key::<&'de str>()? {
                    t.member(k, &mut a)?;
                }
                Ok(Object(t))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// `Members` for a struct: each listed key read into its field, the rest
/// skipped.
macro_rules! members {
    ($t:ty { $($key:literal => $field:ident),* $(,)? }) => {
        impl Members for $t {
            fn member<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                a: &mut A,
            ) -> Result<(), A::Error> {
                match key {
                    $($key => self.$field = a.next_value()?,)*
                    _ => a.next_value::<serde::de::IgnoredAny>().map(drop)?,
                }
                Ok(())
            }
        }
    };
}

members!(Counts { "usage" => usage, "response" => response });
members!(InnerCounts { "usage" => usage });
members!(Fields {
    "prompt_tokens" => prompt_tokens,
    "input_tokens" => input_tokens,
    "completion_tokens" => completion_tokens,
    "output_tokens" => output_tokens,
    "total_tokens" => total_tokens,
    "prompt_tokens_details" => prompt_tokens_details,
    "input_tokens_details" => input_tokens_details,
    "completion_tokens_details" => completion_tokens_details,
    "output_tokens_details" => output_tokens_details,
});
members!(Details { "cached_tokens" => cached_tokens, "reasoning_tokens" => reasoning_tokens });

/// A count, read as `Value::as_u64` reads one (the same call, so the two
/// paths cannot disagree): a non-negative integer, else unknown; any
/// other value is unknown, not an error. A number builds no allocation.
#[derive(Default, Clone, Copy)]
struct Count(Option<u64>);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Count(serde_json::Value::deserialize(d)?.as_u64()))
    }
}

impl Fields {
    /// What `Usage::from_usage` reads from the same object.
    fn usage(&self) -> Option<Usage> {
        type D = Option<Object<Details>>;
        let detail = |a: &D, b: &D, f: fn(&Details) -> Count| {
            a.as_ref()
                .and_then(|d| f(&d.0).0)
                .or_else(|| b.as_ref().and_then(|d| f(&d.0).0))
        };
        let usage = Usage {
            prompt: self.prompt_tokens.0.or(self.input_tokens.0),
            completion: self.completion_tokens.0.or(self.output_tokens.0),
            total: self.total_tokens.0,
            cached: detail(
                &self.prompt_tokens_details,
                &self.input_tokens_details,
                |d| d.cached_tokens,
            ),
            cache_write: None,
            reasoning: detail(
                &self.completion_tokens_details,
                &self.output_tokens_details,
                |d| d.reasoning_tokens,
            ),
        };
        usage.known().then_some(usage)
    }
}
