//! [`AppState`] and [`ServerConfig`]: what every handler shares.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use qalam_analysis::Pipeline;
use qalam_index::QalamIndex;

use crate::ApiError;

/// Default body limit: 10 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 10 << 20;
/// Default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings of the HTTP server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Bearer token that writes (`POST`/`DELETE /api/documents`) need; `None` refuses all writes.
    pub write_token: Option<String>,
    /// Origins allowed by CORS (`*` allows any); empty turns CORS off.
    pub cors: Vec<HeaderValue>,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Longest time a request may take.
    pub request_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            write_token: None,
            cors: Vec::new(),
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_TIMEOUT,
        }
    }
}

/// The shared state of the handlers: the index, the analysis pipeline and the settings.
#[derive(Clone)]
pub struct AppState {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) index: QalamIndex,
    pub(crate) pipeline: Arc<Pipeline>,
    pub(crate) config: ServerConfig,
    /// Serialises writers: tantivy allows one `IndexWriter` per index.
    pub(crate) write_lock: Mutex<()>,
}

impl AppState {
    /// State serving `index` with `config` and the default analysis pipeline.
    pub fn new(index: QalamIndex, config: ServerConfig) -> AppState {
        AppState::with_pipeline(index, Arc::new(Pipeline::default()), config)
    }

    /// State serving `index` with `config` and `pipeline` (which also annotates uploads).
    pub fn with_pipeline(
        index: QalamIndex,
        pipeline: Arc<Pipeline>,
        config: ServerConfig,
    ) -> AppState {
        let config = ServerConfig {
            write_token: config.write_token.filter(|t| !t.is_empty()),
            ..config
        };
        AppState {
            inner: Arc::new(Inner {
                index,
                pipeline,
                config,
                write_lock: Mutex::new(()),
            }),
        }
    }

    /// The served index.
    pub fn index(&self) -> &QalamIndex {
        &self.inner.index
    }

    /// The server settings.
    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    /// Checks the bearer token of a write request.
    pub fn authorize_write(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let Some(expected) = &self.inner.config.write_token else {
            return Err(ApiError::WritesDisabled);
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then_some(token.trim())
            });
        match given {
            Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
            _ => Err(ApiError::Unauthorized),
        }
    }
}

/// Compares two byte strings in time that depends only on their lengths.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use qalam_index::AnalyzerSettings;

    fn state(token: Option<&str>) -> AppState {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let config = ServerConfig {
            write_token: token.map(str::to_string),
            ..ServerConfig::default()
        };
        AppState::new(index, config)
    }

    fn bearer(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn writes_need_the_configured_token() {
        let s = state(Some("s3cret"));
        assert!(s.authorize_write(&bearer("Bearer s3cret")).is_ok());
        assert!(s.authorize_write(&bearer("bearer s3cret")).is_ok());
        assert!(matches!(
            s.authorize_write(&bearer("Bearer s3cre")),
            Err(ApiError::Unauthorized)
        ));
        assert!(matches!(
            s.authorize_write(&bearer("Basic s3cret")),
            Err(ApiError::Unauthorized)
        ));
        assert!(matches!(
            s.authorize_write(&HeaderMap::new()),
            Err(ApiError::Unauthorized)
        ));
    }

    #[test]
    fn no_token_or_empty_token_disables_writes() {
        for token in [None, Some("")] {
            let s = state(token);
            assert!(matches!(
                s.authorize_write(&bearer("Bearer ")),
                Err(ApiError::WritesDisabled)
            ));
        }
    }
}
