//! Requests and tokens per minute by identity and model.
//!
//! Each limit counts in fixed one-minute windows (UTC minutes), one count
//! per identity (or one for all with `shared`). Within one gateway the
//! count is exact across Envoy workers: it lives in shared data and every
//! change is a compare-and-swap (`Store`, implemented by the host). A
//! request is admitted when every limit it falls under has room and is
//! counted at once; its tokens are charged when its usage is known, so a
//! token limit can be overshot by the requests already in flight when it
//! is reached (each counts fully). A fixed window lets a caller spend up
//! to twice a limit across a minute's boundary.

mod compile;
pub mod headers;
pub mod remote;
pub mod settings;
#[cfg(test)]
mod tests;

pub use compile::compile;
pub use remote::Remote;

use crate::scope::{Scope, Subject};

#[derive(Debug, Clone)]
pub struct RateLimits {
    pub limits: Vec<Limit>,
}

#[derive(Debug, Clone)]
pub struct Limit {
    pub name: String,
    /// Who and which models the limit counts.
    pub scope: Scope,
    pub rpm: Option<u64>,
    pub tpm: Option<u64>,
}

/// Where counts live: Envoy shared data in the filter, a map in tests.
pub trait Store {
    /// Replaces the value under `key` with `f(old)` atomically (retrying
    /// on a concurrent change) when `f` returns one. False when nothing was
    /// written: `f` said no, or the store could not be read (the limit
    /// then fails open: a broken counter must not stop traffic).
    fn update(&self, key: &str, f: Change) -> bool;
}

/// A change to a stored count: the new value from the old, or `None` to
/// leave it as it is.
pub type Change<'a> = &'a mut dyn FnMut(Option<&[u8]>) -> Option<Vec<u8>>;

/// One limit's count in one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Window {
    /// Unix minute the counts belong to.
    pub minute: u64,
    pub requests: u64,
    pub tokens: u64,
}

impl Window {
    /// The count for `minute`: the stored one if it is that minute's, else
    /// a fresh one (a stale or unreadable value is a new window).
    pub fn at(stored: Option<&[u8]>, minute: u64) -> Window {
        let w = stored.and_then(|b| {
            let n = |i: usize| Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?));
            Some(Window {
                minute: n(0)?,
                requests: n(8)?,
                tokens: n(16)?,
            })
        });
        match w {
            Some(w) if w.minute == minute => w,
            _ => Window {
                minute,
                ..Window::default()
            },
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(24);
        for n in [self.minute, self.requests, self.tokens] {
            v.extend_from_slice(&n.to_le_bytes());
        }
        v
    }
}

/// A limit the request counts against, for charging its tokens later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub limit: usize,
    pub key: String,
}

/// A limit that refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Over {
    pub limit: String,
    pub rpm: Option<u64>,
    pub tpm: Option<u64>,
    /// What is left in this window (0 for the exhausted one).
    pub requests_left: u64,
    pub tokens_left: u64,
    /// When the window ends, Unix ms.
    pub reset_ms: u64,
}

impl Over {
    pub fn retry_after_s(&self, now_ms: u64) -> u64 {
        self.reset_ms.saturating_sub(now_ms).div_ceil(1000).max(1)
    }

    pub fn message(&self) -> String {
        let what = match (self.requests_left, self.rpm, self.tpm) {
            (0, Some(r), _) => format!("{r} requests per minute"),
            (_, _, Some(t)) => format!("{t} tokens per minute"),
            _ => "its rate".to_string(),
        };
        format!(
            "Rate limit `{}` reached ({what}); retry after the minute resets",
            self.limit
        )
    }
}

const MINUTE_MS: u64 = 60_000;

impl RateLimits {
    /// The limits this caller's request to `model` falls under.
    fn applying<'a>(
        &'a self,
        who: Subject<'a>,
        model: Option<usize>,
    ) -> impl Iterator<Item = (usize, &'a Limit, &'a str)> + 'a {
        self.limits
            .iter()
            .enumerate()
            .filter_map(move |(i, l)| Some((i, l, l.scope.key(who, model)?)))
    }

    /// Counts the request against every limit it falls under, or refuses
    /// it with the first that has no room (the counts already taken for
    /// it are given back). `remote`: what other gateways counted, as the
    /// sidecar last said; it adds to this gateway's own count.
    pub fn admit(
        &self,
        who: Subject,
        model: Option<usize>,
        now_ms: u64,
        store: &dyn Store,
        remote: Option<&Remote>,
    ) -> Result<Vec<Held>, Over> {
        let minute = now_ms / MINUTE_MS;
        let mut held: Vec<Held> = Vec::new();
        for (i, l, id) in self.applying(who, model) {
            let key = remote::shared_key(&l.name, id);
            let (others_req, others_tok) = remote.map_or((0, 0), |r| r.get(&key, minute));
            let mut over = None;
            store.update(&key, &mut |old| {
                let mut w = Window::at(old, minute);
                let (requests, tokens) = (
                    w.requests.saturating_add(others_req),
                    w.tokens.saturating_add(others_tok),
                );
                let requests_left = l.rpm.map_or(u64::MAX, |r| r.saturating_sub(requests));
                let tokens_left = l.tpm.map_or(u64::MAX, |t| t.saturating_sub(tokens));
                if requests_left == 0 || tokens_left == 0 {
                    over = Some(Over {
                        limit: l.name.clone(),
                        rpm: l.rpm,
                        tpm: l.tpm,
                        requests_left,
                        tokens_left,
                        reset_ms: (minute + 1) * MINUTE_MS,
                    });
                    return None;
                }
                w.requests += 1;
                Some(w.bytes())
            });
            if let Some(o) = over {
                for h in &held {
                    store.update(&h.key, &mut |old| {
                        let mut w = Window::at(old, minute);
                        w.requests = w.requests.checked_sub(1)?;
                        Some(w.bytes())
                    });
                }
                return Err(o);
            }
            held.push(Held { limit: i, key });
        }
        Ok(held)
    }

    /// Charges a finished request's tokens to the token limits it was
    /// counted against, in the window current now.
    pub fn charge(&self, held: &[Held], tokens: u64, now_ms: u64, store: &dyn Store) {
        if tokens == 0 {
            return;
        }
        let minute = now_ms / MINUTE_MS;
        for h in held {
            if self.limits.get(h.limit).is_some_and(|l| l.tpm.is_some()) {
                store.update(&h.key, &mut |old| {
                    let mut w = Window::at(old, minute);
                    w.tokens = w.tokens.saturating_add(tokens);
                    Some(w.bytes())
                });
            }
        }
    }
}
