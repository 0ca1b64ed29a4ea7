//! The request half: headers checked, the body planned, the first
//! attempt forwarded.

use super::clock::Clock;
use super::effect::{Effect, Flow, Step};
use super::{
    capture_limit, clip, upstream, ClientHeaders, Exchange, Flight, Observed, Response, State,
};
use crate::config::Config;
use crate::fallback;
use crate::health;
use crate::identity::{self, Identity};
use crate::paths::{self, LlmPath, PathKind};
use crate::pipeline;
use crate::risk::Action;
use crate::routing::Caller;
use crate::wire::sniff;
use crate::wire::Protocol;
use crate::wire::{anthropic, openai, ClientError, ErrorCode};
use std::rc::Rc;

impl Exchange {
    /// Request headers: classifies the call. Governed calls are held until
    /// their body is in; bad ones are answered at once.
    pub fn start(
        cfg: Rc<Config>,
        mut client: ClientHeaders,
        end_of_stream: bool,
        clock: &Clock,
        new_id: &mut dyn FnMut(u64) -> String,
    ) -> (Exchange, Step) {
        let mut effects: Vec<Effect> = client
            .take_removed()
            .into_iter()
            .map(Effect::RemoveRequestHeader)
            .collect();
        let method = client.get(":method").unwrap_or_default();
        let path = client.get(":path").unwrap_or_default();
        let mut ex = Exchange {
            cfg,
            client,
            protocol: Protocol::OPENAI,
            path: LlmPath::default(),
            request_id: String::new(),
            started_ms: 0,
            identity: Identity::default(),
            budget: None,
            limiter: None,
            rate_remote: None,
            state: State::Untracked,
        };
        // Checked before the path: a redirect may also change the method
        // (upstream Envoy's custom_response re-sends it as a GET).
        if let Some(e) = ex.refused_before() {
            ex.begin(clock, new_id);
            effects.extend(ex.refuse(e.into()));
            return (ex, Step::with(effects, Flow::Pause));
        }
        let Ok(n) = paths::normalize(&path) else {
            // Envoy could route it one way and a provider read it another:
            // refused, whatever it is.
            ex.begin(clock, new_id);
            let e = ClientError::new(
                ErrorCode::InvalidPath,
                "The request path cannot be normalised",
            );
            effects.extend(ex.refuse(e.into()));
            return (ex, Step::with(effects, Flow::Pause));
        };
        let flow = match paths::classify(&method, &n, ex.cfg.path_match, &ex.cfg.path_prefix) {
            PathKind::Other => {
                let sniff = ex.may_be_llm_call(&method, &n.path, end_of_stream);
                if let Some(e) = ex.unscanned_api(&method, &n.path) {
                    ex.begin(clock, new_id);
                    effects.extend(ex.refuse(e.into()));
                    Flow::Pause
                } else if let Some(e) = sniff.then(|| ex.coded_body()).flatten() {
                    ex.begin(clock, new_id);
                    effects.extend(ex.refuse(e.into()));
                    Flow::Pause
                } else if sniff {
                    ex.begin(clock, new_id);
                    ex.state = State::Sniffing;
                    Flow::Pause
                } else {
                    Flow::Continue
                }
            }
            PathKind::ListModels => {
                // Anthropic's SDKs (and Claude Code) send `anthropic-version`
                // on every call; OpenAI's never do. `x-api-key` alone is no
                // sign: other providers' clients use it too.
                let now = clock.ms() / 1000;
                // only what the caller may use (`access`)
                let id = match ex.cfg.access {
                    Some(_) => identity::resolve(&ex.cfg.identity, &|n| ex.client.get(n), None),
                    None => Identity::default(),
                };
                let who = crate::scope::Subject {
                    user: id.user.as_deref(),
                    instance: id.instance.as_deref(),
                };
                let may =
                    |m| crate::routing::may_use(&ex.cfg.catalog, ex.cfg.access.as_ref(), who, m);
                let body = if ex.client.raw("anthropic-version").is_some() {
                    anthropic::models::list(&ex.cfg, now, &may)
                } else {
                    openai::models::list(&ex.cfg, now, &may)
                }
                .into_bytes();
                effects.push(Effect::Reply(ex.json_reply(200, body)));
                Flow::Pause
            }
            PathKind::Health => {
                let body = health::report(&ex.cfg).into_bytes();
                effects.push(Effect::Reply(ex.json_reply(200, body)));
                Flow::Pause
            }
            PathKind::Llm(endpoint, at) => {
                ex.protocol = endpoint.protocol();
                ex.path = at;
                ex.begin(clock, new_id);
                let checked = match ex.ambiguous_identity() {
                    Some(e) => Err(e),
                    None => ex.check_headers(end_of_stream),
                };
                match checked {
                    Err(e) => effects.extend(ex.refuse(e.into())),
                    Ok(()) => ex.state = State::AwaitingBody(endpoint),
                }
                Flow::Pause
            }
        };
        (ex, Step::with(effects, flow))
    }

    /// The body once it is whole; until then the step to return instead
    /// (held, or refused with 413 over `max_body_bytes`).
    fn whole_body(
        &mut self,
        size: usize,
        end_of_stream: bool,
        read: &mut dyn FnMut() -> Vec<u8>,
    ) -> Result<Vec<u8>, Step> {
        if size as u64 > self.cfg.max_body_bytes {
            let e = ClientError::too_large(self.cfg.max_body_bytes);
            return Err(Step::with(self.refuse(e.into()), Flow::Pause));
        }
        if !end_of_stream {
            return Err(Step::hold());
        }
        Ok(read())
    }

    /// The budget state the worker pulled last; read at the body.
    pub fn set_budget(&mut self, snapshot: Option<Rc<crate::budget::Snapshot>>) {
        self.budget = snapshot;
    }

    pub fn has_rate_limits(&self) -> bool {
        self.cfg.rate_limits.is_some()
    }

    /// Where rate-limit counts live (the host's shared data), and what
    /// other gateways counted (the worker's last sync with the sidecar).
    pub fn set_limiter(
        &mut self,
        store: Rc<dyn crate::ratelimit::Store>,
        remote: Option<Rc<crate::ratelimit::Remote>>,
    ) {
        self.limiter = Some(store);
        self.rate_remote = remote;
    }

    /// A tracked request: its id, start time and caller.
    fn begin(&mut self, clock: &Clock, new_id: &mut dyn FnMut(u64) -> String) {
        self.started_ms = clock.ms();
        self.request_id = new_id(self.started_ms);
        self.identity = identity::resolve(&self.cfg.identity, &|n| self.client.get(n), None);
    }

    /// An upload's text fields (a `prompt`) through the risk engine: any
    /// action but `audit` refuses it, since a form cannot be masked or
    /// rerouted here (fail closed); `None` lets it through.
    fn upload_refusal(&self, body: &[u8]) -> Option<crate::pipeline::Refusal> {
        let ct = self.client.text("content-type")?;
        if !super::is_multipart(&ct) {
            return None;
        }
        let fields = crate::multipart::boundary(&ct)
            .and_then(|b| crate::multipart::text_fields(body, &b).ok());
        let Some(fields) = fields else {
            let e = ClientError::new(
                ErrorCode::InvalidBody,
                "The multipart form is ambiguous (no single form-data boundary, a boundary line \
                 that does not end in CRLF, a line starting with the boundary that is not a \
                 delimiter, no closing delimiter, or a text part's headers read two ways): \
                 parsers could split it differently, so it is not forwarded",
            );
            return Some(e.into());
        };
        let model = fields
            .iter()
            .find(|(k, _)| k == "model")
            .map(|(_, v)| v.clone());
        // the model field too: a provider may echo or log it
        let text: Vec<&str> = fields.iter().map(|(_, v)| v.as_str()).collect();
        let risk = self.cfg.risk.scan_str(&text.join("\n"));
        let acts = matches!(
            risk.action,
            Some(Action::Block | Action::RouteSecureModel | Action::Mask)
        );
        acts.then(|| {
            let rules: Vec<&str> = risk
                .hits
                .iter()
                .filter(|h| h.action != Action::Audit && !h.shadow)
                .map(|h| h.rule.as_str())
                .collect();
            crate::pipeline::Refusal {
                error: ClientError::new(
                    ErrorCode::ContentBlocked,
                    format!(
                        "clawgate refused this upload: its text matched risk rules {}, and a \
                         form's text cannot be masked or rerouted. Remove that content and send \
                         it again.",
                        rules.join(", ")
                    ),
                ),
                requested_model: model,
                stream: false,
                risk,
                budget: None,
                access: None,
                rate_limit: None,
            }
        })
    }

    /// An ungoverned request's body is in: refused when it looks like an
    /// LLM call, else let through untouched.
    fn sniffed(
        &mut self,
        size: usize,
        end_of_stream: bool,
        read: &mut dyn FnMut() -> Vec<u8>,
    ) -> Step {
        // over the limit it is refused rather than passed on unseen
        let body = match self.whole_body(size, end_of_stream, read) {
            Ok(b) => b,
            Err(step) => return step,
        };
        if let Some(r) = self.upload_refusal(&body) {
            return Step::with(self.refuse(r), Flow::Pause);
        }
        if sniff::looks_like_llm_call(&body) {
            let e = ClientError::new(
                ErrorCode::UngovernedPath,
                "This path is not governed by the gateway; send model calls to a governed endpoint \
                 (…/chat/completions, …/completions, …/responses, …/embeddings, …/messages)",
            );
            return Step::with(self.refuse(e.into()), Flow::Pause);
        }
        self.state = State::Untracked;
        Step::go_on()
    }

    /// Request body: once it is whole, plans the request and forwards it.
    /// `read` fetches the buffered body; `rr` draws the round-robin counter.
    pub fn on_request_body(
        &mut self,
        size: usize,
        end_of_stream: bool,
        clock: &Clock,
        read: &mut dyn FnMut() -> Vec<u8>,
        rr: &mut dyn FnMut() -> u64,
    ) -> Step {
        let endpoint = match self.state {
            State::AwaitingBody(e) => e,
            State::Sniffing => return self.sniffed(size, end_of_stream, read),
            _ => return Step::go_on(),
        };
        let body = match self.whole_body(size, end_of_stream, read) {
            Ok(b) => b,
            Err(step) => return step,
        };
        let cfg = self.cfg.clone();
        let assignee = cfg
            .routing
            .assignments
            .as_ref()
            .and_then(|a| self.client.get(&a.header));
        let who = crate::scope::Subject {
            user: self.identity.user.as_deref(),
            instance: self.identity.instance.as_deref(),
        };
        let caller = Caller {
            assignee: assignee.as_deref(),
            who,
            access: cfg.access.as_ref(),
            // read the time only when there are budgets to check
            budget: cfg.budgets.as_ref().map(|_| crate::budget::Check {
                subject: who,
                snapshot: self.budget.as_deref(),
                now_ms: clock.ms(),
            }),
        };
        // The block rules read the URL's free parts: the query, and the
        // client's prefix (sent upstream when the provider has no base_path).
        let query = format!("{}{}", self.path.prefix, self.path.query);
        let mut plan = match pipeline::plan_request_at(&cfg, endpoint, &body, &query, &caller, rr) {
            Ok(p) => p,
            Err(refusal) => return Step::with(self.refuse(refusal), Flow::Pause),
        };
        let rate_held = match self.count_rate(&cfg, &plan, who, clock.ms()) {
            Ok(held) => held,
            Err(refusal) => return Step::with(self.refuse(refusal), Flow::Pause),
        };
        let Some(provider) = cfg.catalog.providers.get(plan.route.provider) else {
            let e = ClientError::new(ErrorCode::InternalError, "provider missing");
            return Step::with(self.refuse(e.into()), Flow::Pause);
        };
        if self.identity.session.is_none() {
            self.identity.session = plan.user.as_deref().and_then(identity::body_session);
        }
        // The plan's body is needed only here: take it, a conversation can
        // be megabytes.
        let rewritten = plan.new_body.take();
        let changed = rewritten.is_some();
        let forwarded = rewritten.unwrap_or(body);
        let requested_auto = plan.requested_model == cfg.routing.auto.model_name;
        let mut candidates = fallback::candidates(
            &cfg.catalog,
            &cfg.routing,
            &cfg.fallback,
            &plan.route,
            requested_auto,
            endpoint.protocol(),
        );
        // A secure route's candidates are secure: always allowed, as the
        // reroute itself. Others skip what the caller may not use.
        if cfg.access.is_some() && plan.route.reason != crate::routing::RouteReason::Secure {
            let before = candidates.len();
            candidates
                .retain(|&m| crate::routing::may_use(&cfg.catalog, cfg.access.as_ref(), who, m));
            plan.access_skipped = (before - candidates.len()) as u32;
        }
        let origin = upstream::Origin {
            client: &self.client,
            path: &self.path,
            endpoint,
            request_id: &self.request_id,
        };
        let mut first = upstream::build(provider, &plan.route.upstream_model, &origin, forwarded);
        let payload_request = capture_limit(&cfg).map(|max| clip(&first.body, max));
        let prompt_bytes = first.body.len() as u64;
        // An unchanged body stays in Envoy: the replay copy can be the one
        // read from it rather than a second one.
        let replay_body = match (candidates.is_empty(), changed) {
            (true, _) => None,
            (false, true) => Some(first.body.clone()),
            (false, false) => Some(std::mem::take(&mut first.body)),
        };
        let flight = Flight {
            payload_request,
            replay_body,
            plan,
            endpoint,
            candidates,
            next_candidate: 0,
            attempts: Vec::new(),
            attempt_started_ms: clock.ms(),
            switch: None,
            response: Response::AwaitingHeaders,
            obs: Observed {
                prompt_bytes,
                ..Observed::default()
            },
            rate_held,
        };
        self.state = State::Forwarded(Box::new(flight));
        Step::with(
            first.into_first_attempt(&self.client, changed),
            Flow::Continue,
        )
    }
}
