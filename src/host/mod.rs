//! proxy-wasm adapter (wasm32 only): fetches inputs from Envoy, hands them
//! to the pure `exchange` and applies the effects it returns. Decisions
//! live in the pure modules, where native tests reach them.

mod abi;
mod http;
mod metrics;
mod root;
mod worker;

proxy_wasm::main! {{
    // not the SDK's logger: it unwraps the log call's status (see abi)
    abi::init_logging();
    proxy_wasm::set_root_context(|_| -> Box<dyn proxy_wasm::traits::RootContext> { Box::new(root::Root::default()) });
}}
