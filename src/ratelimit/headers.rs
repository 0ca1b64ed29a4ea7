//! The rate-limit headers a 429 carries, in both SDK families' spelling:
//! OpenAI's `x-ratelimit-*` (reset as a duration, `"12s"`) and
//! Anthropic's `anthropic-ratelimit-*` (reset as an RFC 3339 time). The
//! SDKs and the agent CLIs back off on `retry-after`; the rest tells a
//! person what was reached.

use super::Over;

pub fn for_over(o: &Over, now_ms: u64) -> Vec<(&'static str, String)> {
    let wait = o.retry_after_s(now_ms);
    let at = crate::budget::period::iso_utc(i64::try_from(o.reset_ms).unwrap_or(i64::MAX));
    let mut h = vec![("retry-after", wait.to_string())];
    if let Some(r) = o.rpm {
        let left = o.requests_left.min(r).to_string();
        h.push(("x-ratelimit-limit-requests", r.to_string()));
        h.push(("x-ratelimit-remaining-requests", left.clone()));
        h.push(("x-ratelimit-reset-requests", format!("{wait}s")));
        h.push(("anthropic-ratelimit-requests-limit", r.to_string()));
        h.push(("anthropic-ratelimit-requests-remaining", left));
        h.push(("anthropic-ratelimit-requests-reset", at.clone()));
    }
    if let Some(t) = o.tpm {
        let left = o.tokens_left.min(t).to_string();
        h.push(("x-ratelimit-limit-tokens", t.to_string()));
        h.push(("x-ratelimit-remaining-tokens", left.clone()));
        h.push(("x-ratelimit-reset-tokens", format!("{wait}s")));
        h.push(("anthropic-ratelimit-tokens-limit", t.to_string()));
        h.push(("anthropic-ratelimit-tokens-remaining", left));
        h.push(("anthropic-ratelimit-tokens-reset", at));
    }
    h
}
