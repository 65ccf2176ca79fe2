//! Fuzzes the PADT model loaders (segmenter, tagger, lemmatizer): any bytes give a model or an
//! error, never a panic or an unbounded allocation; a model that loads can be used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qalam_fuzz::{model_bytes, small_padt};
use qalam_tagger::padt::{Lemmatizer, PosTagger, Segmenter};

const WORDS: [&str; 6] = ["وبالمدرسة", "قال", "الرياض", "ولكنهم", "x", "٢٠١٥"];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let models = small_padt();
    match which % 3 {
        0 => {
            if let Ok(seg) = Segmenter::load(&model_bytes(rest, &models[0])) {
                for w in WORDS {
                    for s in seg.segment(w) {
                        assert!(s.start <= s.end && s.end <= w.len());
                    }
                    let _ = seg.stem(w);
                }
            }
        }
        1 => {
            if let Ok(pos) = PosTagger::load(&model_bytes(rest, &models[1])) {
                let tags = pos.tag(&WORDS);
                assert_eq!(tags.len(), WORDS.len());
                for t in tags {
                    let _ = (pos.upos(t), pos.xpos(t), pos.feats(t));
                }
            }
        }
        _ => {
            if let Ok(lemma) = Lemmatizer::load(&model_bytes(rest, &models[2])) {
                for w in WORDS {
                    let _ = lemma.lemma(w, "NOUN", "N------S1D");
                    let _ = lemma.lemma(w, "", "");
                }
            }
        }
    }
});
