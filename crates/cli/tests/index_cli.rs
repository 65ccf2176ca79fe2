//! `qalam index`, `qalam search` and `qalam delete` from the command line.

use std::io::Write;

use assert_cmd::Command;
use predicates::prelude::*;

fn qalam() -> Command {
    Command::cargo_bin("qalam").unwrap()
}

const NEWS: &str = r#"{"id": "1", "title": "افتتاح المدرسة", "content": "افتتحت وزارة التعليم المدرسة الجديدة فى الرياض.", "source": "okaz", "date": "2015-07-21"}
{"id": "2", "title": "المدارس الأهلية", "content": "ارتفعت رسوم المدارس في جدة.", "source": "alriyadh", "date": "2015-08-02"}
"#;

/// A zip archive with one JSON array member, as SaudiNewsNet ships.
fn zip_with_array() -> Vec<u8> {
    // Stored (uncompressed) zip written by hand: local header, data, central directory, end.
    let name = b"2015-07-03.json";
    let data = r#"[{"title": "داعش", "content": "تنظيم داعش يتبنى تفجير مسجد في الكويت.", "source": "okaz", "date_extracted": "2015-07-03 10:00:00"}]"#.as_bytes();
    let crc = crc32(data);
    let mut z = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    z.extend_from_slice(&le32(0x0403_4b50));
    z.extend_from_slice(&le16(20));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le32(crc));
    z.extend_from_slice(&le32(data.len() as u32));
    z.extend_from_slice(&le32(data.len() as u32));
    z.extend_from_slice(&le16(name.len() as u16));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(name);
    z.extend_from_slice(data);
    let cd = z.len() as u32;
    z.extend_from_slice(&le32(0x0201_4b50));
    z.extend_from_slice(&le16(20));
    z.extend_from_slice(&le16(20));
    for _ in 0..4 {
        z.extend_from_slice(&le16(0));
    }
    z.extend_from_slice(&le32(crc));
    z.extend_from_slice(&le32(data.len() as u32));
    z.extend_from_slice(&le32(data.len() as u32));
    z.extend_from_slice(&le16(name.len() as u16));
    for _ in 0..4 {
        z.extend_from_slice(&le16(0));
    }
    z.extend_from_slice(&le32(0));
    z.extend_from_slice(&le32(0));
    z.extend_from_slice(name);
    let cd_len = z.len() as u32 - cd;
    z.extend_from_slice(&le32(0x0605_4b50));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le16(0));
    z.extend_from_slice(&le16(1));
    z.extend_from_slice(&le16(1));
    z.extend_from_slice(&le32(cd_len));
    z.extend_from_slice(&le32(cd));
    z.extend_from_slice(&le16(0));
    z
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn index_all_input_kinds_then_search_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("news.jsonl"),
        format!("{NEWS}{{\"title\": \"بلا نص\"}}\nnot json\n"),
    )
    .unwrap();
    std::fs::create_dir(d.join("dir")).unwrap();
    std::fs::write(
        d.join("dir/column.txt"),
        "بقلم : مكرم محمد أحمد\nلا تزال داعش تطلق تهديداتها\n",
    )
    .unwrap();
    std::fs::write(d.join("dir/bad.txt"), b"\xFF\xFE bad").unwrap();
    std::fs::File::create(d.join("snn.zip"))
        .unwrap()
        .write_all(&zip_with_array())
        .unwrap();
    let index = d.join("idx");

    // Rejected records are reported with file and line, the rest goes in, exit status 1.
    qalam()
        .args(["index", "--index"])
        .arg(&index)
        .arg(d.join("news.jsonl"))
        .arg(d.join("dir"))
        .arg(d.join("snn.zip"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "news.jsonl: line 3: record has no text field",
        ))
        .stderr(predicate::str::contains("news.jsonl: line 4: invalid JSON"))
        .stderr(predicate::str::contains("bad.txt: invalid UTF-8 at byte 0"))
        .stderr(predicate::str::contains("added 4, replaced 0, rejected 3"));

    let out = qalam()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("مدرسة")
        .output()
        .unwrap();
    assert!(out.status.success());
    let hits: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The light stem مدرس matches doc 1; the ISRI root درس also reaches المدارس (doc 2), below it.
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["id"], "1");
    assert_eq!(hits[1]["id"], "2");
    assert!(hits[0]["score"].as_f64() > hits[1]["score"].as_f64());
    assert!(hits[0]["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hits[0]["title"], "افتتاح المدرسة");
    assert!(
        hits[0]["snippet"]["html"]
            .as_str()
            .unwrap()
            .contains("<mark>المدرسة</mark>")
    );

    // Text output, date and source filters, a byline author, a zip member.
    qalam()
        .args(["search", "--index"])
        .arg(&index)
        .arg("داعش AND date:[2015-07-01 TO 2015-07-31] AND source:okaz")
        .assert()
        .success()
        .stdout(predicate::str::contains("1 hits"))
        .stdout(predicate::str::contains("[داعش]"));
    qalam()
        .args(["search", "--json", "--index"])
        .arg(&index)
        .arg("author:مكرم")
        .assert()
        .success()
        .stdout(predicate::str::contains("مكرم محمد أحمد"));

    // Syntax errors: a clear message and exit 2.
    qalam()
        .args(["search", "--index"])
        .arg(&index)
        .arg("title:(")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid query: syntax error"));
    qalam()
        .args(["search", "--index"])
        .arg(&index)
        .arg("date:[2015-07-01 TO")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unclosed date range"));

    // Re-adding an id replaces; delete removes.
    std::fs::write(
        d.join("again.jsonl"),
        NEWS.lines().next().unwrap().replace("الرياض", "الدمام"),
    )
    .unwrap();
    qalam()
        .args(["index", "--index"])
        .arg(&index)
        .arg(d.join("again.jsonl"))
        .assert()
        .success()
        .stderr(predicate::str::contains("added 0, replaced 1, rejected 0"));
    qalam()
        .args(["delete", "--index"])
        .arg(&index)
        .args(["1", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("deleted 1 of 2 ids; 3 documents"));
    qalam()
        .args(["search", "--index"])
        .arg(&index)
        .arg("الدمام")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("0 hits"));

    // An existing index keeps its analysis.
    qalam()
        .args(["index", "--stemmer", "isri", "--index"])
        .arg(&index)
        .arg(d.join("again.jsonl"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("its analysis cannot be changed"));
}

#[test]
fn missing_index_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    qalam()
        .args(["search", "--index"])
        .arg(dir.path().join("nothing"))
        .arg("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such index directory"));
    qalam()
        .args(["search", "--index"])
        .arg(dir.path())
        .arg("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a qalam index"));
}

#[test]
fn index_help_says_it_reads_pre_analyzed_records_and_how_to_make_them() {
    qalam().args(["index", "--help"]).assert().success().stdout(
        predicate::str::contains("\"qalam_analysis\"")
            .and(predicate::str::contains("python -m qalam.spark analyze"))
            .and(predicate::str::contains("python -m qalam.spark export")),
    );
}
