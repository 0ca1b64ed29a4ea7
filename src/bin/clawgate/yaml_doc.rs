//! YAML (or JSON, a subset) -> serde_json::Value plus the line and column
//! of every key path, so `check-config` can point at the offending line.

use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

pub struct Document {
    pub value: Value,
    /// Key path (as in `ConfigError::path`) -> (line, column), 1-based.
    pub positions: HashMap<String, (usize, usize)>,
}

impl Document {
    /// Position of the path, or of its nearest located parent.
    pub fn locate(&self, path: &str) -> Option<(usize, usize)> {
        let mut p = path.to_string();
        loop {
            if let Some(pos) = self.positions.get(&p) {
                return Some(*pos);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
        }
    }
}

enum Frame {
    Seq(Vec<Value>, String),
    Map(Map<String, Value>, String, Option<String>),
}

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    anchor_stack: Vec<usize>,
    root: Option<Value>,
    positions: HashMap<String, (usize, usize)>,
    error: Option<String>,
}

impl Builder {
    /// The path the next value will have, and records its position.
    fn next_path(&mut self) -> Option<String> {
        match self.stack.last() {
            None => Some(String::new()),
            Some(Frame::Seq(items, base)) => Some(format!("{base}[{}]", items.len())),
            Some(Frame::Map(_, base, Some(key))) => Some(if base.is_empty() {
                key.clone()
            } else {
                format!("{base}.{key}")
            }),
            Some(Frame::Map(_, _, None)) => None, // the next scalar is a key
        }
    }

    fn push_value(&mut self, v: Value, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, v.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(v),
            Some(Frame::Seq(items, _)) => items.push(v),
            Some(Frame::Map(m, _, key)) => {
                if let Some(k) = key.take() {
                    m.insert(k, v);
                }
            }
        }
    }
}

fn scalar(s: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(s);
    }
    match Yaml::from_str(&s) {
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(r) => r
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::String(s), Value::Number),
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Null => Value::Null,
        _ => Value::String(s),
    }
}

fn key_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let pos = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(s, style, anchor, _) => {
                if let Some(Frame::Map(_, base, key @ None)) = self.stack.last_mut() {
                    let k = key_text(&scalar(s, style));
                    let path = if base.is_empty() {
                        k.clone()
                    } else {
                        format!("{base}.{k}")
                    };
                    self.positions.insert(path, pos);
                    *key = Some(k);
                    return;
                }
                if let Some(p) = self.next_path() {
                    self.positions.entry(p).or_insert(pos);
                }
                self.push_value(scalar(s, style), anchor);
            }
            Event::Alias(id) => {
                let v = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                self.push_value(v, 0);
            }
            Event::SequenceStart(anchor, _) => {
                let p = self.next_path().unwrap_or_default();
                self.positions.entry(p.clone()).or_insert(pos);
                self.anchor_stack.push(anchor);
                self.stack.push(Frame::Seq(Vec::new(), p));
            }
            Event::MappingStart(anchor, _) => {
                if matches!(self.stack.last(), Some(Frame::Map(_, _, None))) {
                    self.error = Some(format!(
                        "line {}: complex mapping keys are not supported",
                        pos.0
                    ));
                }
                let p = self.next_path().unwrap_or_default();
                self.positions.entry(p.clone()).or_insert(pos);
                self.anchor_stack.push(anchor);
                self.stack.push(Frame::Map(Map::new(), p, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let anchor = self.anchor_stack.pop().unwrap_or(0);
                let v = match self.stack.pop() {
                    Some(Frame::Seq(items, _)) => Value::Array(items),
                    Some(Frame::Map(m, _, _)) => Value::Object(m),
                    None => Value::Null,
                };
                self.push_value(v, anchor);
            }
            _ => {}
        }
    }
}

pub fn parse(text: &str) -> Result<Document, String> {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        anchor_stack: Vec::new(),
        root: None,
        positions: HashMap::new(),
        error: None,
    };
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, false).map_err(|e| {
        format!(
            "line {}, column {}: {}",
            e.marker().line(),
            e.marker().col() + 1,
            e.info()
        )
    })?;
    if let Some(e) = b.error {
        return Err(e);
    }
    Ok(Document {
        value: b.root.unwrap_or(Value::Null),
        positions: b.positions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_positions() {
        let d = parse("a: 1\nb:\n  - x: true\n    y: 'str'\n  - 2.5\nc: ~\n").unwrap();
        assert_eq!(
            d.value,
            serde_json::json!({"a": 1, "b": [{"x": true, "y": "str"}, 2.5], "c": null})
        );
        assert_eq!(d.positions["a"], (1, 1));
        assert_eq!(d.positions["b[0].y"], (4, 5));
        assert_eq!(d.locate("b[0].y.deeper"), Some((4, 5)));
        assert_eq!(d.positions["b[1]"].0, 5);
    }

    #[test]
    fn json_is_yaml() {
        let d = parse(r#"{"providers": [{"name": "p"}]}"#).unwrap();
        assert_eq!(d.value["providers"][0]["name"], "p");
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let e = parse("a: [1, 2\nb: 3\n").err().unwrap();
        assert!(e.starts_with("line "), "{e}");
    }
}
