//! What runs before a handler: the token check, then the body read under
//! a total deadline.

use super::{ApiError, Scope, Shared, MAX_BATCH_BYTES};
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::Ordering::Relaxed;

/// Refuses a request without a token valid for the route's scope.
pub(in crate::serve) async fn require(
    AxState((st, scope)): AxState<(Shared, Scope)>,
    req: Request,
    next: Next,
) -> Response {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if st.tokens.allows(scope, bearer) {
        return next.run(req).await;
    }
    st.unauthorized.fetch_add(1, Relaxed);
    let mut resp = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "invalid_token",
        "missing or wrong bearer token",
    )
    .into_response();
    resp.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer"),
    );
    resp
}

/// Reads the whole body before the handler, within `State::body_timeout`
/// of the head: the accept loop's idle limit cuts a client that stops
/// sending, this one a client that trickles (a byte every few seconds
/// keeps a connection idle-free for as long as it likes). Past the
/// deadline: 408 and the connection closed. Runs after the token check,
/// so only a caller with a token can make the sidecar buffer a body.
pub(in crate::serve) async fn read_body(
    AxState(st): AxState<Shared>,
    req: Request,
    next: Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BATCH_BYTES) {
        return too_large();
    }
    let read = axum::body::to_bytes(body, MAX_BATCH_BYTES);
    match tokio::time::timeout(st.body_timeout, read).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        // over the limit without a length, or the client went away
        Ok(Err(_)) => too_large(),
        Err(_) => {
            st.body_timeouts.fetch_add(1, Relaxed);
            let mut resp = ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                format!(
                    "the request body took longer than {} s",
                    st.body_timeout.as_secs()
                ),
            )
            .into_response();
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            resp
        }
    }
}

fn too_large() -> Response {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        format!("the request body is over {MAX_BATCH_BYTES} bytes, or was cut"),
    )
    .into_response()
}
