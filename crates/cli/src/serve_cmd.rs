//! `qalam serve` (the HTTP API and web page over an index) and `qalam demo` (the same over a
//! bundled sample corpus).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::Args;
use qalam_corpus::{Format, read_bytes};
use qalam_index::{AnalyzerSettings, QalamIndex};
use qalam_server::{AppState, HeaderValue, ServerConfig};

/// The bundled sample corpus: short news-style articles written for qalam (see `sample/README.md`).
pub const SAMPLE_JSONL: &[u8] = include_bytes!("../sample/articles.jsonl");

/// Environment variable holding the write token when `--write-token` is not given.
const TOKEN_ENV: &str = "QALAM_WRITE_TOKEN";

/// Flags shared by `serve` and `demo`.
#[derive(Args, Clone, Debug)]
pub struct ServerArgs {
    /// Address to listen on (port 0 picks a free port; the URL is printed on stdout).
    #[arg(long, default_value = "127.0.0.1:7700")]
    addr: String,
    /// Bearer token that writes (POST/DELETE /api/documents) need [default: env QALAM_WRITE_TOKEN];
    /// without one, writes are refused.
    #[arg(long)]
    write_token: Option<String>,
    /// Allow cross-origin requests from this origin ("*" for any); repeatable. Off by default.
    #[arg(long, value_name = "ORIGIN")]
    cors: Vec<String>,
    /// Largest request body, in MiB.
    #[arg(long, default_value_t = 10)]
    body_limit_mb: usize,
    /// Longest time a request may take, in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Index directory (made by `qalam index`).
    #[arg(long)]
    index: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
}

#[derive(Args)]
pub struct DemoArgs {
    /// Directory for the demo index (created if missing).
    #[arg(long, default_value = "qalam-data")]
    data_dir: PathBuf,
    #[command(flatten)]
    server: ServerArgs,
}

impl ServerArgs {
    fn config(&self) -> Result<ServerConfig> {
        let write_token = match &self.write_token {
            Some(t) => Some(t.clone()),
            None => std::env::var(TOKEN_ENV).ok(),
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
        if self.body_limit_mb == 0 || self.timeout == 0 {
            bail!("--body-limit-mb and --timeout must be positive");
        }
        Ok(ServerConfig {
            write_token,
            cors,
            body_limit: self.body_limit_mb.saturating_mul(1 << 20),
            request_timeout: Duration::from_secs(self.timeout),
        })
    }
}

pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    let config = args.server.config()?;
    let index = QalamIndex::open(&args.index)?;
    run_server(index, &args.index, config, &args.server.addr)
}

pub fn demo(args: DemoArgs) -> Result<ExitCode> {
    let config = args.server.config()?;
    let dir = args.data_dir.join("index");
    let (index, created) = QalamIndex::open_or_create(&dir, AnalyzerSettings::default())?;
    let mut docs = Vec::new();
    for record in read_bytes("sample/articles.jsonl", SAMPLE_JSONL, Format::Jsonl) {
        docs.push(record.context("bundled sample corpus")?);
    }
    let report = index.add(docs)?;
    eprintln!(
        "qalam: demo index {} {}: {} sample articles ({} new), {} documents in all",
        dir.display(),
        if created { "created" } else { "updated" },
        report.indexed(),
        report.added,
        report.docs_in_index
    );
    run_server(index, &dir, config, &args.server.addr)
}

fn run_server(index: QalamIndex, dir: &Path, config: ServerConfig, addr: &str) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        let writes = if config.write_token.is_some() {
            "writes need the bearer token"
        } else {
            "read-only (no write token)"
        };
        let docs = index.num_docs();
        // The pipeline loads its NER model here, before the first request needs it.
        let state = AppState::new(index, config);
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
