//! A Rust proxy-wasm filter that does nothing: the floor any wasm filter
//! pays, measured by `make bench` beside bare Envoy and clawgate. With the
//! plugin configuration `buffer` it also holds each request until its body
//! is complete (as any filter that routes on the body must) and reads the
//! body once, and nothing else: the floor of body-based routing.
//!   cargo build --release --target wasm32-wasip1 --example noop_filter

#[cfg(target_arch = "wasm32")]
mod filter {
    use proxy_wasm::traits::{Context, HttpContext, RootContext};
    use proxy_wasm::types::{Action, ContextType};

    #[derive(Default)]
    struct Root {
        buffer: bool,
    }
    struct Http {
        buffer: bool,
    }
    impl Context for Root {}
    impl Context for Http {}
    impl HttpContext for Http {
        fn on_http_request_headers(&mut self, _n: usize, end_of_stream: bool) -> Action {
            if self.buffer && !end_of_stream {
                Action::Pause
            } else {
                Action::Continue
            }
        }
        fn on_http_request_body(&mut self, size: usize, end_of_stream: bool) -> Action {
            if !self.buffer {
                return Action::Continue;
            }
            if !end_of_stream {
                return Action::Pause;
            }
            let body = self.get_http_request_body(0, size).unwrap_or_default();
            std::hint::black_box(body.len());
            Action::Continue
        }
    }
    impl RootContext for Root {
        fn on_configure(&mut self, _size: usize) -> bool {
            self.buffer = self.get_plugin_configuration().is_some_and(|c| c == b"buffer");
            true
        }
        fn create_http_context(&self, _id: u32) -> Option<Box<dyn HttpContext>> {
            Some(Box::new(Http { buffer: self.buffer }))
        }
        fn get_type(&self) -> Option<ContextType> {
            Some(ContextType::HttpContext)
        }
    }

    proxy_wasm::main! {{
        proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(Root::default()) });
    }}
}
