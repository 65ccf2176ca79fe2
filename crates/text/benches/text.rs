//! Criterion benchmarks of the text core over SaudiNewsNet article contents.
//!
//! Run with `cargo bench -p qalam-text`; reads `../shared/data/saudinewsnet/2015-07-21.zip`
//! (or the zip named by `QALAM_BENCH_ZIP`).

use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qalam_text::{Options, Tokenizer, normalize_token, sentences};

fn corpus() -> Vec<String> {
    let zip = std::env::var_os("QALAM_BENCH_ZIP")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/saudinewsnet/2015-07-21.zip")
        });
    let docs: Vec<String> = qalam_corpus::read_inputs([zip.clone()])
        .filter_map(Result::ok)
        .map(|d| d.body)
        .collect();
    assert!(!docs.is_empty(), "no articles read from {}", zip.display());
    docs
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let expected: usize = docs
        .iter()
        .map(|d| {
            let mut n = 0;
            Tokenizer.for_each(d, |_| n += 1);
            n
        })
        .sum();
    let mut g = c.benchmark_group("saudinewsnet-2015-07-21");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    let mut buf = String::new();
    g.bench_function("tokenize+normalize", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                Tokenizer.for_each(d, |s| {
                    normalize_token(&d[s.start..s.end], s.kind, &Options::SEARCH, &mut buf);
                    n += 1;
                });
            }
            assert_eq!(n, expected);
        })
    });
    g.bench_function("sentences", |b| {
        b.iter(|| {
            let n: usize = docs.iter().map(|d| sentences(d).len()).sum();
            assert!(n > 0);
        })
    });
    g.bench_function("normalize-aligned", |b| {
        b.iter(|| {
            let n: usize = docs
                .iter()
                .map(|d| {
                    qalam_text::normalize(d, &Options::SEARCH)
                        .normalized()
                        .len()
                })
                .sum();
            assert!(n > 0);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
