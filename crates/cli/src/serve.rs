//! `qalam serve`: the HTTP API and web page over an index, with every limit a flag
//! (`ServerArgs`, shared with `qalam demo`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use qalam_analysis::{Pipeline, PipelineOptions};
use qalam_index::QalamIndex;
use qalam_server::{AppState, HeaderValue, ServerConfig};

use crate::limit_args::QueryLimitArgs;
use crate::tag::NerModel;

/// Environment variable holding the write token when `--write-token` is not given.
const TOKEN_ENV: &str = "QALAM_WRITE_TOKEN";
/// Environment variable that turns on the `X-Qalam-Fault` test header (debug builds only).
const FAULT_ENV: &str = "QALAM_FAULT_INJECTION";

/// Flags shared by `serve` and `demo`.
#[derive(Args, Clone, Debug)]
pub struct ServerArgs {
    /// Address to listen on (port 0 picks a free port; the URL is printed on stdout).
    #[arg(long, default_value = "127.0.0.1:7700")]
    pub(crate) addr: String,
    /// Bearer token that writes (POST/DELETE /api/documents) need, at least 16 bytes
    /// [default: env QALAM_WRITE_TOKEN]; without one, writes are refused.
    #[arg(long, conflicts_with = "write_token_file")]
    write_token: Option<String>,
    /// Read the write token from this file (first line), so it does not show in `ps`.
    #[arg(long, value_name = "PATH")]
    write_token_file: Option<PathBuf>,
    /// Allow cross-origin requests from this origin ("*" for any); repeatable. Off by default.
    #[arg(long, value_name = "ORIGIN")]
    cors: Vec<String>,
    /// Also answer requests whose Host header names this host (repeatable). Bound to a loopback
    /// address, only that address and localhost are answered otherwise (against DNS
    /// rebinding); bound elsewhere, the Host check is on once a name is given.
    #[arg(long, value_name = "NAME")]
    allowed_host: Vec<String>,
    /// Largest request body, in MiB.
    #[arg(long, default_value_t = 10)]
    body_limit_mb: usize,
    /// Longest time a request may take, in seconds (its heavy work stops then too).
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Longest time a client may take to send a request's headers, in seconds (counted from the
    /// connection's start or the end of the previous response).
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    header_timeout: u64,
    /// Close a connection idle (no request in progress, no bytes moving) this long, in seconds.
    #[arg(long, default_value_t = 5, value_name = "SECS")]
    idle_timeout: u64,
    /// Most open connections; further clients wait in the listen backlog
    /// [default: 256 per core, at most the open-file limit minus 64].
    #[arg(long, value_name = "N")]
    max_connections: Option<usize>,
    /// Most heavy requests at once (search, analysis, stories, entities, duplicates, document
    /// reads, uploads, deletes) [default: 2 per core].
    #[arg(long, value_name = "N")]
    max_heavy: Option<usize>,
    /// Most heavy requests waiting for a slot; beyond, 503 busy with Retry-After.
    #[arg(long, default_value_t = qalam_server::DEFAULT_HEAVY_QUEUE, value_name = "N")]
    heavy_queue: usize,
    #[command(flatten)]
    pub(crate) query_limits: QueryLimitArgs,
    /// NER model of the analysis API and of uploads: `fast` (the perceptron) or `neural`
    /// (perceptron + network, slower).
    #[arg(long, value_enum, default_value_t = NerModel::Fast)]
    pub(crate) ner_model: NerModel,
}

/// Arguments of `qalam serve`.
#[derive(Args)]
pub struct ServeArgs {
    /// Index directory (made by `qalam index`).
    #[arg(long)]
    index: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
}

impl ServerArgs {
    /// The server configuration these flags ask for (checked).
    pub(crate) fn config(&self) -> Result<ServerConfig> {
        let write_token = match (&self.write_token, &self.write_token_file) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(path)) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read --write-token-file {}", path.display())
                })?;
                let token = text.lines().next().unwrap_or("").trim().to_string();
                if token.is_empty() {
                    bail!("--write-token-file {}: the file is empty", path.display());
                }
                Some(token)
            }
            (None, None) => std::env::var(TOKEN_ENV).ok(),
        }
        .filter(|t| !t.is_empty());
        let cors = self
            .cors
            .iter()
            .map(|o| {
                HeaderValue::from_str(o.trim_end_matches('/'))
                    .with_context(|| format!("--cors {o:?} is not a valid origin"))
            })
            .collect::<Result<Vec<_>>>()?;
        for (flag, value) in [
            ("--body-limit-mb", self.body_limit_mb as u64),
            ("--timeout", self.timeout),
            ("--header-timeout", self.header_timeout),
            ("--idle-timeout", self.idle_timeout),
            (
                "--max-connections",
                self.max_connections.unwrap_or(1) as u64,
            ),
            ("--max-heavy", self.max_heavy.unwrap_or(1) as u64),
        ] {
            if value == 0 {
                bail!("{flag} must be positive");
            }
        }
        for host in &self.allowed_host {
            if host.is_empty() || host.contains(['/', ' ', '@']) {
                bail!("--allowed-host {host:?} is not a host name");
            }
        }
        let config = ServerConfig {
            write_token,
            cors,
            body_limit: self.body_limit_mb.saturating_mul(1 << 20),
            request_timeout: Duration::from_secs(self.timeout),
            header_timeout: Duration::from_secs(self.header_timeout),
            idle_timeout: Duration::from_secs(self.idle_timeout),
            max_connections: self.max_connections.unwrap_or_else(default_max_connections),
            max_heavy: self
                .max_heavy
                .unwrap_or_else(qalam_server::default_max_heavy),
            heavy_queue: self.heavy_queue,
            local_addr: None,
            allowed_hosts: self.allowed_host.clone(),
            fault_injection: cfg!(any(debug_assertions, feature = "fault-injection"))
                && std::env::var(FAULT_ENV).is_ok_and(|v| v == "1"),
        };
        if let Some(token) = &config.write_token
            && token.len() < qalam_server::MIN_TOKEN_BYTES
        {
            bail!(
                "the write token is {} bytes long; use at least {} (for example the output of \
                 `openssl rand -hex 16`)",
                token.len(),
                qalam_server::MIN_TOKEN_BYTES
            );
        }
        config.check().map_err(anyhow::Error::msg)?;
        Ok(config)
    }
}

/// 256 connections per core, but no more than the open-file limit leaves room for (index files,
/// the listener, logs: 64 descriptors).
fn default_max_connections() -> usize {
    let wanted = qalam_server::default_max_connections();
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes into the struct we pass.
        if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0
            && limit.rlim_cur != libc::RLIM_INFINITY
        {
            let room = (limit.rlim_cur as usize).saturating_sub(64).max(16);
            return wanted.min(room);
        }
    }
    wanted
}

/// `qalam serve`.
pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    let config = args.server.config()?;
    let mut index = QalamIndex::open(&args.index)?;
    index.set_query_limits(args.server.query_limits.limits()?);
    run_server(index, &args.index, config, &args.server)
}

/// Serves `index` (kept in `dir`) on `addr` until Ctrl-C or SIGTERM.
pub(crate) fn run_server(
    index: QalamIndex,
    dir: &Path,
    mut config: ServerConfig,
    args: &ServerArgs,
) -> Result<ExitCode> {
    let addr = args.addr.as_str();
    // The pipeline loads its NER model here, before the first request needs it.
    let pipeline = Pipeline::new(PipelineOptions {
        entities: args.ner_model.entity_model(),
        ..PipelineOptions::default()
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        config.local_addr = Some(local);
        if config.fault_injection {
            eprintln!("qalam: fault injection is on ({FAULT_ENV}=1): for tests only");
        }
        let writes = if config.write_token.is_some() {
            "writes need the bearer token"
        } else {
            "read-only (no write token)"
        };
        let docs = index.num_docs();
        let state = AppState::with_pipeline(index, Arc::new(pipeline), config);
        eprintln!(
            "qalam: serving {docs} documents from {} on http://{local}/ ({writes}); Ctrl-C stops",
            dir.display()
        );
        if !local.ip().is_loopback() {
            eprintln!("qalam: note: {local} is reachable from other machines");
        }
        println!("http://{local}/");
        qalam_server::serve(listener, state, shutdown_signal())
            .await
            .context("server error")?;
        eprintln!("qalam: stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
