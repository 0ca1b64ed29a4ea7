//! Rate limits across gateways: `POST /v1/ratelimits/sync` keeps a
//! gateway's counts and answers with every other gateway's in the same
//! minute (the filter adds them to its own: `ratelimit::remote`);
//! `GET /v1/ratelimits` is the console's view of each limit's current
//! minute over all gateways.

use super::api::{blocking, newest_config, ApiError, ApiResult, Shared};
use super::store::RateRow;
use axum::body::Bytes;
use axum::extract::State as AxState;
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Sync {
    gateway: String,
    minute: u64,
    #[serde(default)]
    usage: Vec<Use>,
}

#[derive(Deserialize)]
struct Use {
    limit: String,
    key: String,
    minute: u64,
    requests: u64,
    tokens: u64,
}

fn int(n: u64) -> Result<i64, ApiError> {
    i64::try_from(n).map_err(|_| ApiError::bad_request("invalid_rate_sync", "a count out of range"))
}

fn rows(s: &Sync) -> Result<Vec<RateRow>, ApiError> {
    let bad = |m: &str| ApiError::bad_request("invalid_rate_sync", m.to_string());
    if s.gateway.is_empty() || s.gateway.len() > 128 {
        return Err(bad("`gateway` must be 1-128 bytes"));
    }
    s.usage
        .iter()
        .map(|u| {
            if u.limit.is_empty() || u.limit.len() > 64 || u.key.is_empty() || u.key.len() > 512 {
                return Err(bad("a `limit` (1-64 bytes) and a `key` (1-512) each"));
            }
            Ok(RateRow {
                limit: u.limit.clone(),
                key: u.key.clone(),
                minute: int(u.minute)?,
                requests: int(u.requests)?,
                tokens: int(u.tokens)?,
            })
        })
        .collect()
}

pub async fn sync(AxState(st): AxState<Shared>, body: Bytes) -> ApiResult {
    let s: Sync = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request("invalid_rate_sync", format!("not a rate-limit sync: {e}"))
    })?;
    let rows = rows(&s)?;
    let minute = int(s.minute)?;
    let gateway = s.gateway;
    let others = blocking(&st, move |db| {
        db.rate_put(&gateway, &rows)?;
        db.rate_sums(minute, &gateway)
    })
    .await?;
    let usage: Vec<Value> = others
        .iter()
        .map(
            |r| json!({"limit": r.limit, "key": r.key, "requests": r.requests, "tokens": r.tokens}),
        )
        .collect();
    Ok(Json(json!({"minute": minute, "usage": usage})).into_response())
}

/// Each rate limit of the newest configuration that has any, with every
/// key's count in the current minute over all gateways and what is left.
pub fn view(
    rl: &clawgate::ratelimit::RateLimits,
    sums: &[RateRow],
    hash: &str,
    now_ms: i64,
) -> Value {
    let reset_ms = (now_ms.div_euclid(60_000) + 1) * 60_000;
    let limits: Vec<Value> = rl
        .limits
        .iter()
        .map(|l| {
            let usage: Vec<Value> = sums
                .iter()
                .filter(|r| r.limit == l.name)
                .map(|r| {
                    let left = |max: Option<u64>, used: i64| {
                        max.map(|m| m.saturating_sub(u64::try_from(used).unwrap_or(0)))
                    };
                    json!({
                        "who": r.key,
                        "requests": r.requests,
                        "requests_left": left(l.rpm, r.requests),
                        "tokens": r.tokens,
                        "tokens_left": left(l.tpm, r.tokens),
                    })
                })
                .collect();
            json!({
                "name": l.name,
                "match": l.scope.pattern,
                "shared": l.scope.shared,
                "models": l.scope.model_names,
                "requests_per_minute": l.rpm,
                "tokens_per_minute": l.tpm,
                "usage": usage,
            })
        })
        .collect();
    json!({"config_hash": hash, "reset_ms": reset_ms, "limits": limits})
}

pub async fn current(AxState(st): AxState<Shared>) -> ApiResult {
    let now = st.now_ms();
    let v = blocking(&st, move |s| {
        let none = || json!({"config_hash": null, "limits": []});
        let Some((pc, hash)) = newest_config(s, |pc| pc.global.rate_limits.is_some())? else {
            return Ok(none());
        };
        let Some(rl) = &pc.global.rate_limits else {
            return Ok(none());
        };
        let sums = s.rate_sums(now.div_euclid(60_000), "")?;
        Ok(view(rl, &sums, &hash, now))
    })
    .await?;
    Ok(Json(v).into_response())
}
