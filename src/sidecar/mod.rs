//! The root context's link to the sidecar, as a state machine with no
//! host: inputs come in (a config, a tick, an answer to a call, a record
//! pushed by a request), calls and effects go out (`Out`). It holds four
//! conversations over the audit cluster, one call of each in flight:
//! - audit batches, whose schedule, backoff, splitting and quarantine are
//!   the queue's (`audit::queue`);
//! - budget pulls every `budgets.pull_interval_ms`: an answer is kept,
//!   and shared with the other workers, which adopt a newer one on tick;
//! - the config for the sidecar's history, sent until a 2xx takes it,
//!   retried every `HISTORY_RETRY_MS`;
//! - rate-limit syncs every `ratelimit::remote::SYNC_MS` (with rate limits
//!   and an audit cluster): this gateway's counts out, the other
//!   gateways' in (`ratelimit::remote`).
//!
//! `host::root` only fetches inputs and applies the effects; every
//! decision here is tested natively (`tests.rs`).

mod call;
#[cfg(test)]
mod tests;

pub use call::{Call, Kind, Level, Out};

use crate::audit::quarantine;
use crate::audit::queue::{batch_headers, Answer, AuditQueue};
use crate::audit::AuditConfig;
use crate::budget::{Budgets, Snapshot};
use crate::config::{redact, PluginConfig};
use crate::metrics::{self, Every};
use crate::ratelimit::{remote, Remote, Window};
use call::Calls;
use std::rc::Rc;

/// How often the config is offered to the sidecar's history until taken.
pub const HISTORY_RETRY_MS: u64 = 5000;

/// What the host does with the link's outputs.
pub trait Effects {
    /// Sends a call; the token its answer will carry, `None` when the
    /// dispatch failed.
    fn dispatch(&mut self, call: &Call) -> Option<u32>;
    /// Every other effect (never a `Dispatch`).
    fn apply(&mut self, out: Out);
}

#[derive(Default)]
pub struct Link {
    audit: Option<AuditConfig>,
    /// Records waiting for the sidecar; kept across a reconfigure.
    queue: Option<AuditQueue>,
    /// When counters next go to Envoy.
    counters: Every,
    budgets: Option<Budgets>,
    /// The spend query's body, built once per config.
    budget_query: Vec<u8>,
    pull: Every,
    /// Shared-data key the workers exchange budget state under.
    budget_key: String,
    /// The newest budget state any worker pulled.
    budget: Option<Rc<Snapshot>>,
    /// The config for the sidecar's history (redacted), until taken.
    history: Option<Vec<u8>>,
    history_retry: Every,
    /// Rate limits sync through the sidecar (rate limits and an audit
    /// cluster are configured).
    rate_sync: Option<Every>,
    /// What other gateways counted, as the sidecar last said.
    rate_remote: Option<Rc<Remote>>,
    /// The last sync failed (said once, not every second).
    rate_failing: bool,
    calls: Calls,
}

impl Link {
    /// A new config; returns the tick period it needs. A token that
    /// cannot be resolved refuses the config and changes nothing. The
    /// queue keeps its records (within the new limits), and calls in
    /// flight are still answered.
    pub fn configure(
        &mut self,
        pc: &PluginConfig,
        source: &[u8],
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<u64, String> {
        // The token may come from the VM environment (a Secret under
        // Higress); the host reads it, the config decides.
        let audit = pc
            .audit()
            .cloned()
            .map(|mut a| {
                a.token = a.resolve_token(env)?;
                Ok::<_, String>(a)
            })
            .transpose()?;
        let tick = metrics::tick_ms(audit.as_ref().map(|a| a.flush_interval_ms));
        if let Some(a) = &audit {
            let flush = Every::new(a.flush_interval_ms, tick);
            match &mut self.queue {
                Some(q) => q.configure(a.buffer_max_records, a.batch_max, flush),
                None => {
                    let (n, b) = (a.buffer_max_records, a.batch_max);
                    self.queue = Some(AuditQueue::new(n, b, flush, quarantine::stub));
                }
            }
        }
        self.counters = Every::new(metrics::FLUSH_INTERVAL_MS, tick);
        // each worker sends it; the sidecar keeps one per hash
        self.history = audit
            .as_ref()
            .and_then(|_| redact::history_body(source, &pc.global.hash));
        self.history_retry = Every::new(HISTORY_RETRY_MS, tick);
        self.budgets = pc.global.budgets.clone();
        if let Some(b) = &self.budgets {
            self.budget_query = serde_json::to_vec(&b.query()).unwrap_or_default();
            self.pull = Every::new(b.pull_interval_ms, tick);
            self.budget_key = format!("clawgate.budget.{}", pc.global.hash);
        }
        let rate_limited = pc.global.rate_limits.is_some()
            || pc.rules.iter().any(|(_, c)| c.rate_limits.is_some());
        self.rate_sync =
            (rate_limited && audit.is_some()).then(|| Every::new(remote::SYNC_MS, tick));
        if self.rate_sync.is_none() {
            self.rate_remote = None;
        }
        self.audit = audit;
        Ok(tick)
    }

    /// Applies `outs` in order: a call is dispatched and its token (or
    /// failure) fed back, and what that returns is applied next.
    pub fn run(&mut self, mut outs: Vec<Out>, now_ms: u64, host: &mut dyn Effects) {
        // a stack, last first: what a dispatch returns goes on top
        outs.reverse();
        while let Some(o) = outs.pop() {
            match o {
                Out::Dispatch(call) => {
                    let token = host.dispatch(&call);
                    outs.extend(self.dispatched(call.kind, token, now_ms).into_iter().rev());
                }
                other => host.apply(other),
            }
        }
    }

    /// A record from a request, serialized once by the filter.
    pub fn push(&mut self, record_json: String) {
        if let Some(q) = &mut self.queue {
            q.push(record_json);
        }
    }

    /// Whether requests should build audit records at all.
    pub fn audits(&self) -> bool {
        self.queue.is_some()
    }

    /// The budget state requests decide with.
    pub fn budget(&self) -> Option<Rc<Snapshot>> {
        self.budget.clone()
    }

    /// What other gateways counted, for requests to add to this one's.
    pub fn rate_remote(&self) -> Option<Rc<Remote>> {
        self.rate_remote.clone()
    }

    /// Whether `sync_rates` wants this gateway's counts (the host reads
    /// them from shared data only then).
    pub fn syncs_rates(&self) -> bool {
        self.rate_sync.is_some()
    }

    /// A sync when one is due and none is in flight: `windows` are this
    /// gateway's counts (this minute's) under the keys this worker
    /// counted, `gateway` its id.
    pub fn sync_rates(
        &mut self,
        now_ms: u64,
        gateway: &str,
        windows: &[(String, Window)],
    ) -> Vec<Out> {
        let mut out = Vec::new();
        let (Some(every), Some(a)) = (&mut self.rate_sync, &self.audit) else {
            return out;
        };
        if self.calls.busy(Kind::Rate) || !every.due(now_ms) {
            return out;
        }
        let mut headers = batch_headers(a);
        for (k, v) in &mut headers {
            if *k == ":path" {
                *v = remote::SYNC_PATH.to_string();
            }
        }
        out.push(Out::Dispatch(Call {
            kind: Kind::Rate,
            cluster: a.cluster.clone(),
            headers,
            body: remote::sync_body(gateway, now_ms / 60_000, windows),
            timeout_ms: a.timeout_ms,
        }));
        out
    }

    /// The shared-data key `tick` wants read, when budgets are on.
    pub fn shared_key(&self) -> Option<&str> {
        self.budgets.as_ref().map(|_| self.budget_key.as_str())
    }

    /// Time passed: a batch when one is due, the history when it waits,
    /// a newer budget state another worker shared (`shared`: the bytes
    /// under `shared_key`), a pull when due, counters once a second.
    pub fn tick(&mut self, now_ms: u64, shared: Option<&[u8]>) -> Vec<Out> {
        let mut out = Vec::new();
        self.ship(now_ms, &mut out);
        if self.history.is_some()
            && !self.calls.busy(Kind::History)
            && self.history_retry.due(now_ms)
        {
            self.send_history(&mut out);
        }
        if self.budgets.is_some() {
            if let Some(s) = shared.and_then(|b| Snapshot::newer(self.budget.as_ref(), b)) {
                self.budget = Some(Rc::new(s));
            }
            if !self.calls.busy(Kind::Pull) && self.pull.due(now_ms) {
                self.pull_budgets(&mut out);
            }
        }
        if self.counters.due(now_ms) {
            self.count(&mut out);
            out.push(Out::FlushCounters);
        }
        out
    }

    /// The host dispatched a call: its token, or `None` when the dispatch
    /// failed (an unknown cluster, say), which is a call with no answer.
    pub fn dispatched(&mut self, kind: Kind, token: Option<u32>, now_ms: u64) -> Vec<Out> {
        let mut out = Vec::new();
        match (token, kind) {
            (Some(t), _) => self.calls.sent(kind, t),
            (None, Kind::Batch) => {
                let cluster = self.audit.as_ref().map_or("", |a| a.cluster.as_str());
                out.push(warn(format!(
                    "cannot dispatch audit batch to cluster `{cluster}`; will retry"
                )));
                self.batch_done(0, now_ms, &mut out);
            }
            (None, Kind::Pull) => {
                let cluster = self.audit.as_ref().map_or("", |a| a.cluster.as_str());
                out.push(warn(format!("cannot pull budgets from `{cluster}`")));
            }
            // offered again at the next retry tick
            (None, Kind::History) => {}
            // again at the next sync
            (None, Kind::Rate) => {}
        }
        out
    }

    /// The answer to a call (status 0: it failed, no headers came). A
    /// batch is taken, split, stubbed or retried; a pull's state is kept
    /// and shared, or the last one holds; the history is done on a 2xx.
    pub fn answer(&mut self, token: u32, status: u32, body: Vec<u8>, now_ms: u64) -> Vec<Out> {
        let mut out = Vec::new();
        match self.calls.answered(token) {
            Some(Kind::Batch) => self.batch_done(status, now_ms, &mut out),
            Some(Kind::Pull) => self.pulled(status, body, now_ms, &mut out),
            Some(Kind::History) if (200..300).contains(&status) => self.history = None,
            Some(Kind::Rate) => self.rates_synced(status, &body, &mut out),
            // history: offered again at the next retry tick
            Some(Kind::History) | None => {}
        }
        out
    }

    fn batch_done(&mut self, status: u32, now_ms: u64, out: &mut Vec<Out>) {
        let Some(q) = &mut self.queue else {
            return;
        };
        let said = match q.on_response(status, now_ms) {
            Answer::Taken => None,
            Answer::Retry => Some(warn(format!(
                "audit batch not taken by the sidecar (status {status}); will retry"
            ))),
            Answer::Split => Some(warn(format!(
                "audit batch refused by the sidecar (status {status}); sending it in halves"
            ))),
            Answer::Quarantined => Some(warn(format!(
                "the sidecar refused one audit record (status {status}); storing a quarantined stub"
            ))),
            Answer::StubDropped => Some(Out::Log(
                Level::Error,
                format!(
                    "clawgate: the sidecar refused a quarantine stub (status {status}); dropped"
                ),
            )),
        };
        out.extend(said);
        self.count(out);
        // a full batch waiting goes now, not at the next tick
        self.ship(now_ms, out);
    }

    fn ship(&mut self, now_ms: u64, out: &mut Vec<Out>) {
        let (Some(q), Some(a)) = (&mut self.queue, &self.audit) else {
            return;
        };
        if let Some(body) = q.take_due(now_ms) {
            out.push(Out::Dispatch(Call {
                kind: Kind::Batch,
                cluster: a.cluster.clone(),
                headers: batch_headers(a),
                body,
                timeout_ms: a.timeout_ms,
            }));
        }
    }

    fn pull_budgets(&mut self, out: &mut Vec<Out>) {
        let (Some(b), Some(a)) = (&self.budgets, &self.audit) else {
            return;
        };
        out.push(Out::Dispatch(Call {
            kind: Kind::Pull,
            cluster: a.cluster.clone(),
            headers: b.pull_headers(a),
            body: self.budget_query.clone(),
            timeout_ms: a.timeout_ms,
        }));
    }

    fn send_history(&mut self, out: &mut Vec<Out>) {
        let (Some(a), Some(body)) = (&self.audit, &self.history) else {
            return;
        };
        let mut headers = batch_headers(a);
        for (k, v) in &mut headers {
            if *k == ":path" {
                *v = redact::HISTORY_PATH.to_string();
            }
        }
        out.push(Out::Dispatch(Call {
            kind: Kind::History,
            cluster: a.cluster.clone(),
            headers,
            body: body.clone(),
            timeout_ms: a.timeout_ms,
        }));
    }

    /// The sidecar's budget answer: kept, and shared with the other
    /// workers; anything but a state keeps the last one until it is stale.
    fn pulled(&mut self, status: u32, body: Vec<u8>, now_ms: u64, out: &mut Vec<Out>) {
        let body = if status == 200 { body } else { Vec::new() };
        let Some(snap) = Snapshot::from_sidecar(&body, now_ms) else {
            out.push(warn(format!(
                "budget pull failed (status {status}); keeping the last state"
            )));
            return;
        };
        out.push(Out::Share {
            key: self.budget_key.clone(),
            bytes: Snapshot::shared_bytes(&body, now_ms),
        });
        self.budget = Some(Rc::new(snap));
    }

    /// The sidecar's sync answer: the other gateways' counts; a failure
    /// keeps the last answer (within its minute it only under-counts).
    fn rates_synced(&mut self, status: u32, body: &[u8], out: &mut Vec<Out>) {
        match Remote::from_answer(body).filter(|_| status == 200) {
            Some(r) => {
                self.rate_remote = Some(Rc::new(r));
                self.rate_failing = false;
            }
            None if !self.rate_failing => {
                self.rate_failing = true;
                out.push(warn(format!(
                    "rate-limit sync failed (status {status}); counting this gateway's requests alone until it answers"
                )));
            }
            None => {}
        }
    }

    /// The queue's counters, as deltas since the last report.
    fn count(&mut self, out: &mut Vec<Out>) {
        if let Some(q) = &mut self.queue {
            let deltas = q.counter_deltas();
            out.extend(deltas.into_iter().map(|(name, n)| Out::Count(name, n)));
        }
    }
}

fn warn(m: String) -> Out {
    Out::Log(Level::Warn, format!("clawgate: {m}"))
}
