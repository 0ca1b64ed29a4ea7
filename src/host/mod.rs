//! proxy-wasm adapter (wasm32 only): turns Envoy callbacks into calls on
//! the pure modules and applies their decisions. No policy lives here.

mod accounting;
mod audit;
mod dispatch;
mod http;
mod ids;
mod metrics;
mod root;

proxy_wasm::main! {{
    proxy_wasm::set_log_level(proxy_wasm::types::LogLevel::Info);
    proxy_wasm::set_root_context(|_| -> Box<dyn proxy_wasm::traits::RootContext> { Box::new(root::Root::default()) });
}}
