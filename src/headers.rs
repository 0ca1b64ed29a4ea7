//! Header names more than one layer must agree on: the request path
//! strips them from clients, the config refuses them as provider headers.

/// Only the filter decides routes: `x-clawgate-*` and the Higress model
/// header are never taken from a client.
pub fn is_routing_header(name: &str) -> bool {
    name.starts_with("x-clawgate-") || name == "x-higress-llm-model"
}
