//! A proxy-wasm filter whose VM traps on demand, for the e2e test of what
//! Envoy does when a security filter's VM fails (clawgate itself has no
//! request that traps, so the failure is provoked with this stand-in under
//! the same Envoy filter config). A request with `x-trap: 1` executes
//! `unreachable`; every other request passes.
//!   cargo build --release --target wasm32-wasip1 --example trap_filter

#[cfg(target_arch = "wasm32")]
mod filter {
    use proxy_wasm::traits::{Context, HttpContext, RootContext};
    use proxy_wasm::types::{Action, ContextType};

    struct Root;
    struct Http;
    impl Context for Root {}
    impl Context for Http {}
    impl HttpContext for Http {
        fn on_http_request_headers(&mut self, _: usize, _: bool) -> Action {
            if self.get_http_request_header("x-trap").as_deref() == Some("1") {
                core::arch::wasm32::unreachable();
            }
            Action::Continue
        }
    }
    impl RootContext for Root {
        fn create_http_context(&self, _id: u32) -> Option<Box<dyn HttpContext>> {
            Some(Box::new(Http))
        }
        fn get_type(&self) -> Option<ContextType> {
            Some(ContextType::HttpContext)
        }
    }

    proxy_wasm::main! {{
        proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(Root) });
    }}
}
