//! [`AppState`] and [`ServerConfig`]: what every handler shares, and the bound on concurrent
//! heavy work.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use qalam_analysis::Pipeline;
use qalam_index::{Deadline, QalamIndex};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::ApiError;
use crate::host::HostPolicy;

/// Default body limit: 10 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 10 << 20;
/// Default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time a client has to send a request's headers.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time an idle keep-alive connection stays open.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Default most requests waiting for a heavy-work slot.
pub const DEFAULT_HEAVY_QUEUE: usize = 256;
/// Shortest write token accepted, in bytes.
pub const MIN_TOKEN_BYTES: usize = 16;

/// Default cap on open connections: 256 per core.
pub fn default_max_connections() -> usize {
    256 * cores()
}

/// Default most heavy requests at once: 2 per core.
pub fn default_max_heavy() -> usize {
    2 * cores()
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Settings of the HTTP server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Bearer token that writes (`POST`/`DELETE /api/documents`) need; `None` refuses all writes.
    pub write_token: Option<String>,
    /// Origins allowed by CORS (`*` allows any); empty turns CORS off.
    pub cors: Vec<HeaderValue>,
    /// Largest request body, in bytes.
    pub body_limit: usize,
    /// Longest time a request may take (its heavy work stops then too).
    pub request_timeout: Duration,
    /// Longest time to send a request's headers, from the connection's start or the end of the
    /// previous response.
    pub header_timeout: Duration,
    /// Longest time a connection may sit idle (no request in progress, nothing sent or received).
    pub idle_timeout: Duration,
    /// Most connections open at once; further clients wait in the listen backlog.
    pub max_connections: usize,
    /// Most heavy requests (search, analysis, stories, uploads, …) running at once.
    pub max_heavy: usize,
    /// Most heavy requests waiting for a slot; beyond, `503 busy` with `Retry-After`.
    pub heavy_queue: usize,
    /// The address the server listens on: when it is a loopback address, the `Host` header must
    /// name it, `localhost` or one of `allowed_hosts`.
    pub local_addr: Option<SocketAddr>,
    /// Host names accepted in the `Host` header (checked whenever non-empty).
    pub allowed_hosts: Vec<String>,
    /// Honour the `X-Qalam-Fault` test header (debug builds and the `fault-injection` feature
    /// only; release builds ignore it).
    pub fault_injection: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            write_token: None,
            cors: Vec::new(),
            body_limit: DEFAULT_BODY_LIMIT,
            request_timeout: DEFAULT_TIMEOUT,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: default_max_connections(),
            max_heavy: default_max_heavy(),
            heavy_queue: DEFAULT_HEAVY_QUEUE,
            local_addr: None,
            allowed_hosts: Vec::new(),
            fault_injection: false,
        }
    }
}

impl ServerConfig {
    /// Checks the settings: a write token of at least [`MIN_TOKEN_BYTES`], positive limits.
    pub fn check(&self) -> Result<(), String> {
        if let Some(token) = &self.write_token
            && token.len() < MIN_TOKEN_BYTES
        {
            return Err(format!(
                "the write token is {} bytes long; use at least {MIN_TOKEN_BYTES} \
                 (for example the output of `openssl rand -hex 16`)",
                token.len()
            ));
        }
        for (name, zero) in [
            ("body limit", self.body_limit == 0),
            ("request timeout", self.request_timeout.is_zero()),
            ("header timeout", self.header_timeout.is_zero()),
            ("idle timeout", self.idle_timeout.is_zero()),
            ("connection cap", self.max_connections == 0),
            ("heavy-work cap", self.max_heavy == 0),
        ] {
            if zero {
                return Err(format!("the {name} must be positive"));
            }
        }
        Ok(())
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
    /// Serialises writers: tantivy allows one `IndexWriter` per index. A panic while it is held
    /// does not block later writes (the guard is recovered from poisoning; the dropped writer
    /// rolls back what it had not committed).
    pub(crate) write_lock: Mutex<()>,
    /// Slots for heavy work.
    heavy: Arc<Semaphore>,
    /// Requests waiting for a slot.
    waiting: AtomicUsize,
    /// Which `Host` headers are accepted (`None`: any).
    pub(crate) hosts: Option<HostPolicy>,
    /// Hash of the write token.
    token_hash: Option<blake3::Hash>,
}

/// A slot for heavy work, held until the work ends (even after its request has timed out).
pub(crate) struct HeavySlot {
    _permit: OwnedSemaphorePermit,
    /// When the work must stop: the request's timeout.
    pub(crate) deadline: Deadline,
}

/// Decrements the waiting count when a request stops waiting (slot granted or request dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
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
        let hosts = HostPolicy::new(config.local_addr, &config.allowed_hosts);
        let token_hash = config
            .write_token
            .as_deref()
            .map(|t| blake3::hash(t.as_bytes()));
        AppState {
            inner: Arc::new(Inner {
                index,
                pipeline,
                heavy: Arc::new(Semaphore::new(config.max_heavy.max(1))),
                waiting: AtomicUsize::new(0),
                hosts,
                token_hash,
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

    /// Heavy requests running now.
    pub fn heavy_in_use(&self) -> usize {
        self.inner.config.max_heavy.max(1) - self.inner.heavy.available_permits()
    }

    /// Waits for a slot for heavy work; `Err(ApiError::Overloaded)` when the queue is full.
    pub(crate) async fn heavy_slot(&self) -> Result<HeavySlot, ApiError> {
        let deadline = Deadline::after(self.inner.config.request_timeout);
        let permit = match self.inner.heavy.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                let before = self.inner.waiting.fetch_add(1, Ordering::SeqCst);
                let _waiting = Waiting(&self.inner.waiting);
                if before >= self.inner.config.heavy_queue {
                    return Err(ApiError::Overloaded);
                }
                self.inner
                    .heavy
                    .clone()
                    .acquire_owned()
                    .await
                    .map_err(|_| ApiError::Internal("heavy-work semaphore closed".into()))?
            }
        };
        Ok(HeavySlot {
            _permit: permit,
            deadline,
        })
    }

    /// Runs heavy blocking work `f` in a slot, off the async threads; `f` gets the deadline.
    /// A panic in `f` becomes a 500 for this request only.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(Deadline) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let slot = self.heavy_slot().await?;
        tokio::task::spawn_blocking(move || {
            let slot = slot;
            f(slot.deadline)
        })
        .await?
    }

    /// Takes the write lock, recovering it if a panicking writer left it poisoned.
    pub(crate) fn write_lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.inner
            .write_lock
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Checks the bearer token of a write request.
    pub fn authorize_write(&self, headers: &HeaderMap) -> Result<(), ApiError> {
        let Some(expected) = &self.inner.token_hash else {
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
        // Both sides are hashed, so the comparison (blake3's `==` is constant-time) takes the
        // same time whatever the lengths and contents.
        match given {
            Some(token) if blake3::hash(token.as_bytes()) == *expected => Ok(()),
            _ => Err(ApiError::Unauthorized),
        }
    }
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
        let s = state(Some("s3cret-s3cret-s3cret"));
        assert!(
            s.authorize_write(&bearer("Bearer s3cret-s3cret-s3cret"))
                .is_ok()
        );
        assert!(
            s.authorize_write(&bearer("bearer s3cret-s3cret-s3cret"))
                .is_ok()
        );
        for wrong in [
            "Bearer s3cret-s3cret-s3cre",
            "Bearer s3cret-s3cret-s3cret-",
            "Bearer x",
            "Basic s3cret-s3cret-s3cret",
        ] {
            assert!(
                matches!(
                    s.authorize_write(&bearer(wrong)),
                    Err(ApiError::Unauthorized)
                ),
                "{wrong}"
            );
        }
        assert!(matches!(
            s.authorize_write(&bearer("Bearer")),
            Err(ApiError::Unauthorized)
        ));
        assert!(matches!(
            s.authorize_write(&HeaderMap::new()),
            Err(ApiError::Unauthorized)
        ));
    }

    #[test]
    fn short_tokens_and_zero_limits_are_refused() {
        let config = |token: &str| ServerConfig {
            write_token: Some(token.into()),
            ..ServerConfig::default()
        };
        assert!(config("0123456789abcdef").check().is_ok());
        let e = config("0123456789abcde").check().unwrap_err();
        assert!(e.contains("15 bytes") && e.contains("at least 16"), "{e}");
        assert!(ServerConfig::default().check().is_ok());
        let zero = ServerConfig {
            max_heavy: 0,
            ..ServerConfig::default()
        };
        assert!(zero.check().unwrap_err().contains("heavy"));
    }

    #[tokio::test]
    async fn heavy_slots_queue_then_refuse() {
        let index = QalamIndex::create_in_ram(AnalyzerSettings::default()).unwrap();
        let s = AppState::new(
            index,
            ServerConfig {
                max_heavy: 1,
                heavy_queue: 1,
                ..ServerConfig::default()
            },
        );
        let first = s.heavy_slot().await.unwrap();
        assert_eq!(s.heavy_in_use(), 1);
        // One may wait; the next is refused at once.
        let s2 = s.clone();
        let waiter = tokio::spawn(async move { s2.heavy_slot().await.map(|_| ()) });
        while s.inner.waiting.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(s.heavy_slot().await, Err(ApiError::Overloaded)));
        drop(first);
        waiter.await.unwrap().unwrap();
        assert_eq!(s.heavy_in_use(), 0);
        assert_eq!(s.inner.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_panic_in_blocking_work_is_a_500_and_frees_the_lock() {
        let s = state(None);
        let s2 = s.clone();
        let r: Result<(), ApiError> = s
            .blocking(move |_| {
                let _guard = s2.write_lock();
                panic!("injected");
            })
            .await;
        assert!(matches!(r, Err(ApiError::Internal(_))));
        assert!(s.inner.write_lock.is_poisoned());
        drop(s.write_lock());
        assert_eq!(s.heavy_in_use(), 0);
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
