//! Hostile and careless clients against the real `qalam` binary: query bombs, stalled and idle
//! connections, the connection cap, a saturated server, foreign `Host` headers, panicking writes
//! and weak tokens. Every server limit is exercised through its flag.

mod api_support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use api_support::{AUTH, JSON, Server, TOKEN, enc, index_sample, request};
use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use serde_json::json;

const FAULT: &str = "X-Qalam-Fault";

/// `qalam demo` with the test token and fault injection (the `X-Qalam-Fault` header) on.
fn demo(dir: &Path, extra: &[&str]) -> Server {
    Server::demo(dir, extra, &[("QALAM_FAULT_INJECTION", "1")])
}

/// Reads until the server closes the connection; `Err` if it is still open after `wait`.
fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Result<Vec<u8>, String> {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return Ok(got),
            Err(e) => return Err(format!("still open ({e}) after {got:?}")),
        }
    }
}

#[test]
fn query_bombs_get_400_fast_and_the_server_lives() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &[]);
    let deep = format!("{}الموصل{}", "(".repeat(25), ")".repeat(25));
    let opens = "(".repeat(5000);
    let nots = format!("{}x", "NOT ".repeat(5000));
    for q in [&deep, &opens, &nots] {
        for path in ["/api/search", "/api/entities", "/api/stories"] {
            let started = Instant::now();
            let r = s.get(&format!("{path}?q={}", enc(q)));
            assert_eq!(r.assert_error(400), "query_too_complex", "{path} {:.30}", q);
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "{path}: {:?}",
                started.elapsed()
            );
        }
    }
    // The same words without syntax are a plain-words search: answered.
    let r = s.get(&format!("/api/search?mode=words&q={}", enc(&deep)));
    assert_eq!(r.status, 200);
    let health = s.get("/api/health");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    // Within the default limits, nesting works.
    let r = s.get(&format!(
        "/api/search?q={}",
        enc("((الموصل OR (الرقة AND داعش)) AND NOT (بغداد))")
    ));
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn query_limit_flags_are_honoured() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(
        tmp.path(),
        &[
            "--max-query-bytes",
            "200",
            "--max-query-depth",
            "2",
            "--max-query-clauses",
            "4",
            "--max-date-clauses",
            "1",
        ],
    );
    let status = |q: &str| {
        let r = s.get(&format!("/api/search?q={}", enc(q)));
        if r.status == 200 {
            "ok".to_string()
        } else {
            r.assert_error(400)
        }
    };
    assert_eq!(status("((الموصل))"), "ok");
    assert_eq!(status("(((الموصل)))"), "query_too_complex");
    assert_eq!(status("الموصل الرقة داعش بغداد"), "ok");
    assert_eq!(status("الموصل الرقة داعش بغداد تونس"), "query_too_complex");
    assert_eq!(status("الموصل date:2017"), "ok");
    assert_eq!(status("date:2016 OR date:2017"), "query_too_complex");
    assert_eq!(status(&"س".repeat(101)), "query_too_complex");
    assert_eq!(status("الموصل AND"), "bad_query");
    let r = s.get(&format!("/api/search?q=x&source={}", enc(&"م".repeat(101))));
    assert_eq!(r.assert_error(400), "query_too_complex");
    let r = s.get(&format!("/api/search?mode=words&q={}", enc("ا ب ت ث ج")));
    assert_eq!(r.assert_error(400), "query_too_complex");
}

#[test]
fn stalled_connections_neither_block_searches_nor_stay_open() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(
        tmp.path(),
        &["--header-timeout", "2", "--max-connections", "1000"],
    );
    let mut stalled: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut c = TcpStream::connect(&s.addr).unwrap();
            c.write_all(b"GET /api/sea").unwrap();
            c
        })
        .collect();
    let opened = Instant::now();
    let started = Instant::now();
    let r = s.get(&format!("/api/search?q={}", enc("الموصل")));
    assert_eq!(r.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // Every stalled connection is closed once the header timeout (2 s) has passed.
    for c in &mut stalled {
        let left = Duration::from_secs(8).saturating_sub(opened.elapsed());
        read_until_closed(c, left.max(Duration::from_millis(100))).unwrap();
    }
    assert!(
        opened.elapsed() >= Duration::from_millis(1500),
        "closed before the timeout"
    );
    assert_eq!(s.get("/api/health").status, 200);
}

#[test]
fn idle_connections_close_but_slow_work_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(
        tmp.path(),
        &["--idle-timeout", "1", "--header-timeout", "10"],
    );
    // A keep-alive connection, idle after its answer, is closed after about a second.
    let mut c = TcpStream::connect(&s.addr).unwrap();
    write!(c, "GET /api/health HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).unwrap();
    let started = Instant::now();
    let got = read_until_closed(&mut c, Duration::from_secs(6)).unwrap();
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(800) && took < Duration::from_secs(6),
        "{took:?}"
    );
    // Work longer than the idle timeout is not cut off: the connection is not idle.
    let r = s.send("GET", "/api/search?q=x", &[(FAULT, "sleep-ms=2500")], b"");
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
}

#[test]
fn the_connection_cap_holds_further_clients_back() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(
        tmp.path(),
        &["--max-connections", "4", "--header-timeout", "60"],
    );
    let stalled: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut c = TcpStream::connect(&s.addr).unwrap();
            c.write_all(b"GET /").unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // A fifth client connects (the kernel's backlog) but gets no answer while four are open.
    let mut fifth = TcpStream::connect(&s.addr).unwrap();
    write!(
        fifth,
        "GET /api/health HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        s.addr
    )
    .unwrap();
    fifth
        .set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    let mut buf = [0u8; 64];
    let early = fifth.read(&mut buf);
    assert!(
        matches!(&early, Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
        "answered over the cap: {early:?}"
    );
    // Once they go, it is served.
    drop(stalled);
    let got = read_until_closed(&mut fifth, Duration::from_secs(10)).unwrap();
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
    assert_eq!(s.get("/api/health").status, 200);
}

#[test]
fn saturated_heavy_work_answers_503_busy_with_retry_after() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &["--max-heavy", "1", "--heavy-queue", "0"]);
    let addr = s.addr.clone();
    // The slow search retries while one of the probes below holds the only slot.
    let slow = std::thread::spawn(move || {
        let started = Instant::now();
        loop {
            let status = request(
                &addr,
                "GET",
                "/api/search?q=x",
                &[("X-Qalam-Fault", "sleep-ms=12000")],
                b"",
            )
            .status;
            if status != 503 || started.elapsed() > Duration::from_secs(20) {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
    // While the slow search holds the only slot, heavy requests are refused at once.
    let started = Instant::now();
    let busy = loop {
        let r = s.send("POST", "/api/analyze", &[], "نص قصير".as_bytes());
        if r.status == 503 {
            break r;
        }
        assert_eq!(r.status, 200);
        // Generous: on a loaded machine the slow request may take a while to reach its slot.
        assert!(started.elapsed() < Duration::from_secs(20), "never busy");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(busy.assert_error(503), "busy");
    assert_eq!(busy.header("retry-after"), Some("1"));
    for path in [
        "/api/search?q=x",
        "/api/documents/qs-001",
        "/api/stories",
        "/api/duplicates",
    ] {
        let r = s.get(path);
        assert_eq!(r.assert_error(503), "busy", "{path}");
    }
    // Light requests still pass; the slot frees when the slow one ends.
    assert_eq!(s.get("/api/health").status, 200);
    assert_eq!(slow.join().unwrap(), 200);
    assert_eq!(s.get("/api/search?q=x").status, 200);
}

#[test]
fn a_panicking_write_is_a_500_and_the_next_write_works() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &[]);
    let docs = |id: &str| {
        json!([
            {"id": format!("{id}-a"), "content": "مستند الاختبار الأول عن الموصل"},
            {"id": format!("{id}-b"), "content": "مستند الاختبار الثاني عن الرقة"}
        ])
        .to_string()
    };
    let before = s.get("/api/health").json()["documents"].as_u64().unwrap();
    let r = s.send(
        "POST",
        "/api/documents",
        &[JSON, AUTH, (FAULT, "panic")],
        docs("p").as_bytes(),
    );
    assert_eq!(r.assert_error(500), "internal_error");
    // Nothing of the failed upload was committed.
    assert_eq!(s.get("/api/documents/p-a").assert_error(404), "not_found");
    assert_eq!(s.get("/api/health").json()["documents"], before);
    // The next upload and delete work (no poisoned lock, no stale writer).
    let r = s.send(
        "POST",
        "/api/documents",
        &[JSON, AUTH],
        docs("q").as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.json()["added"], 2);
    assert_eq!(s.get("/api/documents/q-a").status, 200);
    let r = s.send(
        "DELETE",
        "/api/documents/q-a",
        &[AUTH, (FAULT, "panic")],
        b"",
    );
    assert_eq!(r.assert_error(500), "internal_error");
    assert_eq!(s.get("/api/documents/q-a").status, 200, "not deleted");
    let r = s.send("DELETE", "/api/documents/q-a", &[AUTH], b"");
    assert_eq!(r.status, 200);
    assert_eq!(s.get("/api/documents/q-a").assert_error(404), "not_found");
    let r = s.send(
        "POST",
        "/api/documents",
        &[JSON, AUTH],
        docs("r").as_bytes(),
    );
    assert_eq!(r.status, 200);
    assert_eq!(s.get("/api/health").json()["documents"], before + 3);
}

#[test]
fn foreign_host_headers_get_403() {
    let tmp = tempfile::tempdir().unwrap();
    let s = demo(tmp.path(), &["--allowed-host", "news.example"]);
    let port = s.addr.rsplit_once(':').unwrap().1.to_string();
    for host in [
        "evil.example",
        "evil.example:80",
        "127.0.0.2",
        "localhost.evil.example",
    ] {
        let r = s.send("GET", "/api/health", &[("Host", host)], b"");
        assert_eq!(r.assert_error(403), "bad_host", "{host}");
    }
    let r = s.send("GET", "/", &[("Host", "evil.example")], b"");
    assert_eq!(r.assert_error(403), "bad_host");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "news.example".to_string(),
        format!("NEWS.example:{port}"),
    ] {
        let r = s.send("GET", "/api/health", &[("Host", &host)], b"");
        assert_eq!(r.status, 200, "{host}");
    }
}

#[test]
fn weak_tokens_are_refused_and_token_files_work() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let data = data.to_str().unwrap();
    Command::cargo_bin("qalam")
        .unwrap()
        .args(["demo", "--data-dir", data, "--write-token", "short-token"])
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("11 bytes").and(predicates::str::contains("at least 16")),
        );
    Command::cargo_bin("qalam")
        .unwrap()
        .args(["demo", "--data-dir", data, "--addr", "127.0.0.1:0"])
        .env("QALAM_WRITE_TOKEN", "tiny")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at least 16"));
    for flags in [
        vec!["--header-timeout", "0"],
        vec!["--max-heavy", "0"],
        vec!["--max-connections", "0"],
        vec!["--max-query-depth", "11"],
    ] {
        Command::cargo_bin("qalam")
            .unwrap()
            .args(["demo", "--data-dir", data])
            .args(&flags)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(flags[0]));
    }
    let file = tmp.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    let s = Server::start(
        &[
            "demo",
            "--data-dir",
            data,
            "--write-token-file",
            file.to_str().unwrap(),
        ],
        &[],
        tmp.path(),
    );
    let body = r#"[{"id": "f-1", "content": "نص من ملف الرمز"}]"#.as_bytes();
    let r = s.send("POST", "/api/documents", &[JSON, AUTH], body);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = s.send(
        "POST",
        "/api/documents",
        &[JSON, ("Authorization", "Bearer hostile-test-token-012")],
        body,
    );
    assert_eq!(r.assert_error(401), "unauthorized");
}

#[test]
fn cli_search_refuses_huge_pages_and_query_bombs() {
    let tmp = tempfile::tempdir().unwrap();
    let index = index_sample(tmp.path());
    let search = |args: &[&str]| {
        let mut cmd = Command::cargo_bin("qalam").unwrap();
        cmd.args(["search", "--index", index.to_str().unwrap()])
            .args(args);
        cmd.assert()
    };
    search(&["--limit", "18446744073709551615", "الموصل"])
        .code(2)
        .stderr(predicates::str::contains(
            "--limit 18446744073709551615 is more than",
        ));
    search(&["--offset", "18446744073709551615", "الموصل"])
        .code(2)
        .stderr(predicates::str::contains("--offset"));
    search(&["--limit", "18446744073709551616", "الموصل"]).code(2);
    let deep = format!("{}x{}", "(".repeat(25), ")".repeat(25));
    search(&[&deep])
        .code(2)
        .stderr(predicates::str::contains("query too complex"));
    search(&[&"(".repeat(5000)])
        .code(2)
        .stderr(predicates::str::contains("query too complex"));
    search(&["--max-query-clauses", "1", "الموصل الرقة"])
        .code(2)
        .stderr(predicates::str::contains("2 clauses"));
    search(&["--limit", "3", "الموصل"])
        .success()
        .stdout(predicates::str::contains("showing 1-3"));
    Command::cargo_bin("qalam")
        .unwrap()
        .args([
            "stories",
            "--index",
            index.to_str().unwrap(),
            "--query",
            &deep,
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("query too complex"));
    Command::cargo_bin("qalam")
        .unwrap()
        .args([
            "entities",
            "--index",
            index.to_str().unwrap(),
            "--query",
            &deep,
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("query too complex"));
}
