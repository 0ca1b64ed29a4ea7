//! PLACEHOLDER until the accounting branch lands (same API).
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub from_model: String,
    pub to_model: String,
    pub trigger_status: u16,
    pub attempts: u32,
}

pub fn add_to_json(body: &[u8], n: &Notice) -> Option<Vec<u8>> {
    let mut v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.as_object_mut()?
        .insert("gateway_notice".into(), serde_json::to_value(n).ok()?);
    serde_json::to_vec(&v).ok()
}

pub fn sse_prefix(n: &Notice) -> Vec<u8> {
    format!(
        "event: gateway_notice\ndata: {}\n\n",
        serde_json::to_string(n).unwrap_or_default()
    )
    .into_bytes()
}
