//! The request line and headers of a call to the sidecar: audit batches
//! and budget pulls go to the same cluster with the same credentials.

use crate::audit::settings::AuditConfig;

/// Headers of a batch request to the sidecar.
pub fn batch_headers(a: &AuditConfig) -> Vec<(&'static str, String)> {
    let mut h = vec![
        (":method", "POST".to_string()),
        (":path", a.path.clone()),
        (":authority", a.authority.clone()),
        ("content-type", "application/json".to_string()),
    ];
    if let Some(t) = &a.token {
        h.push(("authorization", format!("Bearer {t}")));
    }
    h
}
