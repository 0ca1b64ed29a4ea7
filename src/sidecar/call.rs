//! What the link asks its host to do, and the tokens of the calls it has
//! in flight.

/// Which of the link's four conversations with the sidecar a call is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An audit batch (`POST audit.path`).
    Batch,
    /// A budget pull (`POST budgets.path`).
    Pull,
    /// The config for the sidecar's history (`POST /v1/config`).
    History,
    /// Rate-limit counts out, other gateways' in (`POST
    /// /v1/ratelimits/sync`).
    Rate,
}

/// One HTTP call to the sidecar's cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub kind: Kind,
    pub cluster: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    pub timeout_ms: u64,
}

impl Call {
    /// The headers as the host's dispatch takes them.
    pub fn header_pairs(&self) -> Vec<(&str, &str)> {
        self.headers.iter().map(|(k, v)| (*k, v.as_str())).collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// An effect, applied in order. A `Dispatch` is answered by
/// `Link::dispatched` with the token the host gave it (or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    Dispatch(Call),
    /// Budget state for the other workers (Envoy shared data).
    Share {
        key: String,
        bytes: Vec<u8>,
    },
    /// A counter delta, by stat name.
    Count(&'static str, u64),
    /// Hand the pending counters to Envoy.
    FlushCounters,
    /// Never holds a record, a token or a body: statuses and names only.
    Log(Level, String),
}

/// Tokens of the calls in flight: at most one of each kind. An answer
/// with a token the link did not give out is ignored (before, any
/// unknown token was taken for the audit batch's answer).
#[derive(Debug, Default)]
pub struct Calls {
    batch: Option<u32>,
    pull: Option<u32>,
    history: Option<u32>,
    rate: Option<u32>,
}

impl Calls {
    fn slot(&mut self, k: Kind) -> &mut Option<u32> {
        match k {
            Kind::Batch => &mut self.batch,
            Kind::Pull => &mut self.pull,
            Kind::History => &mut self.history,
            Kind::Rate => &mut self.rate,
        }
    }

    pub fn busy(&self, k: Kind) -> bool {
        match k {
            Kind::Batch => self.batch.is_some(),
            Kind::Pull => self.pull.is_some(),
            Kind::History => self.history.is_some(),
            Kind::Rate => self.rate.is_some(),
        }
    }

    pub fn sent(&mut self, k: Kind, token: u32) {
        *self.slot(k) = Some(token);
    }

    /// The kind of the call `token` answers, which is then no longer in
    /// flight.
    pub fn answered(&mut self, token: u32) -> Option<Kind> {
        let k = [Kind::Batch, Kind::Pull, Kind::History, Kind::Rate]
            .into_iter()
            .find(|k| *self.slot(*k) == Some(token))?;
        *self.slot(k) = None;
        Some(k)
    }
}
