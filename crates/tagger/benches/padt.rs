//! Words per second of the PADT models on the rebuilt raw text of the committed PADT fixture.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qalam_tagger::padt::data::{read_words, rebuild_sentence};
use qalam_tagger::padt::{AnalysisCache, PadtPipeline, seg_stem};
use qalam_text::{TokenKind, tokenize};

fn bench(c: &mut Criterion) {
    let doc = include_str!("../tests/fixtures/padt-mini.conllu");
    let texts: Vec<String> = read_words(doc)
        .into_iter()
        .map(|w| rebuild_sentence(w).text)
        .collect();
    let p = PadtPipeline::embedded().expect("embedded models");
    let tokens: Vec<_> = texts.iter().map(|t| tokenize(t)).collect();
    let count_words = || -> usize {
        let mut cache = AnalysisCache::default();
        texts
            .iter()
            .zip(&tokens)
            .map(|(t, k)| p.analyze_cached(t, k, &mut cache).words.len())
            .sum()
    };
    let n_words = count_words();
    let n_tokens: usize = tokens.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("padt");
    g.throughput(Throughput::Elements(n_words as u64));
    g.bench_function("pipeline_words", |b| {
        b.iter(|| assert_eq!(count_words(), n_words))
    });
    g.throughput(Throughput::Elements(n_tokens as u64));
    g.bench_function("segment_tokens", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, k) in texts.iter().zip(&tokens) {
                for tok in k.iter().filter(|x| x.kind == TokenKind::Word) {
                    n += p.seg.segment(&t[tok.start..tok.end]).len();
                }
            }
            assert!(n >= n_tokens / 2);
        })
    });
    g.bench_function("seg_stem_tokens", |b| {
        b.iter(|| {
            let mut n = 0;
            for (t, k) in texts.iter().zip(&tokens) {
                for tok in k.iter().filter(|x| x.kind == TokenKind::Word) {
                    n += usize::from(!seg_stem(&t[tok.start..tok.end]).is_empty());
                }
            }
            assert!(n > 0);
        })
    });
    let forms: Vec<Vec<String>> = read_words(doc)
        .into_iter()
        .map(|s| s.into_iter().map(|w| w.form).collect())
        .collect();
    let n_gold: usize = forms.iter().map(Vec::len).sum();
    g.throughput(Throughput::Elements(n_gold as u64));
    g.bench_function("pos_gold_words", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &forms {
                let refs: Vec<&str> = s.iter().map(String::as_str).collect();
                n += p.pos.tag(&refs).len();
            }
            assert_eq!(n, n_gold);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
