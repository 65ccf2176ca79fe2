//! The ingest limits of `qalam index` (record size, zip total and ratio, id length) and a full
//! disk, against the real binary; and the id limit of `POST /api/documents`.

mod api_support;

use std::io::{Cursor, Write};
use std::path::Path;
use std::process::{Command, Output};

use qalam_index::QalamIndex;
use zip::write::SimpleFileOptions;

fn qalam_index(index: &Path, args: &[&str], inputs: &[&Path]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qalam"));
    cmd.args(["index", "--quiet", "--no-aids", "--index"])
        .arg(index)
        .args(args)
        .args(inputs);
    cmd.output().expect("run qalam index")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that `qalam index` rejected records (exit status 1) and printed `reasons`.
fn assert_rejected(out: &Output, reasons: &[String]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for reason in reasons {
        assert!(
            err.contains(reason.as_str()),
            "missing {reason:?} in:\n{err}"
        );
    }
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in members {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn record(id: &str, body: &str) -> String {
    format!("{{\"id\": \"{id}\", \"title\": \"خبر\", \"content\": \"{body}\"}}\n")
}

/// `n` bytes or a little more of Arabic words picked by a fixed generator (compresses ~3:1).
fn words(n: usize, seed: u64) -> String {
    let list = [
        "السعودية",
        "الرياض",
        "وزارة",
        "التعليم",
        "أمطار",
        "جدة",
        "النفط",
    ];
    let mut x = seed | 1;
    let mut out = String::new();
    while out.len() < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(list[(x % list.len() as u64) as usize]);
        out.push_str(if x.is_multiple_of(11) { "، " } else { " " });
    }
    out
}

fn ids(index: &Path) -> Vec<String> {
    let index = QalamIndex::open(index).unwrap();
    let mut ids: Vec<String> = ["a", "b", "c", "d", "e", "z1", "z2", "ok", "after"]
        .into_iter()
        .filter(|id| index.get(id).unwrap().is_some())
        .map(str::to_string)
        .collect();
    ids.sort();
    assert_eq!(index.num_docs(), ids.len() as u64, "unexpected documents");
    ids
}

#[test]
fn long_ids_and_oversize_records_are_rejected_while_the_rest_lands() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let long_id = "ي".repeat(300); // 600 bytes
    let news = d.join("news.jsonl");
    let big = "ب".repeat(600_000); // 1.2 MB: over --max-record-mb 1
    std::fs::write(
        &news,
        [
            record("a", "نص أول"),
            record(&long_id, "نص بمعرف طويل"),
            record("b", &big),
            record("c", "نص ثالث"),
        ]
        .concat(),
    )
    .unwrap();
    let array = format!(
        "[{{\"id\": \"z1\", \"content\": \"نص\"}}, {{\"id\": \"{}\", \"content\": \"نص\"}}, {{\"id\": \"z2\", \"content\": \"نص\"}}]",
        "x".repeat(513)
    );
    let archive = d.join("arch.zip");
    std::fs::write(&archive, zip(&[("2015-07-21.json", array.as_bytes())])).unwrap();
    let index = d.join("idx");
    let out = qalam_index(&index, &["--max-record-mb", "1"], &[&news, &archive]);
    assert_rejected(
        &out,
        &[
            format!(
                "{}: line 2: id is 600 bytes, over the limit of 512",
                news.display()
            ),
            format!(
                "{}: line 3: record is over the size limit of 1 MiB",
                news.display()
            ),
            format!(
                "{}: 2015-07-21.json: record 2 (line 1): id is 513 bytes, over the limit of 512",
                archive.display()
            ),
            "added 4, replaced 0, rejected 3".to_string(),
        ],
    );
    assert_eq!(ids(&index), ["a", "c", "z1", "z2"]);

    // The default record limit is 16 MiB; --max-id-bytes lowers the id limit.
    let huge = d.join("huge.jsonl");
    let body = "ا".repeat(8_500_000); // 17 MB
    std::fs::write(
        &huge,
        [record("d", &body), record("e", "نص"), record("ok", "نص")].concat(),
    )
    .unwrap();
    let out = qalam_index(&index, &["--max-id-bytes", "1"], &[&huge]);
    assert_rejected(
        &out,
        &[
            format!(
                "{}: line 1: record is over the size limit of 16 MiB",
                huge.display()
            ),
            format!(
                "{}: line 3: id is 2 bytes, over the limit of 1",
                huge.display()
            ),
            "added 1, replaced 0, rejected 2".to_string(),
        ],
    );
    assert_eq!(ids(&index), ["a", "c", "e", "z1", "z2"]);
    let out = qalam_index(&index, &["--max-id-bytes", "513"], &[&huge]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--max-id-bytes"), "{}", stderr(&out));
}

#[test]
fn zip_bombs_are_rejected_by_ratio_while_the_rest_lands() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let bomb = "كلمة ".repeat(250_000); // 2.25 MB of one word: deflates about 1000:1
    let archive = d.join("bomb.zip");
    let bytes = zip(&[
        ("a.jsonl", record("a", "نص أول").as_bytes()),
        ("bomb.txt", bomb.as_bytes()),
        ("c.jsonl", record("c", "نص ثالث").as_bytes()),
    ]);
    assert!(bytes.len() * 300 < bomb.len(), "{} bytes", bytes.len());
    std::fs::write(&archive, bytes).unwrap();
    let index = d.join("idx");
    let out = qalam_index(&index, &[], &[&archive]);
    assert_rejected(
        &out,
        &[
            format!(
                "{}: bomb.txt: zip member expands more than 200:1 (a zip bomb?); skipped",
                archive.display()
            ),
            "added 2, replaced 0, rejected 1".to_string(),
        ],
    );
    assert_eq!(ids(&index), ["a", "c"]);
    // With a higher ratio allowed, the member is read.
    let out = qalam_index(&index, &["--max-zip-ratio", "5000"], &[&archive]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("added 1, replaced 2, rejected 0"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn zip_total_size_limit_skips_the_rest_of_the_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let part = |seed| {
        format!(
            "{{\"id\": \"z{seed}\", \"content\": \"{}\"}}",
            words(600_000, seed)
        )
    };
    let (one, two, three) = (part(1), part(2), part(3));
    let archive = d.join("total.zip");
    let bytes = zip(&[
        ("1.json", one.as_bytes()),
        ("2.json", two.as_bytes()),
        ("3.json", three.as_bytes()),
    ]);
    assert!(bytes.len() * 20 > 1_800_000, "compresses too well");
    std::fs::write(&archive, bytes).unwrap();
    let after = d.join("after.jsonl");
    std::fs::write(&after, record("after", "نص بعد الأرشيف")).unwrap();
    let index = d.join("idx");
    // 0.001 GiB = 1,073,741 bytes: the first member fits, the second does not.
    let out = qalam_index(&index, &["--max-zip-gb", "0.001"], &[&archive, &after]);
    assert_rejected(
        &out,
        &[
            format!(
                "{}: 2.json: zip archive expands to more than 1073741 bytes in total; the rest of the archive is skipped",
                archive.display()
            ),
            "added 2, replaced 0, rejected 1".to_string(),
        ],
    );
    assert!(!stderr(&out).contains("3.json"), "{}", stderr(&out));
    assert_eq!(ids(&index), ["after", "z1"]);
    // Under the default 4 GiB, all of it lands.
    let out = qalam_index(&index, &[], &[&archive]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index = QalamIndex::open(&index).unwrap();
    assert_eq!(index.num_docs(), 4);
    let bad = qalam_index(d, &["--max-zip-gb", "0"], &[&after]);
    assert_eq!(bad.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn full_disk_is_a_clear_error_and_keeps_the_last_commit() {
    use std::os::unix::process::CommandExt;

    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let small = d.join("small.jsonl");
    let first: String = (0..50)
        .map(|i| record(&format!("s{i}"), &words(200, i)))
        .collect();
    std::fs::write(&small, first).unwrap();
    let index = d.join("idx");
    let out = qalam_index(&index, &[], &[&small]);
    assert!(out.status.success(), "{}", stderr(&out));

    let big = d.join("big.jsonl");
    let many: String = (0..5_000)
        .map(|i| record(&format!("b{i}"), &words(300, i + 100)))
        .collect();
    std::fs::write(&big, many).unwrap();
    // Far below the size of the one segment that the commit at the end writes.
    const LIMIT: libc::rlim_t = 128 << 10;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_qalam"));
    cmd.args([
        "index",
        "--no-aids",
        "--threads",
        "1",
        "--commit-docs",
        "1000000",
    ])
    .arg("--index")
    .arg(&index)
    .arg(&big);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            // Writes past the limit fail with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: LIMIT,
                rlim_max: LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("{}: writing the index failed: ", index.display())),
        "{err}"
    );
    assert!(
        err.contains("(the disk is full or a file size limit was reached)"),
        "{err}"
    );
    assert!(
        err.contains("the index keeps its last commit (50 documents), and documents added after it were not saved"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");

    // The last commit is intact and the index takes writes again.
    let opened = QalamIndex::open(&index).unwrap();
    assert_eq!(opened.num_docs(), 50);
    assert!(opened.get("s0").unwrap().is_some());
    assert!(opened.get("b0").unwrap().is_none());
    drop(opened);
    let more = d.join("more.jsonl");
    std::fs::write(&more, record("m", "نص جديد")).unwrap();
    let out = qalam_index(&index, &[], &[&more]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(QalamIndex::open(&index).unwrap().num_docs(), 51);
}

#[test]
fn uploads_reject_long_ids_per_record() {
    let tmp = tempfile::tempdir().unwrap();
    let server = api_support::Server::demo(tmp.path(), &[], &[]);
    let body = [
        record(&"x".repeat(70_000), "نص بمعرف طويل جدا"),
        record("fine-id", "نص عادي"),
    ]
    .concat();
    let r = server.send(
        "POST",
        "/api/documents",
        &[api_support::AUTH, ("Content-Type", "application/x-ndjson")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let report = r.json();
    assert_eq!(report["added"], 1, "{report}");
    assert_eq!(report["rejected"], 1, "{report}");
    assert_eq!(report["ids"], serde_json::json!(["fine-id"]));
    assert_eq!(
        report["errors"][0],
        "line 1: id is 70000 bytes, over the limit of 512"
    );
}
