//! Rate limits on the request's path: counted once the request is planned,
//! its tokens charged when it is logged.

use super::{Exchange, State};
use crate::config::Config;
use crate::pipeline;
use crate::wire::{ClientError, ErrorCode};

impl Exchange {
    /// Counts a planned request against its rate limits, after every other
    /// check (a refused request uses none of them); the route's model is
    /// what counts, so a reroute or a downgrade counts where it goes.
    #[allow(clippy::result_large_err)]
    pub(super) fn count_rate(
        &self,
        cfg: &Config,
        plan: &pipeline::RequestPlan,
        who: crate::scope::Subject,
        now_ms: u64,
    ) -> Result<Vec<crate::ratelimit::Held>, pipeline::Refusal> {
        let (Some(rl), Some(store)) = (&cfg.rate_limits, &self.limiter) else {
            return Ok(Vec::new());
        };
        rl.admit(
            who,
            plan.route.model,
            now_ms,
            store.as_ref(),
            self.rate_remote.as_deref(),
        )
        .map_err(|over| {
            let mut e = ClientError::new(ErrorCode::RateLimited, over.message());
            e.headers = crate::ratelimit::headers::for_over(&over, now_ms);
            pipeline::Refusal {
                error: e,
                requested_model: Some(plan.requested_model.clone()),
                stream: plan.stream,
                risk: plan.risk.clone(),
                budget: None,
                access: None,
                rate_limit: Some(over.limit),
            }
        })
    }

    /// Charges the answer's tokens (the estimate when a stream ended
    /// without usage) to the token limits the request was counted against.
    pub(super) fn charge_rate(&self, now_ms: u64) {
        let (State::Forwarded(f), Some(rl), Some(store)) =
            (&self.state, &self.cfg.rate_limits, &self.limiter)
        else {
            return;
        };
        if let Some(u) = &f.obs.usage {
            let tokens = u
                .total
                .unwrap_or_else(|| u.prompt.unwrap_or(0) + u.completion.unwrap_or(0));
            rl.charge(&f.rate_held, tokens, now_ms, store.as_ref());
        }
    }
}
