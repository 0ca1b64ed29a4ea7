//! proxy-wasm adapter (wasm32 only).
