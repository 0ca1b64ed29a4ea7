//! `clawgate schema`: the plugin config's schema, generated from the very
//! types the filter deserialises (`config::schema::RawConfig`), as an
//! OpenAPI v3 object schema without `$ref`s: the `openAPIV3Schema` of the
//! Higress console's `spec.yaml` (`scripts/higress_spec.py` writes it).

use clawgate::config::schema::RawConfig;
use schemars::gen::SchemaSettings;
use serde_json::Value;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: Args) -> ExitCode {
    match serde_json::to_string_pretty(&openapi_schema()) {
        Ok(s) => {
            outln!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("clawgate schema: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn openapi_schema() -> Value {
    let settings = SchemaSettings::openapi3().with(|s| {
        s.inline_subschemas = true;
        s.meta_schema = None;
    });
    let root = settings
        .into_generator()
        .into_root_schema_for::<RawConfig>();
    let mut v = serde_json::to_value(root.schema).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        // Sections read by hand are not deserialised by the derive
        // (`serde(skip_deserializing)`), which schemars marks read-only;
        // users write them like any other.
        if let Some(Value::Object(props)) = m.get_mut("properties") {
            for p in props.values_mut() {
                if let Value::Object(p) = p {
                    p.remove("readOnly");
                }
            }
        }
        m.remove("title");
        m.insert(
            "description".into(),
            "clawgate plugin configuration (global, or one route's override)".into(),
        );
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_closed_and_has_no_refs() {
        let s = openapi_schema();
        assert_eq!(s["type"], "object");
        assert_eq!(s["additionalProperties"], false, "unknown keys are errors");
        assert!(s["properties"]["providers"]["items"]["properties"]["cluster"].is_object());
        assert_eq!(
            s["properties"]["metrics"]["properties"]["ai_statistics"]["default"],
            "auto"
        );
        assert!(
            !s.to_string().contains("$ref"),
            "console schemas are inline"
        );
    }
}
