//! CLI contracts of the taggers: `qalam tag pos` (CoNLL-U in, CoNLL-U out) and `qalam tag ner`.

use assert_cmd::Command;

/// Runs `qalam ARGS` on `stdin`; its standard output, after checking it succeeded.
fn run(args: &[&str], stdin: String) -> String {
    let out = Command::cargo_bin("qalam")
        .unwrap()
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const PADT_MINI: &str = include_str!("../../tagger/tests/fixtures/padt-mini.conllu");

/// The fixture with LEMMA, UPOS and XPOS blanked, as a user with gold words but no tags has it.
fn blanked() -> String {
    PADT_MINI
        .lines()
        .map(|line| {
            let mut cols: Vec<&str> = line.split('\t').collect();
            if cols.len() == 10 {
                cols[2] = "_";
                cols[3] = "_";
                cols[4] = "_";
            }
            cols.join("\t") + "\n"
        })
        .collect()
}

#[test]
fn tag_pos_fills_lemma_upos_xpos_and_keeps_the_rest() {
    let text = run(&["tag", "pos", "-"], blanked());
    let (gold, got): (Vec<&str>, Vec<&str>) = (PADT_MINI.lines().collect(), text.lines().collect());
    assert_eq!(gold.len(), got.len(), "one output line per input line");
    let (mut words, mut upos_right) = (0, 0);
    for (g, o) in gold.iter().zip(&got) {
        let (gc, oc): (Vec<&str>, Vec<&str>) = (g.split('\t').collect(), o.split('\t').collect());
        if gc.len() != 10 {
            assert_eq!(g, o, "comment and blank lines are copied");
            continue;
        }
        assert_eq!(oc.len(), 10, "{o}");
        for i in [0, 1, 6, 7, 8, 9] {
            assert_eq!(gc[i], oc[i], "column {} of {o}", i + 1);
        }
        for i in [2, 3, 4] {
            assert!(
                !oc[i].is_empty() && oc[i] != "_",
                "column {} filled: {o}",
                i + 1
            );
        }
        words += 1;
        upos_right += usize::from(gc[3] == oc[3]);
    }
    assert!(words > 100);
    // The fixture is part of the training data: nearly every UPOS must come back.
    assert!(
        upos_right * 100 >= words * 90,
        "{upos_right}/{words} UPOS right"
    );
}

#[test]
fn tag_ner_writes_token_tab_tag_and_keeps_blank_lines() {
    let input = "قال\tO\nالرئيس\nالمصري\nفي\nالقاهرة\n.\n\nوصل\nالوفد\nإلى\nبغداد\n";
    let text = run(&["tag", "ner", "-"], input.to_string());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), input.lines().count(), "{text}");
    let tags = [
        "O", "B-PERS", "I-PERS", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-MISC", "I-MISC",
    ];
    for (i, o) in input.lines().zip(&lines) {
        if i.is_empty() {
            assert!(o.is_empty());
            continue;
        }
        let (token, tag) = o.split_once('\t').expect("token<TAB>TAG");
        assert_eq!(token, i.split(['\t', ' ']).next().unwrap());
        assert!(tags.contains(&tag), "{o}");
    }
    assert!(lines.contains(&"القاهرة\tB-LOC"), "{text}");
    assert!(lines.contains(&"بغداد\tB-LOC"), "{text}");
}

#[test]
fn tag_ner_with_the_neural_model_and_a_bad_network_file() {
    let input = "قال\nالرئيس\nبشار\nالأسد\nفي\nدمشق\n.\n\nوزار\nالقاهرة\n";
    let out = run(
        &["tag", "ner", "--ner-model", "neural", "-"],
        input.to_string(),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), input.lines().count(), "{out}");
    assert!(lines.contains(&"دمشق\tB-LOC"), "{out}");
    // A network file that is not one is refused, with the file named.
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.qlm");
    std::fs::write(&empty, b"").unwrap();
    let out = Command::cargo_bin("qalam")
        .unwrap()
        .args(["tag", "ner", "--neural"])
        .arg(&empty)
        .write_stdin("دمشق\n")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("empty.qlm"));
}
