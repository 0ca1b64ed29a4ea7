//! `GET /v1/models` answered from the config: enabled models plus `auto`.

use crate::config::Config;
use serde_json::json;

pub fn list(cfg: &Config, created: u64) -> String {
    let mut data = vec![
        json!({"id": cfg.auto.model_name, "object": "model", "created": created, "owned_by": "clawgate"}),
    ];
    for m in cfg.models.iter().filter(|m| m.enabled) {
        let owner = cfg
            .providers
            .get(m.provider)
            .map_or("", |p| p.name.as_str());
        data.push(json!({"id": m.name, "object": "model", "created": created, "owned_by": owner}));
    }
    json!({"object": "list", "data": data}).to_string()
}
