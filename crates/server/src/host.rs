//! The `Host` check against DNS rebinding: a server bound to a loopback address answers only
//! requests that name that address, `localhost` or an allowed host; a server bound elsewhere
//! checks only when allowed hosts are given.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{ApiError, AppState};

/// The host names a server answers to.
#[derive(Clone, Debug)]
pub(crate) struct HostPolicy {
    names: HashSet<String>,
}

/// An IP address as it appears in a `Host` header (`[…]` around IPv6).
fn host_literal(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// The host of a `Host` header value, lower-cased, without port or trailing dot.
fn host_name(value: &str) -> String {
    let value = value.trim();
    let host = if value.starts_with('[') {
        value.find(']').map_or(value, |end| &value[..=end])
    } else {
        match value.rsplit_once(':') {
            Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
            _ => value,
        }
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

impl HostPolicy {
    /// The policy of a server bound to `local` with `allowed` names; `None` when any host is
    /// answered (bound to a non-loopback address without allowed names, or unknown address).
    pub(crate) fn new(local: Option<SocketAddr>, allowed: &[String]) -> Option<HostPolicy> {
        let loopback = local.is_some_and(|a| a.ip().is_loopback());
        if !loopback && allowed.is_empty() {
            return None;
        }
        let mut names: HashSet<String> = allowed.iter().map(|h| host_name(h)).collect();
        names.insert("localhost".into());
        if let Some(local) = local {
            if !local.ip().is_unspecified() {
                names.insert(host_literal(local.ip()));
            }
            if !loopback {
                // Bound to all or a public address: local clients may still use loopback names.
                names.insert("127.0.0.1".into());
                names.insert("[::1]".into());
            }
        }
        Some(HostPolicy { names })
    }

    /// Whether a request with this `Host` value is answered.
    pub(crate) fn allows(&self, host: &str) -> bool {
        self.names.contains(&host_name(host))
    }
}

/// Refuses requests whose `Host` the policy does not allow: 403 `bad_host`.
pub(crate) async fn check_host(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if let Some(policy) = &state.inner.hosts {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        match host {
            Some(h) if policy.allows(h) => {}
            other => {
                let shown: String = other.unwrap_or("(none)").chars().take(100).collect();
                return ApiError::BadHost(shown).into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> Option<SocketAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn loopback_servers_answer_their_names_only() {
        let p = HostPolicy::new(addr("127.0.0.1:7700"), &[]).unwrap();
        for ok in [
            "127.0.0.1:7700",
            "127.0.0.1",
            "localhost:7700",
            "LOCALHOST.",
            "localhost",
        ] {
            assert!(p.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:7700",
            "127.0.0.2",
            "",
            "localhost.evil",
        ] {
            assert!(!p.allows(bad), "{bad}");
        }
        let p = HostPolicy::new(addr("[::1]:80"), &["news.example".into()]).unwrap();
        assert!(p.allows("[::1]:80") && p.allows("News.Example:80"));
        assert!(!p.allows("evil.example"));
    }

    #[test]
    fn other_addresses_check_only_with_allowed_hosts() {
        assert!(HostPolicy::new(addr("0.0.0.0:7700"), &[]).is_none());
        assert!(HostPolicy::new(None, &[]).is_none());
        let p = HostPolicy::new(addr("0.0.0.0:7700"), &["qalam.lan".into()]).unwrap();
        assert!(p.allows("qalam.lan:7700") && p.allows("127.0.0.1:7700"));
        assert!(!p.allows("evil.example") && !p.allows("0.0.0.0"));
        let p = HostPolicy::new(addr("192.0.2.7:7700"), &["qalam.lan".into()]).unwrap();
        assert!(p.allows("192.0.2.7:7700"));
    }
}
