//! The embedded UD-PADT models end to end: segmentation with offsets, tagging CoNLL-U, and
//! CoNLL-U output for raw text.

use qalam_tagger::padt::data::{read_words, rebuild_sentence};
use qalam_tagger::padt::eval::{score_pipeline, score_segmenter, score_tagger};
use qalam_tagger::padt::{
    Join, PadtPipeline, PosTagger, Segmenter, conllu, seg_stem, tag_sentence,
};
use qalam_text::{sentences, tokenize};

fn forms(seg: &Segmenter, w: &str) -> Vec<String> {
    seg.segment(w).into_iter().map(|s| s.form).collect()
}

#[test]
fn segments_clitics_and_restores_spelling() {
    let p = PadtPipeline::embedded().unwrap();
    assert_eq!(forms(&p.seg, "وبالمدينة"), ["و", "ب", "المدينة"]);
    assert_eq!(forms(&p.seg, "للأراضي"), ["ل", "الأراضي"]);
    assert_eq!(forms(&p.seg, "حكومته"), ["حكومة", "ه"]);
    assert_eq!(forms(&p.seg, "وسيعود"), ["و", "س", "يعود"]);
    assert_eq!(forms(&p.seg, "الحكومة"), ["الحكومة"]);
    let segs = p.seg.segment("للأراضي");
    assert_eq!(segs[1].join, Join::Article);
    assert_eq!(&"للأراضي"[segs[0].start..segs[0].end], "ل");
    assert_eq!(&"للأراضي"[segs[1].start..segs[1].end], "لأراضي");
}

#[test]
fn segment_spans_are_in_bounds_on_odd_input() {
    let p = PadtPipeline::embedded().unwrap();
    for w in [
        "",
        "ـــ",
        "و",
        "ووو",
        "هٰذا",
        "abc",
        "١٢",
        "بـالـمـدينـة",
        "\u{064B}ب",
    ] {
        for s in p.seg.segment(w) {
            assert!(s.start <= s.end && s.end <= w.len(), "{w:?}");
            assert!(w.is_char_boundary(s.start) && w.is_char_boundary(s.end));
            assert!(!s.form.is_empty() || w.is_empty());
        }
    }
}

#[test]
fn tag_pos_fills_columns_and_keeps_other_lines() {
    let p = PadtPipeline::embedded().unwrap();
    let doc = "# sent_id = x\n# text = وبه قال\n1-2\tوبه\t_\t_\t_\t_\t_\t_\t_\t_\n\
               1\tو\t_\t_\t_\t_\t0\troot\t_\tSpaceAfter=No\n2\tب\t_\t_\t_\t_\t1\tcase\t_\t_\n\
               2.1\tخطأ\t_\t_\t_\t_\t_\t_\t_\t_\n3\tقال\t_\t_\t_\t_\t1\tconj\t_\tX=1\nbroken\n\n";
    let mut out = String::new();
    for mut s in conllu::parse(doc) {
        tag_sentence(&p.pos, &p.lemma, &mut s);
        s.write(&mut out);
    }
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# sent_id = x");
    assert!(lines[2].starts_with("1-2\tوبه\t_"));
    let w1: Vec<&str> = lines[3].split('\t').collect();
    assert_eq!(w1[3], "CCONJ");
    assert_eq!((w1[6], w1[7], w1[9]), ("0", "root", "SpaceAfter=No"));
    assert_eq!(lines[4].split('\t').nth(3), Some("ADP"));
    assert!(lines[5].starts_with("2.1\tخطأ\t_\t_"));
    let w3: Vec<&str> = lines[6].split('\t').collect();
    assert_eq!((w3[3], w3[9]), ("VERB", "X=1"));
    assert_eq!(w3[2], "قَال");
    assert_eq!(lines[7], "broken");
}

#[test]
fn raw_text_to_conllu() {
    let p = PadtPipeline::embedded().unwrap();
    let text = "وقال الوزير إن حكومته ستدعم للأراضي الزراعية.\nوبالمدينة 15 مدرسة";
    let out = p.to_conllu(text, &tokenize(text), &sentences(text));
    let blocks: Vec<&str> = out.trim_end().split("\n\n").collect();
    assert_eq!(blocks.len(), 2, "{out}");
    for b in &blocks {
        let mut next_id = 1;
        let mut has_text = false;
        for line in b.lines() {
            if line.starts_with("# text = ") {
                has_text = true;
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 10, "{line}");
            assert!(cols.iter().all(|c| !c.is_empty()));
            if let Some((a, z)) = cols[0].split_once('-') {
                assert_eq!(a.parse::<usize>().unwrap(), next_id);
                assert!(z.parse::<usize>().unwrap() > next_id);
            } else {
                assert_eq!(cols[0].parse::<usize>().unwrap(), next_id);
                next_id += 1;
                assert_ne!(cols[3], "_");
            }
        }
        assert!(has_text);
    }
    assert!(out.contains("\tوبالمدينة\t"));
    assert!(out.contains("\tالزراعية\t"));
    assert!(out.contains("SpaceAfter=No"));
    assert!(out.contains("\tحكومة\t"));
}

#[test]
fn seg_stem_removes_clitics() {
    assert_eq!(seg_stem("وبالمدينة"), seg_stem("المدينة"));
    assert_eq!(seg_stem("حكومته"), seg_stem("الحكومة"));
    assert_eq!(seg_stem("ولمدرستهم"), seg_stem("مدرسة"));
    assert_ne!(seg_stem("كتاب"), seg_stem("مدرسة"));
}

#[test]
fn load_rejects_other_versions() {
    let p = PadtPipeline::embedded().unwrap();
    let mut bytes = p.pos.save();
    assert!(PosTagger::load(&bytes).is_ok());
    bytes[4..8].copy_from_slice(&99u32.to_le_bytes());
    assert!(PosTagger::load(&bytes).is_err());
    assert!(Segmenter::load(b"QLMT").is_err());
}

/// "وبالمدينة الحكومة" as gold words: و + ب + المدينة fused, then الحكومة; UPOS in UD v1
/// labels (`CONJ`), as dev-2016 has them.
const GOLD: &str = "1\tو\tوَ\tCONJ\tC---------\t_\t0\troot\t_\tSpaceAfter=No\n\
2\tب\tبِ\tADP\tP---------\t_\t3\tcase\t_\tSpaceAfter=No\n\
3\tالمدينة\tمَدِينَة\tNOUN\tN------S2D\tCase=Gen|Definite=Def|Gender=Fem|Number=Sing\t1\tconj\t_\t_\n\
4\tالحكومة\tحُكُومَة\tNOUN\tN------S1D\tCase=Nom|Definite=Def|Gender=Fem|Number=Sing\t1\tconj\t_\t_\n\n";

#[test]
fn scores_count_gold_and_system_words() {
    let p = PadtPipeline::embedded().unwrap();
    let gold: Vec<_> = read_words(GOLD).into_iter().map(rebuild_sentence).collect();
    assert_eq!(gold[0].text, "وبالمدينة الحكومة");
    // The segmenter splits both tokens as the gold does (see the first test): 4 of 4 words.
    let seg = score_segmenter(&p.seg, &gold);
    assert_eq!((seg.gold, seg.system, seg.words), (4, 4, 4));
    assert_eq!(seg.f1(seg.words), 100.0);
    // On gold words the tagger says CCONJ for و, which only the UD v1 mapping turns into the
    // gold CONJ: one more UPOS match with the mapping.
    let v2 = score_tagger(&p.pos, &p.lemma, &gold, false);
    let v1 = score_tagger(&p.pos, &p.lemma, &gold, true);
    assert_eq!((v2.gold, v2.system, v2.words), (4, 4, 4));
    assert_eq!(v1.upos, v2.upos + 1, "{v1:?} {v2:?}");
    let raw = score_pipeline(&p, &gold);
    assert_eq!((raw.gold, raw.system, raw.words), (4, 4, 4));
}
