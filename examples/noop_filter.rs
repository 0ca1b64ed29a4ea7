//! A Rust proxy-wasm filter that does nothing: the floor any wasm filter
//! pays, measured by `make bench` beside bare Envoy and clawgate.
//!   cargo build --release --target wasm32-wasip1 --example noop_filter

#[cfg(target_arch = "wasm32")]
mod filter {
    use proxy_wasm::traits::{Context, HttpContext, RootContext};
    use proxy_wasm::types::ContextType;

    struct Root;
    struct Http;
    impl Context for Root {}
    impl Context for Http {}
    impl HttpContext for Http {}
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
