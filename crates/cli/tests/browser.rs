//! End to end in real headless Chromium (through chromedriver's W3C WebDriver endpoints): load
//! the page of `qalam demo`, type "الموصل", see a highlighted hit, open the article, see entity
//! marks, switch to Arabic-Indic digits, and save screenshots to `target/browser/`.
//!
//! Needs `chromium` and `chromedriver` (Debian: `apt-get install chromium chromium-driver`;
//! `.ci/run` installs them). Without them the test fails, unless `QALAM_SKIP_BROWSER=1`.

mod api_support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use api_support::{Server, request};
use base64::Engine;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// chromedriver on a free port; killed on drop.
struct Driver {
    child: Child,
    addr: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    fn start(program: &Path) -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = Driver {
            child,
            addr: format!("127.0.0.1:{port}"),
        };
        let started = Instant::now();
        loop {
            if std::net::TcpStream::connect(&driver.addr).is_ok() {
                let status = driver.call("GET", "/status", None);
                if status["ready"] == true {
                    return driver;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A WebDriver command; returns its `value`, panicking on WebDriver errors.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let headers: &[(&str, &str)] = if method == "POST" {
            &[("Content-Type", "application/json")]
        } else {
            &[]
        };
        let r = request(&self.addr, method, path, headers, body.as_bytes());
        let v: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
        assert!(
            r.status == 200,
            "WebDriver {method} {path} failed ({}): {v}",
            r.status
        );
        v["value"].clone()
    }
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = request(
            &self.driver.addr,
            "DELETE",
            &format!("/session/{}", self.id),
            &[],
            b"",
        );
    }
}

impl Session<'_> {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    fn js(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    fn element(&self, css: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": "css selector", "value": css })),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    /// Polls a script until it returns something truthy; returns that value.
    fn wait_for(&self, what: &str, script: &str) -> Value {
        let started = Instant::now();
        loop {
            let v = self.js(script);
            let truthy = match &v {
                Value::Null | Value::Bool(false) => false,
                Value::Number(n) => n.as_f64() != Some(0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return v;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(path, png).unwrap();
        eprintln!("screenshot: {}", path.display());
    }
}

/// `target/browser/`, beside the binary's profile directory.
fn screenshot_dir() -> PathBuf {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_qalam"));
    let target = exe.parent().and_then(Path::parent).unwrap().to_path_buf();
    let dir = target.join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn search_and_read_in_chromium() {
    if std::env::var("QALAM_SKIP_BROWSER").as_deref() == Ok("1") {
        eprintln!("QALAM_SKIP_BROWSER=1: browser test skipped");
        return;
    }
    let chromium = find_program(
        "QALAM_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    )
    .expect(
        "chromium not found: install it (apt-get install -y chromium chromium-driver) \
             or set QALAM_SKIP_BROWSER=1 to skip the browser test",
    );
    let chromedriver = find_program("QALAM_CHROMEDRIVER", &["chromedriver"]).expect(
        "chromedriver not found: install it (apt-get install -y chromium-driver) \
         or set QALAM_SKIP_BROWSER=1 to skip the browser test",
    );

    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let server = Server::start(
        &["demo", "--data-dir", data.to_str().unwrap()],
        &[],
        tmp.path(),
    );
    let driver = Driver::start(&chromedriver);
    let profile = tmp.path().join("chromium-profile");
    let caps = json!({
        "capabilities": {
            "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                        "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage", "--window-size=1280,1000",
                        format!("--user-data-dir={}", profile.display()),
                    ]
                }
            }
        }
    });
    let created = driver.call("POST", "/session", Some(caps));
    let session = Session {
        driver: &driver,
        id: created["sessionId"].as_str().unwrap().to_string(),
    };
    let shots = screenshot_dir();

    session.cmd("POST", "/url", Some(json!({ "url": server.url() })));
    let dir = session.js(
        "return document.documentElement.dir + ' ' + getComputedStyle(document.body).direction",
    );
    assert_eq!(dir, "rtl rtl");
    // The archive is listed before any query.
    session.wait_for(
        "the listing",
        "return document.querySelectorAll('#hits .hit').length",
    );

    // Type the query; results come as you type.
    let input = session.element("#q");
    session.cmd(
        "POST",
        &format!("/element/{input}/value"),
        Some(json!({ "text": "الموصل" })),
    );
    let marked = session.wait_for(
        "a highlighted hit",
        "const m = document.querySelector('#hits .hit .snippet mark'); \
         return m && location.hash.includes('q=') ? m.textContent : null",
    );
    assert_eq!(marked, "الموصل");
    let status = session.js("return document.getElementById('status').textContent");
    assert!(status.as_str().unwrap().contains("نتيجة"), "{status}");
    let facets = session.js("return document.querySelectorAll('#sources .facet-item').length");
    assert!(facets.as_u64().unwrap() >= 2, "source facets shown");
    session.screenshot(&shots.join("search.png"));

    // Open the first hit: the article with coloured entity marks.
    let title = session.js("return document.querySelector('#hits .hit h3 a').textContent");
    let link = session.element("#hits .hit h3 a");
    session.cmd("POST", &format!("/element/{link}/click"), Some(json!({})));
    let marks = session.wait_for(
        "entity marks in the article",
        "return document.querySelectorAll('#article-body mark.ent').length",
    );
    assert!(marks.as_u64().unwrap() > 0);
    assert_eq!(
        session.js("return document.getElementById('article-title').textContent"),
        title
    );
    let types = session.js(
        "return [...new Set([...document.querySelectorAll('#article-body mark.ent')].map(m => m.dataset.type))]",
    );
    for t in types.as_array().unwrap() {
        assert!(
            ["PERS", "LOC", "ORG", "MISC"].contains(&t.as_str().unwrap()),
            "{t}"
        );
    }
    let colour = session.js(
        "return getComputedStyle(document.querySelector('#article-body mark.ent')).backgroundColor",
    );
    assert_ne!(colour, "rgba(0, 0, 0, 0)", "entities are coloured");
    let legend = session.js("return document.querySelectorAll('#legend button').length");
    assert_eq!(legend, 4);

    // Arabic-Indic digits on request.
    let digits = session.element("#digits");
    session.cmd("POST", &format!("/element/{digits}/click"), Some(json!({})));
    session.wait_for(
        "Arabic-Indic digits in the date",
        "return /[٠-٩]/.test(document.getElementById('article-meta').textContent)",
    );
    session.screenshot(&shots.join("article.png"));
}
