//! Test support: the `qalam` binary as a server on a free port, and a minimal HTTP/1.1 client
//! over `TcpStream` (raw, so tests can send invalid UTF-8, odd headers and oversized bodies).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The write token of the test servers.
pub const TOKEN: &str = "t0ken-for-tests-0123";
/// The `Authorization` header that carries [`TOKEN`].
pub const AUTH: (&str, &str) = ("Authorization", "Bearer t0ken-for-tests-0123");
/// The JSON `Content-Type` header.
pub const JSON: (&str, &str) = ("Content-Type", "application/json");

/// The bundled sample articles (JSONL).
pub fn sample() -> String {
    format!("{}/sample/articles.jsonl", env!("CARGO_MANIFEST_DIR"))
}

/// Indexes the sample articles into `dir/idx` with `qalam index --quiet`; the index directory.
pub fn index_sample(dir: &Path) -> PathBuf {
    let index = dir.join("idx");
    let out = Command::new(env!("CARGO_BIN_EXE_qalam"))
        .args(["index", "--index", index.to_str().unwrap(), "--quiet"])
        .arg(sample())
        .output()
        .expect("run qalam index");
    assert!(
        out.status.success(),
        "qalam index: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    index
}

/// A running `qalam serve` or `qalam demo`; killed on drop.
pub struct Server {
    child: Child,
    /// `host:port` it listens on.
    pub addr: String,
}

impl Server {
    /// Starts `qalam ARGS --addr 127.0.0.1:0` and waits for the URL it prints.
    pub fn start(args: &[&str], envs: &[(&str, &str)], cwd: &Path) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_qalam"));
        cmd.args(args)
            .args(["--addr", "127.0.0.1:0"])
            .env_remove("QALAM_WRITE_TOKEN")
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("spawn qalam");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(line)) = lines.next() {
                let _ = tx.send(line);
            }
            for _ in lines {}
        });
        let url = match rx.recv_timeout(Duration::from_secs(120)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                panic!("qalam {args:?} printed no URL");
            }
        };
        let addr = url
            .strip_prefix("http://")
            .and_then(|u| u.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected URL line {url:?}"))
            .to_string();
        Server { child, addr }
    }

    /// `qalam demo` with its data under `dir/data`, the write token [`TOKEN`], the `extra` flags
    /// and the environment `envs`.
    pub fn demo(dir: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
        let data = dir.join("data");
        let mut args = vec!["demo", "--data-dir", data.to_str().unwrap()];
        args.extend_from_slice(extra);
        let mut all = vec![("QALAM_WRITE_TOKEN", TOKEN)];
        all.extend_from_slice(envs);
        Server::start(&args, &all, dir)
    }

    /// The base URL, `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sends a request and returns the response.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Response {
        request(&self.addr, method, path, headers, body)
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Response {
        self.send("GET", path, &[], b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header with this (case-insensitive) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (panics with the body if it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {}: body is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Asserts the status and the JSON error shape; returns the `error` code.
    pub fn assert_error(&self, status: u16) -> String {
        assert_eq!(
            self.status,
            status,
            "body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert!(
            self.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "error without JSON content type: {:?}",
            self.headers
        );
        let v = self.json();
        let code = v["error"].as_str().expect("error code").to_string();
        assert!(v["detail"].is_string(), "no detail: {v}");
        code
    }
}

/// Percent-encodes a query parameter value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One HTTP/1.1 request with `Connection: close` (and `Host: addr` unless `headers` name a
/// host); the response is read to the end.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    let mut has_length = false;
    for (k, v) in headers {
        has_length |= k.eq_ignore_ascii_case("content-length");
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !has_length && (!body.is_empty() || matches!(method, "POST" | "PUT")) {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    stream.write_all(head.as_bytes()).expect("write head");
    // The server may answer (413, 401) before the body is sent; later write errors are fine.
    let _ = stream.write_all(body);
    // Read until the body is complete by its Content-Length (or chunked end, or EOF): some
    // servers (chromedriver) keep the connection open despite `Connection: close`.
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    loop {
        if let Some(done) = complete(&raw)
            && done
        {
            break;
        }
        let n = stream.read(&mut buf).expect("read response");
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    parse_response(&raw)
}

/// Whether `raw` holds a whole response; `None` while the headers are incomplete.
fn complete(raw: &[u8]) -> Option<bool> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    let body = &raw[end + 4..];
    if let Some(len) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return Some(body.len() >= len);
    }
    if head.contains("transfer-encoding: chunked") {
        return Some(body.ends_with(b"0\r\n\r\n"));
    }
    Some(false)
}

fn parse_response(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        data = &data[line_end + 2..];
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
    out
}
