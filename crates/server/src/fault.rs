//! Faults that tests inject through the `X-Qalam-Fault` header: `panic` (inside an upload or a
//! delete, after the writer has taken the records and before it commits) and `sleep-ms=N`
//! (inside heavy work, holding its slot). Honoured only in debug builds or with the
//! `fault-injection` feature, and only when [`ServerConfig::fault_injection`] is on; release
//! builds compile the header reading out.
//!
//! [`ServerConfig::fault_injection`]: crate::ServerConfig::fault_injection

use std::time::Duration;

use axum::http::HeaderMap;

use crate::AppState;

/// The test header.
#[cfg(any(debug_assertions, feature = "fault-injection"))]
pub(crate) const FAULT_HEADER: &str = "x-qalam-fault";

/// What to inject into one request.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Fault {
    panic: bool,
    sleep: Option<Duration>,
}

impl Fault {
    /// The faults a request asks for (none unless fault injection is compiled in and on).
    #[cfg(any(debug_assertions, feature = "fault-injection"))]
    pub(crate) fn of(state: &AppState, headers: &HeaderMap) -> Fault {
        let mut fault = Fault::default();
        if !state.config().fault_injection {
            return fault;
        }
        let Some(value) = headers.get(FAULT_HEADER).and_then(|v| v.to_str().ok()) else {
            return fault;
        };
        for part in value.split(',').map(str::trim) {
            if part == "panic" {
                fault.panic = true;
            } else if let Some(ms) = part.strip_prefix("sleep-ms=")
                && let Ok(ms) = ms.parse::<u64>()
            {
                fault.sleep = Some(Duration::from_millis(ms.min(60_000)));
            }
        }
        fault
    }

    /// The faults a request asks for: none in this build.
    #[cfg(not(any(debug_assertions, feature = "fault-injection")))]
    pub(crate) fn of(_: &AppState, _: &HeaderMap) -> Fault {
        Fault::default()
    }

    /// Sleeps if asked to (inside heavy work).
    pub(crate) fn sleep(&self) {
        if let Some(d) = self.sleep {
            std::thread::sleep(d);
        }
    }

    /// Panics if asked to (at a write's critical point).
    pub(crate) fn panic_point(&self, what: &str) {
        if self.panic {
            panic!("injected fault in {what}");
        }
    }
}
