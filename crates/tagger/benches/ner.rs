//! NER throughput on a bundled excerpt of the seed article, tokenized with qalam-text and tagged
//! as one document (both stages, history included): the perceptron alone (`entities`) and with
//! the neural network on top (`entities_neural`). Counts words per second; run with
//! `RAYON_NUM_THREADS=1` for one core (the network's matrix products are multi-threaded otherwise).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use qalam_tagger::ner::NerTagger;

const EXCERPT: &str = include_str!("../tests/fixtures/ner/ahram-excerpt.txt");
const COPIES: usize = 40;

fn bench_ner(c: &mut Criterion) {
    bench_model(c, "entities", &NerTagger::embedded());
    bench_model(c, "entities_neural", &NerTagger::embedded_neural());
}

fn bench_model(c: &mut Criterion, name: &str, tagger: &NerTagger) {
    let text = EXCERPT.repeat(COPIES);
    let tokens = qalam_text::tokenize(&text);
    let expected = tagger.entities(&text, &tokens).len();
    assert!(expected >= 4 * COPIES, "the excerpt has entities");
    let mut group = c.benchmark_group("ner");
    group.throughput(Throughput::Elements(tokens.len() as u64));
    group.bench_function(name, |b| {
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
