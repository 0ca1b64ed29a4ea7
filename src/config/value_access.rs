//! The document's values as serde walks them: arrays, maps and enum
//! variants, each adding its index or key to an error from inside it.

use super::path_error::{PathError, Segment};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Unexpected, Visitor};
use serde_json::{Map, Number, Value};

/// One value of the document.
pub(super) struct Doc(pub(super) Value);

pub(super) fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => number_unexpected(n),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

pub(super) fn number_unexpected(n: &Number) -> Unexpected<'static> {
    if let Some(u) = n.as_u64() {
        Unexpected::Unsigned(u)
    } else if let Some(i) = n.as_i64() {
        Unexpected::Signed(i)
    } else {
        Unexpected::Float(n.as_f64().unwrap_or(f64::NAN))
    }
}

pub(super) fn visit_seq<'de, V: Visitor<'de>>(
    items: Vec<Value>,
    visitor: V,
) -> Result<V::Value, PathError> {
    let len = items.len();
    let mut seq = Seq {
        items: items.into_iter(),
        index: 0,
    };
    let out = visitor.visit_seq(&mut seq)?;
    if seq.items.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in array"))
    }
}

pub(super) fn visit_map<'de, V: Visitor<'de>>(
    map: Map<String, Value>,
    visitor: V,
) -> Result<V::Value, PathError> {
    let len = map.len();
    let mut entries = Entries {
        items: map.into_iter(),
        key: None,
    };
    let out = visitor.visit_map(&mut entries)?;
    if entries.items.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(len, &"fewer elements in map"))
    }
}

struct Seq {
    items: std::vec::IntoIter<Value>,
    index: usize,
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = PathError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, PathError> {
        let Some(v) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(Doc(v))
            .map(Some)
            .map_err(|e| e.at(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Entries {
    items: <Map<String, Value> as IntoIterator>::IntoIter,
    /// The entry whose key was read and whose value is next.
    key: Option<(String, Value)>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = PathError;

    /// An unknown or malformed key is an error at that key's path.
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, PathError> {
        let Some((k, v)) = self.items.next() else {
            return Ok(None);
        };
        let key = seed
            .deserialize(k.as_str().into_deserializer())
            .map_err(|e: PathError| e.at(Segment::Key(k.clone())))?;
        self.key = Some((k, v));
        Ok(Some(key))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, PathError> {
        let (k, v) = self
            .key
            .take()
            .ok_or_else(|| <PathError as de::Error>::custom("value is missing"))?;
        seed.deserialize(Doc(v)).map_err(|e| e.at(Segment::Key(k)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// An enum's variant name and, in the map form, its content.
pub(super) struct Variant {
    pub(super) name: String,
    pub(super) value: Option<Value>,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = PathError;
    type Variant = VariantContent;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, VariantContent), PathError> {
        let v = seed.deserialize(self.name.as_str().into_deserializer())?;
        Ok((
            v,
            VariantContent {
                name: self.name,
                value: self.value,
            },
        ))
    }
}

/// What follows the variant's name: an error in it is under that name.
pub(super) struct VariantContent {
    name: String,
    value: Option<Value>,
}

impl VariantContent {
    fn under<T>(
        self,
        read: impl FnOnce(Option<Value>) -> Result<T, PathError>,
    ) -> Result<T, PathError> {
        let name = self.name;
        read(self.value).map_err(|e| e.at(Segment::Key(name)))
    }
}

impl<'de> de::VariantAccess<'de> for VariantContent {
    type Error = PathError;

    fn unit_variant(self) -> Result<(), PathError> {
        self.under(|v| match v {
            Some(v) => de::Deserialize::deserialize(Doc(v)),
            None => Ok(()),
        })
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, PathError> {
        self.under(|v| match v {
            Some(v) => seed.deserialize(Doc(v)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        })
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, PathError> {
        self.under(|v| match v {
            Some(Value::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(v @ Value::Array(_)) => de::Deserializer::deserialize_any(Doc(v), visitor),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(&other),
                &"tuple variant",
            )),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        })
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PathError> {
        self.under(|v| match v {
            Some(Value::Object(map)) => visit_map(map, visitor),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(&other),
                &"struct variant",
            )),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        })
    }
}
