//! A Rust proxy-wasm filter that does nothing: the floor any wasm filter
//! pays, measured by `make bench` beside bare Envoy and clawgate.
//! Plugin configuration (a plain string) picks how much it does:
//! - `` (empty): nothing at all;
//! - `buffer`: holds each request until its body is complete (as any filter
//!   that routes on the body must) and reads the body once;
//! - `hostcalls`: `buffer` plus the Envoy calls clawgate makes on a routed
//!   JSON request of `make bench`'s full config, the same calls in the same
//!   callbacks, with none of its logic: read the request headers, set the
//!   two routing headers, read the response headers, set the five gateway
//!   headers, hold the answer until its body is in, read it, set the five
//!   accounting headers, read the route and cluster names, and read the
//!   time once per callback. (clawgate's counters add up in the worker and
//!   go to Envoy from `on_tick`: no per-request call.) The gap between
//!   this row and clawgate is clawgate's own work.
//! - `hostcalls-X,Y`: `hostcalls` without the parts named (`time`,
//!   `req_set`, `resp_get`, `resp_set`, `hold`, `acct`, `resp_body`,
//!   `props`), to see what each costs (`acct`: the five accounting
//!   headers alone, the answer still held). `xgN` / `xaN` in the same
//!   list set the five gateway / accounting headers N times over, so the
//!   cost of one set stands out of a noisy machine's spread.
//!   cargo build --release --target wasm32-wasip1 --example noop_filter

#[cfg(target_arch = "wasm32")]
mod filter {
    use proxy_wasm::traits::{Context, HttpContext, RootContext};
    use proxy_wasm::types::{Action, ContextType};
    use std::hint::black_box;
    use std::rc::Rc;

    #[derive(Default)]
    struct Mode {
        buffer: bool,
        hostcalls: bool,
        /// Parts of `hostcalls` left out.
        off: Vec<String>,
        /// Times the gateway and the accounting headers are set.
        gateway_times: usize,
        accounting_times: usize,
    }
    #[derive(Default)]
    struct Root {
        mode: Rc<Mode>,
    }
    struct Http {
        mode: Rc<Mode>,
        /// Upstream named by the client (bench streams), else `up`.
        provider: String,
    }
    impl Mode {
        fn on(&self, part: &str) -> bool {
            self.hostcalls && !self.off.iter().any(|p| p == part)
        }
    }
    impl Context for Root {}
    impl Context for Http {}

    /// What clawgate sets on every routed answer, one call each.
    const GATEWAY_HEADERS: [(&str, &str); 5] = [
        ("x-gateway-model-used", "gpt-4o-mini"),
        ("x-gateway-attempt-count", "1"),
        ("x-gateway-switched", "0"),
        ("x-clawgate-route-reason", "explicit"),
        ("x-clawgate-request-id", "0123456789abcdef0123456789abcdef"),
    ];
    /// What it adds to a held JSON answer.
    const ACCOUNTING_HEADERS: [(&str, &str); 5] = [
        ("x-clawgate-prompt-tokens", "512"),
        ("x-clawgate-completion-tokens", "12"),
        ("x-clawgate-total-tokens", "524"),
        ("x-clawgate-cost", "0.000084"),
        ("x-clawgate-currency", "USD"),
    ];

    impl Http {
        fn set_response_headers(&self, headers: &[(&str, &str)], times: usize) {
            for _ in 0..times {
                for (k, v) in headers {
                    self.set_http_response_header(k, Some(v));
                }
            }
        }
    }
    impl HttpContext for Http {
        fn on_http_request_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
            if self.mode.hostcalls {
                let headers = self.get_http_request_headers_bytes();
                if let Some((_, v)) = headers.iter().find(|(k, _)| k == "x-clawgate-provider") {
                    self.provider = String::from_utf8_lossy(v).into_owned();
                }
                if self.mode.on("time") {
                    black_box(self.get_current_time());
                }
            }
            if self.mode.buffer && !end_of_stream {
                Action::Pause
            } else {
                Action::Continue
            }
        }
        fn on_http_request_body(&mut self, size: usize, end_of_stream: bool) -> Action {
            if !self.mode.buffer {
                return Action::Continue;
            }
            if !end_of_stream {
                return Action::Pause;
            }
            let body = self.get_http_request_body(0, size).unwrap_or_default();
            black_box(body.len());
            if self.mode.on("req_set") {
                self.set_http_request_header("x-clawgate-provider", Some(&self.provider));
                self.set_http_request_header("x-higress-llm-model", Some("gpt-4o-mini"));
            }
            if self.mode.on("time") {
                black_box(self.get_current_time());
            }
            Action::Continue
        }
        fn on_http_response_headers(&mut self, _n: usize, end: bool) -> Action {
            if self.mode.on("time") {
                black_box(self.get_current_time());
            }
            if self.mode.on("resp_get") {
                black_box(self.get_http_response_headers_bytes());
            }
            if self.mode.on("resp_set") {
                self.set_response_headers(&GATEWAY_HEADERS, self.mode.gateway_times);
            }
            if self.mode.on("hold") && !end {
                return Action::Pause;
            }
            Action::Continue
        }
        fn on_http_response_body(&mut self, size: usize, end: bool) -> Action {
            if self.mode.on("hold") && !end {
                return Action::Pause;
            }
            if self.mode.on("time") && size > 0 {
                black_box(self.get_current_time());
            }
            if self.mode.on("resp_body") && size > 0 {
                black_box(self.get_http_response_body(0, size));
            }
            if self.mode.on("hold") && self.mode.on("acct") {
                self.set_response_headers(&ACCOUNTING_HEADERS, self.mode.accounting_times);
            }
            Action::Continue
        }
        fn on_log(&mut self) {
            if self.mode.on("props") {
                black_box(self.get_property(vec!["xds", "route_name"]));
                black_box(self.get_property(vec!["xds", "cluster_name"]));
            }
            if self.mode.on("time") {
                black_box(self.get_current_time());
            }
        }
    }
    impl RootContext for Root {
        fn on_configure(&mut self, _size: usize) -> bool {
            let cfg = self.get_plugin_configuration().unwrap_or_default();
            let cfg = String::from_utf8_lossy(&cfg);
            let (head, off) = cfg.split_once('-').unwrap_or((&cfg, ""));
            let hostcalls = head == "hostcalls";
            let off: Vec<String> = off
                .split(',')
                .filter(|p| !p.is_empty())
                .map(String::from)
                .collect();
            let times = |prefix: &str| {
                off.iter()
                    .find_map(|p| p.strip_prefix(prefix)?.parse().ok())
                    .unwrap_or(1)
            };
            self.mode = Rc::new(Mode {
                buffer: hostcalls || head == "buffer",
                hostcalls,
                gateway_times: times("xg"),
                accounting_times: times("xa"),
                off,
            });
            true
        }
        fn create_http_context(&self, _id: u32) -> Option<Box<dyn HttpContext>> {
            Some(Box::new(Http {
                mode: self.mode.clone(),
                provider: "up".to_string(),
            }))
        }
        fn get_type(&self) -> Option<ContextType> {
            Some(ContextType::HttpContext)
        }
    }

    proxy_wasm::main! {{
        proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(Root::default()) });
    }}
}
