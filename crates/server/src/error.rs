//! [`ApiError`]: every failure of the API, answered as JSON `{"error", "detail"}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An API failure; its response is JSON `{"error": code, "detail": message}` with its status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// A malformed request (bad parameter, bad body).
    #[error("{detail}")]
    BadRequest {
        /// Machine-readable code (`bad_parameter`, `bad_json`, `bad_utf8`, …).
        code: &'static str,
        /// What is wrong, for people.
        detail: String,
    },
    /// A search query that cannot be parsed.
    #[error("{0}")]
    BadQuery(String),
    /// A search query over the query limits (length, nesting depth, clauses).
    #[error("{0}")]
    QueryTooComplex(String),
    /// A `Host` header the server does not answer to (DNS rebinding protection).
    #[error("host {0:?} is not served here; start the server with --allowed-host NAME to allow it")]
    BadHost(String),
    /// An upload in which no record could be indexed.
    #[error("{detail}")]
    NoDocuments {
        /// The first problem.
        detail: String,
        /// Every record's error.
        errors: Vec<String>,
    },
    /// A body of a type the endpoint does not read.
    #[error("unsupported content type {0:?}")]
    UnsupportedMediaType(String),
    /// No document (or route) with this name.
    #[error("{0}")]
    NotFound(String),
    /// A write while the server has no write token configured.
    #[error("writes are disabled: start the server with --write-token or QALAM_WRITE_TOKEN")]
    WritesDisabled,
    /// A write with a missing or wrong bearer token.
    #[error("missing or wrong bearer token")]
    Unauthorized,
    /// A body over the size limit.
    #[error("request body is larger than the limit of {limit} bytes")]
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The index is locked by another writer (e.g. a running `qalam index`).
    #[error("the index is locked by another writer; retry later")]
    Busy,
    /// Every heavy-work slot is taken and the queue is full.
    #[error("the server is busy; retry in a moment")]
    Overloaded,
    /// The request's time ran out and its work was stopped.
    #[error("the request took longer than the server's time limit")]
    Timeout,
    /// A fault of the server; logged, and answered without details.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A `400 bad_parameter` for query parameter `name`.
    pub fn param(name: &str, detail: impl std::fmt::Display) -> ApiError {
        ApiError::BadRequest {
            code: "bad_parameter",
            detail: format!("{name}: {detail}"),
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. }
            | ApiError::BadQuery(_)
            | ApiError::QueryTooComplex(_)
            | ApiError::NoDocuments { .. } => StatusCode::BAD_REQUEST,
            ApiError::BadHost(_) => StatusCode::FORBIDDEN,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::WritesDisabled => StatusCode::FORBIDDEN,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Busy | ApiError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Timeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code in the `error` field.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. } => code,
            ApiError::BadQuery(_) => "bad_query",
            ApiError::QueryTooComplex(_) => "query_too_complex",
            ApiError::BadHost(_) => "bad_host",
            ApiError::NoDocuments { .. } => "no_valid_documents",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::NotFound(_) => "not_found",
            ApiError::WritesDisabled => "writes_disabled",
            ApiError::Unauthorized => "unauthorized",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::Busy => "index_busy",
            ApiError::Overloaded => "busy",
            ApiError::Timeout => "request_timeout",
            ApiError::Internal(_) => "internal_error",
        }
    }
}

impl From<qalam_index::IndexError> for ApiError {
    fn from(err: qalam_index::IndexError) -> ApiError {
        match err.kind() {
            qalam_index::IndexError::Query(q) => ApiError::BadQuery(q.clone()),
            qalam_index::IndexError::QueryTooComplex(q) => ApiError::QueryTooComplex(q.clone()),
            qalam_index::IndexError::DeadlinePassed => ApiError::Timeout,
            qalam_index::IndexError::Tantivy(tantivy::TantivyError::LockFailure(..)) => {
                ApiError::Busy
            }
            _ => ApiError::Internal(err.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(err: tokio::task::JoinError) -> ApiError {
        if err.is_panic() {
            let panic = err.into_panic();
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            return ApiError::Internal(format!("worker panicked: {message}"));
        }
        ApiError::Internal(format!("worker task failed: {err}"))
    }
}

/// Seconds a client should wait before retrying a `503`.
pub(crate) const RETRY_AFTER_SECS: &str = "1";

/// A JSON error body.
pub(crate) fn error_body(status: StatusCode, code: &str, detail: &str) -> Response {
    let mut response = (status, Json(json!({ "error": code, "detail": detail }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from_static(RETRY_AFTER_SECS),
        );
    }
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Internal(message) => {
                eprintln!("qalam-server: internal error: {message}");
                error_body(status, "internal_error", "internal server error")
            }
            ApiError::NoDocuments { detail, errors } => (
                status,
                Json(json!({ "error": "no_valid_documents", "detail": detail, "errors": errors })),
            )
                .into_response(),
            other => error_body(status, other.code(), &other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_codes() {
        assert_eq!(ApiError::WritesDisabled.status(), StatusCode::FORBIDDEN);
        assert_eq!(ApiError::Unauthorized.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(ApiError::param("limit", "x").code(), "bad_parameter");
        let r = ApiError::Unauthorized.into_response();
        assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
        let r = ApiError::Internal("secret path /x".into()).into_response();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn query_errors_are_bad_requests() {
        let e: ApiError = qalam_index::IndexError::Query("empty query".into()).into();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.code(), "bad_query");
        let e: ApiError = qalam_index::IndexError::QueryTooComplex("deep".into()).into();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.code(), "query_too_complex");
    }

    #[test]
    fn busy_answers_carry_retry_after() {
        let r = ApiError::Overloaded.into_response();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers()[header::RETRY_AFTER], RETRY_AFTER_SECS);
        assert_eq!(ApiError::Overloaded.code(), "busy");
        assert_eq!(
            ApiError::BadHost("x".into()).status(),
            StatusCode::FORBIDDEN
        );
    }
}
