//! The text embeddings are trained on: documents of interned tokens, with their counts.

use qalam_text::hash::FxHashMap;

/// Unlabelled text as documents of interned tokens (the search-normalized forms the NER reads).
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    words: Vec<String>,
    ids: FxHashMap<String, u32>,
    counts: Vec<u64>,
    tokens: Vec<u32>,
    ends: Vec<usize>,
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one document (a title, a body): a window never reaches across documents. Empty
    /// tokens are skipped.
    pub fn add_document<'a>(&mut self, tokens: impl IntoIterator<Item = &'a str>) {
        let start = self.tokens.len();
        for t in tokens {
            if t.is_empty() {
                continue;
            }
            let id = match self.ids.get(t) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.words.push(t.to_string());
                    self.ids.insert(t.to_string(), id);
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.tokens.push(id);
        }
        if self.tokens.len() > start {
            self.ends.push(self.tokens.len());
        }
    }

    /// Tokens in all documents.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True if no document has a token.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Documents with at least one token.
    pub fn documents(&self) -> usize {
        self.ends.len()
    }

    /// Distinct tokens.
    pub fn distinct(&self) -> usize {
        self.words.len()
    }

    /// The interned words, by id.
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// How often each word occurs, by id.
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Calls `f` with the token ids of each document, in order.
    pub fn for_each_document(&self, mut f: impl FnMut(&[u32])) {
        let mut start = 0;
        for &end in &self.ends {
            f(&self.tokens[start..end]);
            start = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_interned_and_counted() {
        let mut c = Corpus::new();
        c.add_document(["في", "الرياض", "في"]);
        c.add_document([]);
        c.add_document(["", "الرياض"]);
        assert_eq!((c.len(), c.documents(), c.distinct()), (4, 2, 2));
        assert_eq!(c.words(), ["في", "الرياض"]);
        assert_eq!(c.counts(), [2, 2]);
        let mut docs = Vec::new();
        c.for_each_document(|d| docs.push(d.to_vec()));
        assert_eq!(docs, [vec![0, 1, 0], vec![1]]);
    }
}
