//! `qalam index` killed with SIGKILL in the middle of a large ingest leaves an index that opens
//! with exactly the documents of one of its commits.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use qalam_index::{QalamIndex, SearchRequest};

const DOCS: u64 = 200_000;
const COMMIT_DOCS: u64 = 2_000;

/// Writes `DOCS` small articles; article `i` contains the made-up word `كلمة{i}`... spelled
/// with Arabic-Indic digits so every article has a unique searchable token.
fn write_jsonl(path: &std::path::Path) {
    let words = [
        "السعودية",
        "الرياض",
        "وزارة",
        "التعليم",
        "المدرسة",
        "الطقس",
        "أمطار",
        "جدة",
        "مكة",
        "الاقتصاد",
        "النفط",
        "الأسعار",
    ];
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..DOCS {
        let mut body = String::new();
        for _ in 0..24 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            body.push_str(words[(x % words.len() as u64) as usize]);
            body.push(' ');
        }
        body.push_str(&format!("رقم{i}"));
        writeln!(out, "{{\"id\": \"doc{i}\", \"title\": \"خبر {i}\", \"content\": \"{body}\", \"source\": \"gen\"}}").unwrap();
    }
    out.flush().unwrap();
}

/// Parses "qalam: commit: N documents in the index".
fn commit_count(line: &str) -> Option<u64> {
    line.strip_prefix("qalam: commit: ")?
        .split(' ')
        .next()?
        .parse()
        .ok()
}

#[test]
fn sigkill_mid_ingest_leaves_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    write_jsonl(&input);
    let index_dir = dir.path().join("idx");
    let mut child = Command::new(env!("CARGO_BIN_EXE_qalam"))
        .arg("index")
        .arg("--index")
        .arg(&index_dir)
        .arg("--commit-docs")
        .arg(COMMIT_DOCS.to_string())
        .arg("--threads")
        .arg("1")
        .arg(&input)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(n) = commit_count(&line) {
                let _ = tx.send(n);
            }
            lines.push(line);
        }
        lines
    });
    let deadline = Instant::now() + Duration::from_secs(90);
    let first = loop {
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(n) => break n,
            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(e) => {
                let _ = child.kill();
                panic!(
                    "no commit within 90 s ({e:?}): {:?}",
                    reader.join().unwrap()
                );
            }
        }
    };
    // Let it run past the first commit, into the middle of later batches.
    std::thread::sleep(Duration::from_millis(700));
    child.kill().unwrap(); // SIGKILL on unix
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the ingest finished before it was killed; make DOCS larger"
    );
    let lines = reader.join().unwrap();
    let printed: Vec<u64> = lines.iter().filter_map(|l| commit_count(l)).collect();

    let index = QalamIndex::open(&index_dir).unwrap();
    let n = index.num_docs();
    // Ids are unique, so every commit holds a multiple of COMMIT_DOCS documents; a commit that
    // completed just before the kill may not have been printed yet.
    assert!(
        n >= first && n.is_multiple_of(COMMIT_DOCS) && n < DOCS,
        "{n} docs; commits printed: {printed:?}"
    );
    assert!(
        n <= printed.last().unwrap() + COMMIT_DOCS,
        "{n} docs; commits printed: {printed:?}"
    );
    for i in [0, n / 2, n - 1] {
        let hits = index
            .search(&SearchRequest::new(format!("رقم{i}")))
            .unwrap();
        assert_eq!(hits.total, 1, "doc{i}");
        assert_eq!(hits.hits[0].id, format!("doc{i}"));
    }
    let missing = index
        .search(&SearchRequest::new(format!("رقم{}", DOCS - 1)))
        .unwrap();
    assert_eq!(missing.total, 0);
    // The killed writer's lock does not outlive it: a new ingest can write.
    let more = dir.path().join("more.jsonl");
    std::fs::write(&more, "{\"id\": \"doc0\", \"content\": \"نص جديد\"}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_qalam"))
        .args(["index", "--quiet", "--index"])
        .arg(&index_dir)
        .arg(&more)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("added 0, replaced 1, rejected 0"));
}
