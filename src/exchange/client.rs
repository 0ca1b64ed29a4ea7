//! The client's request headers, read once: one hostcall instead of one
//! per header the filter consults. Routing headers a client must not set
//! are taken out here, for every request.

pub use crate::headers::is_routing_header;
use std::borrow::Cow;

#[derive(Debug, Default, Clone)]
pub struct ClientHeaders {
    headers: Vec<(String, Vec<u8>)>,
    /// Routing headers the client sent, to be removed from the request.
    removed: Vec<String>,
    /// `x-clawgate-refused`: the code clawgate refused this request with
    /// before an internal redirect (Higress's AI-route fallback) re-sent it.
    refused: Option<String>,
}

/// Set on a request clawgate refuses. Envoy keeps request headers across
/// an internal redirect, so a refused request that a fallback route sends
/// through the chain again is recognised and refused again. A client that
/// sets it itself only gets itself refused.
pub const REFUSED: &str = "x-clawgate-refused";

impl ClientHeaders {
    pub fn new(mut headers: Vec<(String, Vec<u8>)>) -> Self {
        let mut removed = Vec::new();
        let mut refused = None;
        headers.retain(|(name, value)| {
            let routing = is_routing_header(name);
            if routing {
                if name == REFUSED {
                    refused = Some(String::from_utf8_lossy(value).into_owned());
                }
                removed.push(name.clone());
            }
            !routing
        });
        ClientHeaders {
            headers,
            removed,
            refused,
        }
    }

    /// The refusal a redirected request already got, if any.
    pub fn refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// A header as text (lossy: client bytes need not be UTF-8).
    pub fn get(&self, name: &str) -> Option<String> {
        self.text(name).map(Cow::into_owned)
    }

    /// A header as text, borrowed unless it is not UTF-8: for a caller
    /// that only reads it, no copy.
    pub fn text(&self, name: &str) -> Option<Cow<'_, str>> {
        // `from_utf8` first: its ASCII fast path is several times cheaper
        // than the lossy decoder's chunks, and header values are ASCII
        self.raw(name).map(|v| match std::str::from_utf8(v) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(v),
        })
    }

    pub fn raw(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// More than one value under `name`: two entries (Envoy keeps repeated
    /// headers apart, and Higress's auth plugins append `x-mse-consumer`
    /// after any copy the client sent), or one entry a proxy joined with
    /// commas. Either way the caller could have chosen which one is read.
    pub fn has_many(&self, name: &str) -> bool {
        let mut values = self.headers.iter().filter(|(n, _)| n == name);
        match (values.next(), values.next()) {
            (Some(_), Some(_)) => true,
            (Some((_, v)), None) => v.contains(&b','),
            _ => false,
        }
    }

    /// Every header the client sent, routing headers excepted.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice()))
    }

    pub(super) fn take_removed(&mut self) -> Vec<String> {
        std::mem::take(&mut self.removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_headers_are_taken_out() {
        let mut h = ClientHeaders::new(vec![
            ("x-clawgate-provider".into(), b"local".to_vec()),
            ("x-higress-llm-model".into(), b"m".to_vec()),
            ("x-clawgate".into(), b"kept".to_vec()),
            ("content-type".into(), b"application/json".to_vec()),
        ]);
        assert_eq!(
            h.take_removed(),
            ["x-clawgate-provider", "x-higress-llm-model"]
        );
        assert_eq!(h.get("x-clawgate-provider"), None);
        assert_eq!(h.get("x-clawgate").as_deref(), Some("kept"));
        assert_eq!(h.raw("content-type"), Some(&b"application/json"[..]));
    }

    #[test]
    fn a_repeated_or_joined_header_has_many_values() {
        let h = ClientHeaders::new(vec![
            ("x-mse-consumer".into(), b"kb-alice".to_vec()),
            ("x-mse-consumer".into(), b"mallory".to_vec()),
            ("x-joined".into(), b"kb-alice, mallory".to_vec()),
            ("x-one".into(), b"mallory".to_vec()),
        ]);
        assert!(h.has_many("x-mse-consumer"));
        assert!(h.has_many("x-joined"));
        assert!(!h.has_many("x-one"));
        assert!(!h.has_many("x-absent"));
    }

    #[test]
    fn non_utf8_values_do_not_fail() {
        let h = ClientHeaders::new(vec![("x-u".into(), vec![0xff, b'a'])]);
        assert_eq!(h.get("x-u").as_deref(), Some("\u{fffd}a"));
    }
}
