//! Golden outputs: `qalam analyze`, `qalam search --json`, `qalam tag ner` and `qalam tag pos` on
//! the fixtures give the same bytes as when the digests in `fixtures/golden/digests.tsv` were
//! recorded (before the code was reshaped). The only tolerated change is `"stem": null` on tokens
//! without a stem, which the comparison removes first.
//!
//! On a mismatch the actual outputs are written to `target/golden/` for diffing.
//! `QALAM_BLESS=1 cargo test -p qalam --test golden` re-records the digests (say why in the commit).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn digests_path() -> PathBuf {
    root().join("fixtures/golden/digests.tsv")
}

/// Runs `qalam ARGS` with `stdin`; its standard output, after checking it succeeded.
fn qalam(args: &[&str], stdin: &[u8]) -> Vec<u8> {
    let out = Command::cargo_bin("qalam")
        .unwrap()
        .args(args)
        .write_stdin(stdin.to_vec())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "qalam {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Removes `"stem": null` members (the one tolerated change) from JSON values.
fn drop_null_stems(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            if map.get("stem").is_some_and(serde_json::Value::is_null) {
                map.remove("stem");
            }
            map.values_mut().for_each(drop_null_stems);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(drop_null_stems),
        _ => {}
    }
}

/// The bytes compared for an analysis output: compact JSON lines without null stems.
fn canonical_analysis(json_stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for value in serde_json::Deserializer::from_slice(json_stream).into_iter::<serde_json::Value>()
    {
        let mut value = value.expect("qalam analyze printed JSON");
        drop_null_stems(&mut value);
        serde_json::to_writer(&mut out, &value).unwrap();
        out.push(b'\n');
    }
    out
}

struct Golden {
    outputs: BTreeMap<String, Vec<u8>>,
}

impl Golden {
    fn record(&mut self, name: &str, bytes: Vec<u8>) {
        assert!(
            self.outputs.insert(name.to_string(), bytes).is_none(),
            "{name} twice"
        );
    }

    /// Compares every output's digest with the recorded one (or records them under QALAM_BLESS).
    fn check(self) {
        let digests: BTreeMap<String, String> = self
            .outputs
            .iter()
            .map(|(k, v)| (k.clone(), blake3::hash(v).to_hex().to_string()))
            .collect();
        if std::env::var_os("QALAM_BLESS").is_some() {
            let text: String = digests.iter().map(|(k, d)| format!("{k}\t{d}\n")).collect();
            std::fs::write(digests_path(), text).unwrap();
            return;
        }
        let recorded =
            std::fs::read_to_string(digests_path()).expect("fixtures/golden/digests.tsv");
        let recorded: BTreeMap<String, String> = recorded
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(k, d)| (k.to_string(), d.to_string()))
            .collect();
        let dump = root().join("target/golden");
        let mut changed = Vec::new();
        for (name, digest) in &digests {
            if recorded.get(name) != Some(digest) {
                changed.push(name.clone());
                std::fs::create_dir_all(&dump).unwrap();
                std::fs::write(dump.join(name.replace('/', "_")), &self.outputs[name]).unwrap();
            }
        }
        let missing: Vec<_> = recorded
            .keys()
            .filter(|k| !digests.contains_key(*k))
            .collect();
        assert!(
            changed.is_empty() && missing.is_empty(),
            "golden outputs changed: {changed:?}, not produced: {missing:?} (actual outputs in {})",
            dump.display()
        );
    }
}

fn seed() -> Vec<u8> {
    std::fs::read(root().join("fixtures/seed/ahram-column-daesh.txt")).unwrap()
}

fn articles() -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(root().join("fixtures/snn/articles-200.jsonl")).unwrap();
    let docs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 200);
    docs
}

/// The 20 queries of the search golden: words, clitics, phrases, operators, fields and dates.
const QUERIES: [&str; 20] = [
    "السعودية",
    "الرياض",
    "وزارة الصحة",
    "\"ولي العهد\"",
    "داعش OR الإرهاب",
    "+اليمن -الحوثي",
    "النفط AND الأسعار",
    "بالمملكة",
    "والمواطنين",
    "للتعليم",
    "title:الملك",
    "source:aawsat",
    "date:2015-07-21",
    "date:[2015-07-25 TO 2015-08-05] الحج",
    "مكة المكرمة",
    "كاميرون",
    "المنتخب السعودي",
    "الأمطار",
    "سوريا العراق",
    "مجلس الوزراء",
];

#[test]
fn outputs_match_the_recorded_digests() {
    let mut golden = Golden {
        outputs: BTreeMap::new(),
    };
    let seed = seed();
    let seed_json = qalam(&["analyze", "--format", "json", "--split", "none"], &seed);
    golden.record("analyze-seed.json", canonical_analysis(&seed_json));

    let articles = articles();
    let mut texts = String::new();
    for doc in &articles {
        let content = doc["content"].as_str().unwrap().replace("\n\n", "\n");
        texts.push_str(content.trim());
        texts.push_str("\n\n");
    }
    let articles_json = qalam(&["analyze", "--format", "json"], texts.as_bytes());
    let canonical = canonical_analysis(&articles_json);
    assert_eq!(canonical.iter().filter(|&&b| b == b'\n').count(), 200);
    golden.record("analyze-snn200.jsonl", canonical);

    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let index = index.to_str().unwrap();
    let jsonl = root().join("fixtures/snn/articles-200.jsonl");
    qalam(
        &[
            "index",
            "--index",
            index,
            "--threads",
            "1",
            jsonl.to_str().unwrap(),
        ],
        b"",
    );
    for (i, q) in QUERIES.iter().enumerate() {
        let hits = qalam(&["search", "--index", index, "--json", q], b"");
        golden.record(&format!("search-{i:02}.jsonl"), hits);
    }

    let tokens: String = String::from_utf8(seed)
        .unwrap()
        .lines()
        .map(|line| {
            let mut s: String = line.split_whitespace().map(|w| format!("{w}\n")).collect();
            s.push('\n');
            s
        })
        .collect();
    golden.record(
        "tag-ner-seed.tsv",
        qalam(&["tag", "ner", "-"], tokens.as_bytes()),
    );

    let padt = std::fs::read(root().join("crates/tagger/tests/fixtures/padt-mini.conllu")).unwrap();
    golden.record(
        "tag-pos-padt-mini.conllu",
        qalam(&["tag", "pos", "-"], &padt),
    );
    golden.check();
}
