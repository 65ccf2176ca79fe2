//! NER throughput on a bundled excerpt of the seed article, tokenized with qalam-text and tagged
//! as one document (both stages, history included). Counts words per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qalam_tagger::ner::NerTagger;

const EXCERPT: &str = include_str!("../tests/fixtures/ner/ahram-excerpt.txt");
const COPIES: usize = 40;

fn bench_ner(c: &mut Criterion) {
    let text = EXCERPT.repeat(COPIES);
    let tokens = qalam_text::tokenize(&text);
    let tagger = NerTagger::embedded();
    let expected = tagger.entities(&text, &tokens).len();
    assert!(expected >= 4 * COPIES, "the excerpt has entities");
    let mut group = c.benchmark_group("ner");
    group.throughput(Throughput::Elements(tokens.len() as u64));
    group.bench_function("entities", |b| {
        b.iter(|| {
            let found = tagger.entities(&text, &tokens);
            assert_eq!(found.len(), expected);
            found
        })
    });
    group.finish();
}

criterion_group!(benches, bench_ner);
criterion_main!(benches);
