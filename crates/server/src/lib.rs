//! qalam-server: the HTTP API and the Arabic (right-to-left) web page of a qalam index.
//!
//! [`app`] builds the axum [`Router`] over an [`AppState`]; [`serve`] runs it on a listener.
//! Routes: `GET /` (the page), `GET /api/search`, `GET|DELETE /api/documents/{id}`,
//! `POST /api/documents`, `POST /api/analyze`, `GET /api/health`, `GET /api/openapi.json`.
//! Every error is JSON `{"error", "detail"}` ([`ApiError`]).
//!
//! ```
//! use axum::body::Body;
//! use axum::http::{Request, StatusCode};
//! use qalam_index::{AnalyzerSettings, QalamIndex};
//! use qalam_server::{AppState, ServerConfig, app};
//! use tower::ServiceExt;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
//! let router = app(AppState::new(index, ServerConfig::default()));
//! let request = Request::post("/api/documents")
//!     .body(Body::from(r#"{"id": "1", "content": "تحرير الموصل"}"#))
//!     .unwrap();
//! let response = router.oneshot(request).await.unwrap();
//! assert_eq!(response.status(), StatusCode::FORBIDDEN); // no write token configured
//! # });
//! ```
#![deny(missing_docs)]

mod aids_api;
mod api;
mod conn;
mod error;
mod fault;
mod host;
mod memory;
pub mod openapi;
mod state;
mod web;

use std::any::Any;
use std::future::Future;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::{from_fn_with_state, map_response_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any as AnyOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use axum::http::HeaderValue;
pub use error::ApiError;
pub use state::{
    AppState, DEFAULT_BODY_LIMIT, DEFAULT_HEADER_TIMEOUT, DEFAULT_HEAVY_QUEUE,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_TIMEOUT, MIN_TOKEN_BYTES, ServerConfig, default_max_connections,
    default_max_heavy,
};

use error::error_body;

/// The router of the API and the page, with limits, timeouts, CORS and JSON errors.
pub fn app(state: AppState) -> Router {
    let config = state.config().clone();
    let write = || from_fn_with_state(state.clone(), api::require_write);
    let api = Router::new()
        .route("/api/health", get(api::health))
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/search", get(api::search))
        .route("/api/analyze", post(api::analyze))
        .merge(aids_api::routes())
        .route(
            "/api/documents",
            post(api::add_documents).route_layer(write()),
        )
        .route(
            "/api/documents/{id}",
            get(api::get_document)
                .merge(axum::routing::delete(api::delete_document).route_layer(write())),
        )
        .route("/", get(web::index_html))
        .route("/assets/app.js", get(web::app_js))
        .route("/assets/style.css", get(web::style_css))
        .route("/favicon.svg", get(web::favicon))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(config.body_limit))
        .with_state(state.clone());
    with_layers(api, state)
}

/// Wraps routes in the body limit, timeout, panic catching, Host check, CORS and JSON-error
/// layers.
fn with_layers(routes: Router, state: AppState) -> Router {
    let config = state.config().clone();
    let api = routes
        .layer(RequestBodyLimitLayer::new(config.body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(from_fn_with_state(state.clone(), host::check_host));
    let api = if config.cors.is_empty() {
        api
    } else {
        let origin = if config.cors.iter().any(|o| o == "*") {
            AllowOrigin::from(AnyOrigin)
        } else {
            AllowOrigin::list(config.cors.clone())
        };
        api.layer(
            CorsLayer::new()
                .allow_origin(origin)
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE]),
        )
    };
    api.layer(map_response_with_state(state, json_errors))
}

/// Runs [`app`] on `listener` until `shutdown` completes (HTTP/1.1, with the connection cap,
/// header-read and idle timeouts of the state's [`ServerConfig`]).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    memory::tune_allocator();
    let config = state.config().clone();
    conn::serve(listener, app(state), &config, shutdown).await
}

async fn openapi_json() -> Json<serde_json::Value> {
    Json(openapi::document())
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route".into())
}

async fn method_not_allowed() -> Response {
    error_body(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this route",
    )
}

fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let message = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::Internal(format!("handler panicked: {message}")).into_response()
}

/// Gives error responses made outside the handlers (limits, timeouts, extractors) the JSON shape.
async fn json_errors(State(state): State<AppState>, response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return response;
    }
    let (code, detail) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            ApiError::PayloadTooLarge {
                limit: state.config().body_limit,
            }
            .to_string(),
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "request_timeout",
            format!(
                "request took longer than {} s",
                state.config().request_timeout.as_secs_f64()
            ),
        ),
        other => (
            "http_error",
            other.canonical_reason().unwrap_or("error").to_string(),
        ),
    };
    let mut fresh = error_body(status, code, &detail);
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && name != header::TRANSFER_ENCODING
        {
            fresh.headers_mut().append(name, value.clone());
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use qalam_index::{AnalyzerSettings, QalamIndex};
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn panics_become_bare_json_500s() {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let state = AppState::new(index, ServerConfig::default());
        let boom: Router = Router::new().route(
            "/boom",
            get(|| async {
                panic!("secret detail");
                #[allow(unreachable_code)]
                ()
            }),
        );
        let router = with_layers(boom, state);
        let res = router
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(res.into_body(), 1 << 16)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error"], "internal_error");
        assert!(!v["detail"].as_str().unwrap().contains("secret"));
    }
}
