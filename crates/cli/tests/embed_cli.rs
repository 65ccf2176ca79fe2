//! `qalam train embeddings` from the command line: bad records are named and skipped, the
//! model is written and reads back, `--eval-only` measures an existing model.

use std::path::Path;

use assert_cmd::Command;
use qalam_tagger::embed::{Embeddings, Found};

fn qalam() -> Command {
    Command::cargo_bin("qalam").unwrap()
}

/// A JSONL file of short articles; line 3 is not JSON and line 5 is a blank record.
fn articles(dir: &Path) -> std::path::PathBuf {
    let good = [
        r#"{"title": "الرياض", "content": "افتتحت وزارة التعليم المدرسة الجديدة في الرياض اليوم ."}"#,
        r#"{"title": "جدة", "content": "ارتفعت رسوم المدارس في جدة و الرياض هذا العام ."}"#,
        r#"{"title": "الموصل", "content": "سيطر تنظيم داعش على الموصل و الرقة العام الماضي ."}"#,
    ];
    let mut lines: Vec<String> = Vec::new();
    for i in 0..12 {
        lines.push(good[i % good.len()].to_string());
    }
    lines.insert(2, "{not json".to_string());
    lines.insert(4, r#"{"title": "", "content": ""}"#.to_string());
    let path = dir.join("news.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

/// The small settings every run of these tests uses.
const SMALL: &[&str] = &[
    "--dim",
    "8",
    "--epochs",
    "2",
    "--min-count",
    "2",
    "--buckets",
    "4096",
    "--keep-buckets",
    "300",
    "--max-words",
    "20",
    "--quiet",
];

#[test]
fn trains_skips_bad_records_by_name_and_writes_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let input = articles(dir.path());
    let out = dir.path().join("emb.qlm");
    let none = dir.path().join("absent");
    let result = qalam()
        .args(["train", "embeddings"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .arg("--gazetteers")
        .arg(&none)
        .arg("--anercorp")
        .arg(none.join("train.txt"))
        .args(SMALL)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert!(result.status.success(), "{stderr}");
    assert!(
        stderr.contains("news.jsonl: line 3: invalid JSON"),
        "{stderr}"
    );
    assert!(stderr.contains("news.jsonl: line 5:"), "{stderr}");
    assert!(stderr.contains("2 records skipped"), "{stderr}");
    assert!(stdout.contains("embeddings: 12 articles"), "{stdout}");
    assert!(stdout.contains("nearest neighbours"), "{stdout}");
    assert!(stdout.contains("no gazetteer test"), "{stdout}");

    let emb = Embeddings::load(&out).unwrap();
    assert_eq!((emb.dim(), emb.len()), (8, 20));
    assert!(emb.ngram_rows() > 0 && emb.ngram_rows() <= 300);
    let mut v = vec![0f32; 8];
    assert!(matches!(emb.lookup("الرياض", &mut v), Found::Word(_)));
    assert!(matches!(
        emb.lookup("والرياضيين", &mut v),
        Found::Subwords(_)
    ));

    // The same input and settings give the same bytes (one thread, seeded).
    let again = dir.path().join("again.qlm");
    qalam()
        .args(["train", "embeddings"])
        .arg(&input)
        .arg("--out")
        .arg(&again)
        .args(SMALL)
        .assert()
        .success();
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap());

    let eval = qalam()
        .args(["train", "embeddings", "--eval-only", "--out"])
        .arg(&out)
        .arg("--gazetteers")
        .arg(&none)
        .output()
        .unwrap();
    assert!(eval.status.success());
    let text = String::from_utf8_lossy(&eval.stdout);
    assert!(text.contains("الرياض ["), "{text}");
}

#[test]
fn no_articles_or_bad_settings_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{oops\n").unwrap();
    let out = dir.path().join("emb.qlm");
    let result = qalam()
        .args(["train", "embeddings"])
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .args(SMALL)
        .output()
        .unwrap();
    assert!(!result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("bad.jsonl: line 1"), "{stderr}");
    assert!(stderr.contains("no articles"), "{stderr}");
    assert!(!out.exists());

    let input = articles(dir.path());
    let result = qalam()
        .args(["train", "embeddings", "--dim", "0"])
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(!result.status.success());
    assert!(
        String::from_utf8_lossy(&result.stderr).contains("invalid training settings: dim"),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let result = qalam()
        .args(["train", "embeddings", "--eval-only", "--out"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!result.status.success());
    assert!(String::from_utf8_lossy(&result.stderr).contains("not a qalam model file"));
}
