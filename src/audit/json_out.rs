//! The audit record written as JSON by hand, byte for byte what
//! `serde_json::to_string` writes (a property test holds the two equal):
//! the filter writes one per request, and serde's generic path (a visitor
//! per field, a growing buffer) was a fifth of a 2 KB request's own work.

use super::record::{AttemptRecord, AuditRecord, BudgetRecord, Risk, RiskHit, UsageRecord};

/// Room for a typical record (about 800 bytes) without regrowing.
const TYPICAL: usize = 1024;

impl AuditRecord {
    pub fn to_json(&self) -> String {
        let mut w = Writer(String::with_capacity(TYPICAL));
        self.write(&mut w);
        w.0
    }

    fn write(&self, w: &mut Writer) {
        w.open('{');
        w.key_str("request_id", &self.request_id);
        w.key_opt_str("trace_id", self.trace_id.as_deref());
        w.key_opt_str("session_id", self.session_id.as_deref());
        w.key_opt_str("user", self.user.as_deref());
        w.key_opt_str("instance", self.instance.as_deref());
        w.key_u64("started_ms", self.started_ms);
        w.key_u64("finished_ms", self.finished_ms);
        w.key_u64("duration_ms", self.duration_ms);
        w.key_opt_u64("first_token_ms", self.first_token_ms);
        w.key_str("path", &self.path);
        w.key_bool("stream", self.stream);
        w.key_opt_str("model_requested", self.model_requested.as_deref());
        w.key_opt_str("model_used", self.model_used.as_deref());
        w.key_opt_str("provider", self.provider.as_deref());
        w.key_bool("secure", self.secure);
        w.key_opt_str("route_reason", self.route_reason.as_deref());
        w.key("risk");
        self.risk.write(w);
        w.key_array("attempts", &self.attempts, |w, a| a.write(w));
        w.key_u64("status", u64::from(self.status));
        w.key_opt_str("error", self.error.as_deref());
        w.key("usage");
        self.usage.write(w);
        w.key_bool("usage_complete", self.usage_complete);
        if self.usage_estimated {
            w.key_bool("usage_estimated", true);
        }
        w.key_opt_str("cost", self.cost.as_deref());
        w.key_opt_u64("cost_micros", self.cost_micros);
        w.key_opt_str("currency", self.currency.as_deref());
        w.key_str("config_hash", &self.config_hash);
        w.key("budget");
        match &self.budget {
            Some(b) => b.write(w),
            None => w.raw("null"),
        }
        if let Some(a) = &self.access {
            w.key("access");
            w.open('{');
            w.key_str("rule", &a.rule);
            w.key_str("outcome", &a.outcome);
            if a.skipped > 0 {
                w.key_u64("skipped", u64::from(a.skipped));
            }
            w.close('}');
        }
        if let Some(l) = &self.rate_limit {
            w.key_str("rate_limit", l);
        }
        w.key_opt_str("request_payload", self.request_payload.as_deref());
        w.key_opt_str("response_payload", self.response_payload.as_deref());
        if !self.clipped.is_empty() {
            w.key_array("clipped", &self.clipped, |w, c| w.string(c));
        }
        if self.quarantined {
            w.key_bool("quarantined", true);
        }
        if let Some(r) = &self.quarantine_reason {
            w.key_str("quarantine_reason", r);
        }
        w.close('}');
    }
}

impl Risk {
    fn write(&self, w: &mut Writer) {
        w.open('{');
        w.key_opt_str("action", self.action.as_deref());
        w.key_array("hits", &self.hits, |w, h| h.write(w));
        if let Some(a) = &self.shadow_action {
            w.key_str("shadow_action", a);
        }
        w.close('}');
    }
}

impl RiskHit {
    fn write(&self, w: &mut Writer) {
        w.open('{');
        w.key_str("rule", &self.rule);
        w.key_str("category", &self.category);
        w.key_str("severity", &self.severity);
        w.key_str("action", &self.action);
        w.key_u64("count", u64::from(self.count));
        if !self.evidence.is_empty() {
            w.key_array("evidence", &self.evidence, |w, e| w.string(e));
        }
        if self.shadow {
            w.key_bool("shadow", true);
        }
        w.close('}');
    }
}

impl AttemptRecord {
    fn write(&self, w: &mut Writer) {
        w.open('{');
        w.key_str("model", &self.model);
        w.key_str("provider", &self.provider);
        w.key_u64("status", u64::from(self.status));
        w.key_u64("duration_ms", self.duration_ms);
        w.close('}');
    }
}

impl UsageRecord {
    fn write(&self, w: &mut Writer) {
        w.open('{');
        w.key_opt_u64("prompt", self.prompt);
        w.key_opt_u64("completion", self.completion);
        w.key_opt_u64("total", self.total);
        w.key_opt_u64("cached", self.cached);
        if let Some(n) = self.cache_write {
            w.key_u64("cache_write", n);
        }
        w.key_opt_u64("reasoning", self.reasoning);
        w.close('}');
    }
}

impl BudgetRecord {
    fn write(&self, w: &mut Writer) {
        w.open('{');
        w.key_str("limit", &self.limit);
        w.key_str("outcome", &self.outcome);
        w.close('}');
    }
}

/// Compact JSON into a string; a comma goes before every member but the
/// first of its object or array.
struct Writer(String);

impl Writer {
    fn open(&mut self, c: char) {
        self.0.push(c);
    }

    fn close(&mut self, c: char) {
        self.0.push(c);
    }

    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    /// A separator unless the last byte opened the container.
    fn comma(&mut self) {
        if !matches!(self.0.as_bytes().last(), Some(b'{' | b'[') | None) {
            self.0.push(',');
        }
    }

    fn key(&mut self, k: &str) {
        self.comma();
        self.0.push('"');
        self.0.push_str(k);
        self.0.push_str("\":");
    }

    /// A member whose value is an array, each item written by `item`.
    fn key_array<T>(&mut self, k: &str, items: &[T], item: impl Fn(&mut Self, &T)) {
        self.key(k);
        self.open('[');
        for x in items {
            self.comma();
            item(self, x);
        }
        self.close(']');
    }

    fn key_str(&mut self, k: &str, v: &str) {
        self.key(k);
        self.string(v);
    }

    fn key_opt_str(&mut self, k: &str, v: Option<&str>) {
        self.key(k);
        match v {
            Some(s) => self.string(s),
            None => self.raw("null"),
        }
    }

    fn key_u64(&mut self, k: &str, n: u64) {
        self.key(k);
        self.number(n);
    }

    fn key_opt_u64(&mut self, k: &str, v: Option<u64>) {
        self.key(k);
        match v {
            Some(n) => self.number(n),
            None => self.raw("null"),
        }
    }

    fn key_bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.raw(if v { "true" } else { "false" });
    }

    fn number(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        // ASCII digits: one copy, not a push per digit
        self.0
            .push_str(std::str::from_utf8(digits.get(i..).unwrap_or_default()).unwrap_or_default());
    }

    /// serde_json's escaping: `"`, `\` and the control characters below
    /// 0x20 (short forms for five, `\u00xx` in lowercase hex for the
    /// rest); everything else, non-ASCII included, as is.
    fn string(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.0.push('"');
        let bytes = s.as_bytes();
        let mut start = 0;
        while let Some(i) = escaped_from(bytes, start) {
            let b = bytes.get(i).copied().unwrap_or_default();
            let short = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                _ => "",
            };
            // `i` is an ASCII byte, so both slices end on char boundaries
            self.0.push_str(s.get(start..i).unwrap_or_default());
            if short.is_empty() {
                self.0.push_str("\\u00");
                self.0.push(char::from(HEX[usize::from(b >> 4)]));
                self.0.push(char::from(HEX[usize::from(b & 0xf)]));
            } else {
                self.0.push_str(short);
            }
            start = i + 1;
        }
        self.0.push_str(s.get(start..).unwrap_or_default());
        self.0.push('"');
    }
}

/// The first byte at or after `from` that JSON escapes (`"`, `\`, below
/// 0x20). Eight bytes are checked at once (most text has none), the bytes
/// one by one only in the word that has one and in the tail.
fn escaped_from(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // a byte of `v` below `n` (n <= 0x80) sets its high bit; exact as a yes/no
    let below = |v: u64, n: u64| v.wrapping_sub(ONES * n) & !v & HIGH;
    let rest = bytes.get(from..)?;
    let mut at = from;
    for w in rest.chunks_exact(8) {
        let v = u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or_default());
        let hit = below(v, 0x20)
            | below(v ^ (ONES * u64::from(b'"')), 1)
            | below(v ^ (ONES * u64::from(b'\\')), 1);
        if hit != 0 {
            break;
        }
        at += 8;
    }
    let p = bytes
        .get(at..)?
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\')?;
    Some(at + p)
}

#[cfg(test)]
#[path = "json_out_tests.rs"]
mod tests;
