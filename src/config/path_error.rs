//! The error of the config reader (`value_de`): a message and the key
//! path it happened at, built while the error unwinds.

use serde::de::{self, Unexpected};
use serde_json::Number;
use std::fmt;

/// A deserialization error and where it happened. Boxed: it travels up
/// through every generated visitor, and one pointer there costs much less
/// code than a String and a Vec (about 30 KB of wasm).
#[derive(Debug)]
pub struct PathError(Box<Failure>);

#[derive(Debug)]
struct Failure {
    message: String,
    /// Innermost first: pushed while the error unwinds.
    segments: Vec<Segment>,
}

#[derive(Debug)]
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

impl PathError {
    pub(super) fn at(mut self, segment: Segment) -> Self {
        self.0.segments.push(segment);
        self
    }

    /// `a.b[2].c`; empty for the document itself.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for s in self.0.segments.iter().rev() {
            match s {
                Segment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Segment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
            }
        }
        out
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for PathError {}

impl de::Error for PathError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        PathError(Box::new(Failure {
            message: msg.to_string(),
            segments: Vec::new(),
        }))
    }

    fn invalid_type(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {}",
            Shown(unexp),
            exp
        ))
    }

    fn invalid_value(unexp: Unexpected, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {}",
            Shown(unexp),
            exp
        ))
    }
}

/// An unexpected value as serde_json names it (`null`, not `unit value`).
/// Written out rather than delegating to serde's `Display`, whose float
/// arm would keep core's float formatting in the wasm; a float prints
/// through `serde_json::Number`, as serde_json's own errors do.
struct Shown<'a>(Unexpected<'a>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(i) => write!(f, "integer `{i}`"),
            Unexpected::Signed(i) => write!(f, "integer `{i}`"),
            Unexpected::Float(x) => match Number::from_f64(x) {
                Some(n) => write!(f, "floating point `{n}`"),
                None if x.is_nan() => f.write_str("floating point `NaN`"),
                None if x > 0.0 => f.write_str("floating point `inf`"),
                None => f.write_str("floating point `-inf`"),
            },
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {s:?}"),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("null"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}
