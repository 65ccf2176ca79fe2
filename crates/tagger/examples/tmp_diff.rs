use qalam_tagger::ner::{DocumentRules, NerTagger, read_conll};
fn main() {
    let mut a = std::env::args().skip(1);
    let mut t = NerTagger::load(a.next().unwrap().as_ref()).unwrap();
    let gold = read_conll(a.next().unwrap().as_ref()).unwrap();
    let which = a.next().unwrap();
    let all = DocumentRules::ALL;
    let off = match which.as_str() { "whole" => DocumentRules { whole_names: false, ..all }, "listed" => DocumentRules { listed_names: false, ..all }, "types" => DocumentRules { listed_types: false, ..all }, "majority" => DocumentRules { majority_type: false, ..all }, "propagate" => DocumentRules { propagate: false, ..all }, _ => DocumentRules::NONE };
    let toks: Vec<Vec<&str>> = gold.iter().map(|s| s.tokens.iter().map(String::as_str).collect()).collect();
    t.set_rules(off);
    let p0 = t.predict_sentences(&toks);
    let f0 = t.evaluate(&gold).f1();
    t.set_rules(all);
    let p1 = t.predict_sentences(&toks);
    let f1 = t.evaluate(&gold).f1();
    for (i, s) in gold.iter().enumerate() {
        if p0[i] != p1[i] {
            let mut out = String::new();
            for j in 0..s.tokens.len() {
                if p0[i][j] != p1[i][j] {
                    out += &format!(" [{} g={} {}→{}]", s.tokens[j], s.tags[j], p0[i][j], p1[i][j]);
                }
            }
            println!("{i}:{out}");
        }
    }
    println!("without {which}: {f0:.2}  all: {f1:.2}");
}
