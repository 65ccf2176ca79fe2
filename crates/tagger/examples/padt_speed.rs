//! Words per second of the PADT tagger alone and of the whole pipeline on a plain-text file
//! (best of 5 passes, each pipeline pass with an empty cache):
//! `cargo run --release -p qalam-tagger --example padt_speed -- FILE.txt`.

use qalam_tagger::padt::data::dediacritize;
use qalam_tagger::padt::{PadtPipeline, Segment};
use qalam_text::TokenKind;
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn main() {
    let path = std::env::args().nth(1).expect("usage: padt_speed FILE.txt");
    let text = std::fs::read_to_string(path).expect("readable UTF-8 file");
    let t0 = Instant::now();
    let p = PadtPipeline::embedded().expect("embedded models");
    eprintln!("load {:?}", t0.elapsed());
    let tokens = qalam_text::tokenize(&text);
    let sents = qalam_text::sentences(&text);
    let mut cache: HashMap<String, Vec<Segment>> = HashMap::new();
    let mut ti = 0;
    let mut all = Vec::new();
    let mut ranges = Vec::new();
    for s in &sents {
        while ti < tokens.len() && tokens[ti].end <= s.start {
            ti += 1;
        }
        let first = ti;
        while ti < tokens.len() && tokens[ti].start < s.end {
            ti += 1;
        }
        let toks = &tokens[first..ti];
        ranges.push(first..ti);
        let mut forms = Vec::new();
        for t in toks {
            let w = &text[t.start..t.end];
            if t.kind == TokenKind::Word {
                let v = cache
                    .entry(w.to_string())
                    .or_insert_with(|| p.seg.segment(w));
                forms.extend(v.iter().map(|s| s.form.clone()));
            } else {
                forms.push(w.to_string());
            }
        }
        let norm: Vec<String> = forms.iter().map(|w| dediacritize(w)).collect();
        all.push(norm);
    }
    let nw: usize = all.iter().map(Vec::len).sum();
    let mut best_pos = Duration::MAX;
    let mut best_all = Duration::MAX;
    for _ in 0..5 {
        let a = Instant::now();
        for s in &all {
            std::hint::black_box(p.pos.tag_normalized(s));
        }
        best_pos = best_pos.min(a.elapsed());
        let a = Instant::now();
        let mut acache = qalam_tagger::padt::AnalysisCache::default();
        for r in &ranges {
            std::hint::black_box(p.analyze_cached(&text, &tokens[r.clone()], &mut acache));
        }
        best_all = best_all.min(a.elapsed());
    }
    eprintln!(
        "words {nw} min pos {best_pos:?} ({:.0} w/s) min pipeline {best_all:?} ({:.0} w/s)",
        nw as f64 / best_pos.as_secs_f64(),
        nw as f64 / best_all.as_secs_f64()
    );
}
