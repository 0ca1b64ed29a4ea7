//! A request body parsed into a `serde_json::Value`, refusing an object
//! key that appears twice at any depth. serde_json keeps the last of two
//! keys; an upstream may keep the first, so a body with two `messages`
//! would be scanned on one and answered on the other. One pass, the same
//! allocations as `serde_json::from_slice`, and the same nesting limit.
//! Every JSON document the filter reads goes through this one visitor
//! (`lenient` keeps serde_json's last-key-wins for answers and config), so
//! the wasm carries one JSON-to-`Value` parser, not two.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::fmt;

/// Why a body did not parse.
#[derive(Debug)]
pub enum StrictError {
    /// Not JSON (syntax, truncation, nesting past serde_json's limit).
    Syntax { line: usize, column: usize },
    /// Valid JSON with a repeated object key. The key itself is not kept:
    /// client text is never echoed.
    DuplicateKey { line: usize, column: usize },
}

const DUPLICATE: &str = "duplicate object key";

/// Any JSON document; a repeated key keeps the last value, as serde_json does.
pub fn lenient(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    parse(bytes, false)
}

fn parse(bytes: &[u8], strict: bool) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = StrictValue { strict }.deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// A request body: a repeated key anywhere is an error.
pub fn from_slice(bytes: &[u8]) -> Result<Value, StrictError> {
    parse(bytes, true).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        if e.is_data() && e.to_string().starts_with(DUPLICATE) {
            StrictError::DuplicateKey { line, column }
        } else {
            StrictError::Syntax { line, column }
        }
    })
}

#[derive(Clone, Copy)]
struct StrictValue {
    strict: bool,
}

impl<'de> DeserializeSeed<'de> for StrictValue {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor(self))
    }
}

struct StrictVisitor(StrictValue);

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(v) = seq.next_element_seed(self.0)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            if self.0.strict && out.contains_key(&k) {
                return Err(A::Error::custom(DUPLICATE));
            }
            let v = map.next_value_seed(self.0)?;
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_value_as_serde_json() {
        for s in [
            r#"{"a":[1,-2,3.5,true,null,"x\u00e9"],"b":{"c":{}},"d":[]}"#,
            r#"[{"a":1},{"a":2}]"#,
            "1e400",
            r#""\ud83d\ude00""#,
        ] {
            let want: Result<Value, _> = serde_json::from_str(s);
            assert_eq!(
                from_slice(s.as_bytes()).ok(),
                want.as_ref().ok().cloned(),
                "{s}"
            );
            assert_eq!(lenient(s.as_bytes()).ok(), want.ok(), "{s}");
        }
    }

    #[test]
    fn repeated_keys_are_refused_at_any_depth() {
        for s in [
            r#"{"messages":[],"messages":[]}"#,
            r#"{"m":{"x":1,"y":2,"x":3}}"#,
            r#"{"a":[{"k":1,"k":1}]}"#,
            r#"{"\u0061":1,"a":2}"#,
        ] {
            assert!(
                matches!(
                    from_slice(s.as_bytes()),
                    Err(StrictError::DuplicateKey { .. })
                ),
                "{s}"
            );
        }
    }

    #[test]
    fn syntax_errors_and_depth() {
        for s in ["{", "{\"a\":1} x", "[1,]", "\"\\ud800\"x"] {
            assert!(
                matches!(from_slice(s.as_bytes()), Err(StrictError::Syntax { .. })),
                "{s}"
            );
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(matches!(
            from_slice(deep.as_bytes()),
            Err(StrictError::Syntax { .. })
        ));
        assert!(from_slice(b"\xff\"").is_err());
    }
}
