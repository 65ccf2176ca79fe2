//! CLI contracts of the text core: analyze, normalize, stem, translit.

use assert_cmd::Command;
use predicates::prelude::*;

fn qalam() -> Command {
    Command::cargo_bin("qalam").unwrap()
}

#[test]
fn analyze_json_offsets_slice_the_input() {
    let input = "بقلم : مكرم محمد أحمد\nتطلق داعش (40ألفاً) فى الموصل.\n\nوثيقة ثانية.\n";
    let out = qalam()
        .args(["analyze", "--format", "jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let docs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2, "blank line splits documents");
    for doc in &docs {
        for t in doc["tokens"].as_array().unwrap() {
            let (s, e) = (
                t["start"].as_u64().unwrap() as usize,
                t["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&input[s..e], t["text"].as_str().unwrap());
        }
        for s in doc["sentences"].as_array().unwrap() {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert!(input.is_char_boundary(a) && input.is_char_boundary(b) && a < b);
        }
    }
    let tokens = docs[0]["tokens"].as_array().unwrap();
    let fi = tokens.iter().find(|t| t["text"] == "فى").unwrap();
    assert_eq!(fi["norm"], "في");
    assert!(
        tokens
            .iter()
            .any(|t| t["text"] == "40" && t["kind"] == "number")
    );
    assert!(
        tokens
            .iter()
            .any(|t| t["text"] == "ألفاً" && t["kind"] == "word")
    );
    assert!(docs[0]["entities"].is_array());
    assert_eq!(docs[1]["tokens"][0]["text"], "وثيقة");
    let second = docs[1]["tokens"][0]["start"].as_u64().unwrap() as usize;
    assert_eq!(&input[second..second + "وثيقة".len()], "وثيقة");
}

#[test]
fn invalid_utf8_names_the_file_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"\xd9\x86\xd8\xb5 ok\n\xff tail\n").unwrap();
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "نص سليم").unwrap();
    qalam()
        .args(["analyze", "--format", "text"])
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.txt: invalid UTF-8 at byte 8"))
        .stdout(predicate::str::contains("نص سليم"));
    qalam()
        .args(["analyze", "--format", "text", "--lossy"])
        .arg(&bad)
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{FFFD}"));
}

#[test]
fn normalize_stem_and_translit_work_line_by_line() {
    qalam()
        .args(["normalize"])
        .write_stdin("فى الأراضى\nعـــربيٌّ ٣٫٥\n")
        .assert()
        .success()
        .stdout("في الاراضي\nعربي 3.5\n");
    qalam()
        .args(["normalize", "--profile", "display"])
        .write_stdin("فى عـــربيٌّ ﻻ\n")
        .assert()
        .success()
        .stdout("فى عربيٌّ لا\n");
    qalam()
        .args(["stem", "--algo", "light"])
        .write_stdin("والكتاب\nالمدرسة\n")
        .assert()
        .success()
        .stdout("كتاب\nمدرس\n");
    qalam()
        .args(["stem", "--algo", "isri"])
        .write_stdin("المعلمون\n")
        .assert()
        .success()
        .stdout("علم\n");
    qalam()
        .args(["translit", "--to", "bw"])
        .write_stdin("مُحَمَّد\n")
        .assert()
        .success()
        .stdout("muHama~d\n");
    qalam()
        .args(["translit", "--to", "ar"])
        .write_stdin("muHama~d\n")
        .assert()
        .success()
        .stdout("مُحَمَّد\n");
    qalam().args(["stem", "--algo", "bogus"]).assert().code(2);
}

#[test]
fn analyze_conllu_has_multiword_tokens() {
    let out = qalam()
        .args(["analyze", "--format", "conllu"])
        .write_stdin("وقال إن مدرستها للأطفال في القاهرة.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("# text = وقال إن مدرستها للأطفال في القاهرة."),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("9\tالقاهرة\t") && l.ends_with("\tNER=B-LOC|SpaceAfter=No")),
        "the entity in MISC: {text}"
    );
    assert!(
        text.lines()
            .any(|l| l.split('\t').next().is_some_and(|id| id.contains('-'))),
        "a multiword-token line: {text}"
    );
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert_eq!(line.split('\t').count(), 10, "{line}");
    }
}

#[test]
fn analyze_morph_words_carry_clitic_offsets() {
    let input = "مقدمة.\n\nوبالمدينة كتبوها للأطفال.\n";
    let out = qalam()
        .args(["analyze", "--format", "jsonl", "--morph", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: serde_json::Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    let words = doc["words"].as_array().expect("--morph adds words");
    let at = |w: &serde_json::Value, k: &str| w[k].as_u64().unwrap() as usize;
    for w in words {
        let (s, e) = (at(w, "start"), at(w, "end"));
        assert!(at(w, "token_start") <= s && s <= e && e <= at(w, "token_end"));
        assert!(input.is_char_boundary(s) && input.is_char_boundary(e));
        assert!(w["upos"].is_string() && w["lemma"].is_string());
    }
    // و + ب + المدينة: three words inside one surface token, each with its own span.
    let host: Vec<&serde_json::Value> = words
        .iter()
        .filter(|w| &input[at(w, "token_start")..at(w, "token_end")] == "وبالمدينة")
        .collect();
    let parts: Vec<&str> = host
        .iter()
        .map(|w| &input[at(w, "start")..at(w, "end")])
        .collect();
    assert_eq!(parts, ["و", "ب", "المدينة"], "{text}");
    assert_eq!(host[0]["upos"], "CCONJ");
    assert_eq!(host[1]["upos"], "ADP");
    assert_eq!(host[2]["upos"], "NOUN");
}

#[test]
fn analyze_conllu_writes_nfc_while_json_keeps_the_original_bytes() {
    // Shadda (U+0651) before fatha (U+064E) is not the canonical order; NFC puts fatha first.
    let input = "محمد \u{0634}\u{062F}\u{0651}\u{064E}\u{062F} على الأمر.\n";
    let nfc = "\u{0634}\u{062F}\u{064E}\u{0651}\u{062F}";
    let conllu = qalam()
        .args(["analyze", "--format", "conllu"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(conllu.status.success());
    let conllu = String::from_utf8(conllu.stdout).unwrap();
    assert!(!conllu.contains("\u{0651}\u{064E}"), "{conllu}");
    assert!(
        conllu.contains(&format!("# text = محمد {nfc} على الأمر.")),
        "{conllu}"
    );
    assert!(
        conllu.lines().any(|l| l.split('\t').nth(1) == Some(nfc)),
        "{conllu}"
    );
    let json = qalam()
        .args(["analyze", "--format", "jsonl"])
        .write_stdin(input)
        .output()
        .unwrap();
    let json = String::from_utf8(json.stdout).unwrap();
    assert!(
        json.contains("\u{0634}\u{062F}\u{0651}\u{064E}\u{062F}"),
        "{json}"
    );
}

#[test]
fn help_says_what_qalam_is_and_where_to_start() {
    let out = qalam().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let first = help.lines().next().unwrap();
    assert!(
        first.starts_with("qalam (قلم): ") && first.contains("Arabic"),
        "{first}"
    );
    for command in ["qalam demo", "qalam index", "qalam search"] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
}
