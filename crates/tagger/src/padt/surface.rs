//! Rebuilding the written (surface) form of a fused token from its UD words, and undoing it.
//!
//! UD Arabic-PADT splits clitics into their own words and writes each word in its
//! dictionary spelling, so `شقيقته` appears as `شقيقة` + `ه`. [`rebuild_surface`] applies the
//! spelling rules of fused words; [`restore`] maps a segmented surface back to UD forms.

use qalam_text::chars::{is_arabic_letter, is_diacritic, is_tatweel};

/// How a word is attached to the word before it inside one surface token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Join {
    /// No boundary here (or the first word of a token).
    None = 0,
    /// Plain concatenation: `و` + `كانت` → `وكانت`.
    Plain = 1,
    /// Host-final ة is written ت before a pronoun: `شقيقة` + `ه` → `شقيقته`.
    TaMarbuta = 2,
    /// Host-final ى is written ا before a pronoun: `ألقى` + `ها` → `ألقاها`.
    AlifMaqsura = 3,
    /// Host-final ء after ا takes its case seat before a pronoun: `لقاء` + `ه` → `لقاؤه`/`لقائه`.
    Hamza = 4,
    /// The silent alif of verbal `وا` drops before a pronoun: `رافقوا` + `ه` → `رافقوه`.
    DropAlif = 5,
    /// Host-final ن assimilates: `عن` + `ما` → `عما`, `من` + `ني` → `مني`, `أن` + `لا` → `ألا`.
    Nun = 6,
    /// The article's alif drops after ل: `ل` + `الأراضي` → `للأراضي`.
    Article = 7,
    /// Article alif and lam drop after ل before a lam: `ل` + `اللجنة` → `للجنة`.
    ArticleLam = 8,
}

impl Join {
    /// Number of join kinds (including [`Join::None`]).
    pub const COUNT: usize = 9;

    /// The join with the given numeric id.
    pub fn from_id(id: usize) -> Join {
        match id {
            1 => Join::Plain,
            2 => Join::TaMarbuta,
            3 => Join::AlifMaqsura,
            4 => Join::Hamza,
            5 => Join::DropAlif,
            6 => Join::Nun,
            7 => Join::Article,
            8 => Join::ArticleLam,
            _ => Join::None,
        }
    }
}

/// A UD word as input to [`rebuild_surface`]: its form, UPOS and FEATS.
#[derive(Clone, Copy, Debug)]
pub struct WordIn<'a> {
    /// FORM.
    pub form: &'a str,
    /// UPOS.
    pub upos: &'a str,
    /// FEATS (`_` when empty).
    pub feats: &'a str,
}

/// Where one UD word sits in a rebuilt surface token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Byte offset of the word's visible part in the surface text.
    pub start: usize,
    /// End byte offset of the word's visible part.
    pub end: usize,
    /// How this word joins the previous one (`Join::None` for the first word).
    pub join: Join,
}

/// A surface token rebuilt from UD words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebuilt {
    /// The written token.
    pub text: String,
    /// One piece per input word.
    pub pieces: Vec<Piece>,
}

/// True for a FORM written in Arabic letters (diacritics and tatweel allowed), i.e. one that
/// fuses with its neighbours when no space separates them.
pub fn is_arabic_form(form: &str) -> bool {
    form.chars().any(is_arabic_letter)
        && form
            .chars()
            .all(|c| is_arabic_letter(c) || is_diacritic(c) || is_tatweel(c))
}

fn feat_value<'a>(feats: &'a str, key: &str) -> Option<&'a str> {
    feats.split('|').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == key).then_some(v)
    })
}

fn has_article(w: &WordIn) -> bool {
    w.form.starts_with("ال")
        && !matches!(feat_value(w.feats, "Definite"), Some("Ind") | Some("Cons"))
}

fn letters(s: &str) -> usize {
    s.chars().filter(|&c| is_arabic_letter(c)).count()
}

/// The join rule between `host` and the following word `next`.
fn join_of(host: &WordIn, next: &WordIn) -> Join {
    if host.form == "ل" && has_article(next) {
        return if next.form.starts_with("الل") {
            Join::ArticleLam
        } else {
            Join::Article
        };
    }
    if matches!(host.form, "عن" | "من") && matches!(next.form, "ما" | "من" | "ني") {
        return Join::Nun;
    }
    if host.form == "أن" && next.form == "لا" {
        return Join::Nun;
    }
    if next.upos != "PRON" || letters(host.form) < 2 {
        return Join::Plain;
    }
    if host.form.ends_with('ة') {
        Join::TaMarbuta
    } else if host.form.ends_with('ى') {
        Join::AlifMaqsura
    } else if host.form.ends_with("اء")
        && matches!(feat_value(host.feats, "Case"), Some("Nom") | Some("Gen"))
        && matches!(host.upos, "NOUN" | "ADJ" | "NUM" | "PROPN")
    {
        Join::Hamza
    } else if host.form.ends_with("وا") && host.upos == "VERB" {
        Join::DropAlif
    } else {
        Join::Plain
    }
}

/// Rebuilds the written token of UD words that are fused (no space between them), applying the
/// spelling rules of [`Join`]; a single word comes back unchanged.
///
/// ```
/// use qalam_tagger::padt::surface::{rebuild_surface, WordIn};
/// let w = |form| WordIn { form, upos: "NOUN", feats: "_" };
/// let pron = WordIn { form: "ه", upos: "PRON", feats: "_" };
/// assert_eq!(rebuild_surface(&[w("شقيقة"), pron]).text, "شقيقته");
/// let art = WordIn { form: "الأراضي", upos: "NOUN", feats: "Definite=Def" };
/// assert_eq!(rebuild_surface(&[w("ل"), art]).text, "للأراضي");
/// ```
pub fn rebuild_surface(words: &[WordIn]) -> Rebuilt {
    let mut text = String::new();
    let mut pieces: Vec<Piece> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        let join = if i == 0 {
            Join::None
        } else {
            join_of(&words[i - 1], w)
        };
        // Rewrite the end of the host already in `text`.
        match join {
            Join::TaMarbuta | Join::AlifMaqsura | Join::Hamza => {
                let last = text.pop().expect("host is not empty");
                text.push(match (join, last) {
                    (Join::TaMarbuta, _) => 'ت',
                    (Join::AlifMaqsura, _) => 'ا',
                    _ if feat_value(words[i - 1].feats, "Case") == Some("Nom") => 'ؤ',
                    _ => 'ئ',
                });
            }
            Join::DropAlif | Join::Nun => {
                text.pop();
                let p = pieces.last_mut().expect("host piece");
                p.end = text.len();
            }
            _ => {}
        }
        let visible = match join {
            Join::Article => &w.form["ا".len()..],
            Join::ArticleLam => &w.form["ال".len()..],
            _ => w.form,
        };
        let start = text.len();
        text.push_str(visible);
        pieces.push(Piece {
            start,
            end: text.len(),
            join,
        });
    }
    Rebuilt { text, pieces }
}

/// Maps a segmented surface token back to UD forms: `bounds` are (byte offset, join) pairs in
/// increasing order; returns (form, start, end) per word, spans being the visible parts.
pub fn restore(surface: &str, bounds: &[(usize, Join)]) -> Vec<(String, usize, usize)> {
    let mut out: Vec<(String, usize, usize)> = Vec::with_capacity(bounds.len() + 1);
    let mut start = 0;
    let mut join = Join::None;
    for k in 0..=bounds.len() {
        let end = bounds.get(k).map_or(surface.len(), |b| b.0);
        let mut form = String::with_capacity(end - start + 4);
        match join {
            Join::Article => form.push('ا'),
            Join::ArticleLam => form.push_str("ال"),
            _ => {}
        }
        form.push_str(&surface[start..end]);
        if let Some(&(_, next)) = bounds.get(k) {
            fix_host(&mut form, next);
        }
        out.push((form, start, end));
        if let Some(&(b, j)) = bounds.get(k) {
            start = b;
            join = j;
        }
    }
    out
}

/// Undoes the host-side spelling change of `next` on `form`.
fn fix_host(form: &mut String, next: Join) {
    let swap = |form: &mut String, from: &[char], to: char| {
        if form.chars().next_back().is_some_and(|c| from.contains(&c)) {
            form.pop();
            form.push(to);
        }
    };
    match next {
        Join::TaMarbuta => swap(form, &['ت'], 'ة'),
        Join::AlifMaqsura => swap(form, &['ا'], 'ى'),
        Join::Hamza => swap(form, &['ؤ', 'ئ'], 'ء'),
        Join::DropAlif => form.push('ا'),
        Join::Nun => form.push('ن'),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w<'a>(form: &'a str, upos: &'a str, feats: &'a str) -> WordIn<'a> {
        WordIn { form, upos, feats }
    }

    fn round_trip(words: &[WordIn], surface: &str) {
        let r = rebuild_surface(words);
        assert_eq!(r.text, surface);
        let bounds: Vec<(usize, Join)> = r.pieces[1..].iter().map(|p| (p.start, p.join)).collect();
        let back = restore(&r.text, &bounds);
        let forms: Vec<&str> = back.iter().map(|b| b.0.as_str()).collect();
        let gold: Vec<&str> = words.iter().map(|w| w.form).collect();
        assert_eq!(forms, gold, "restore({surface})");
        for (p, b) in r.pieces.iter().zip(&back) {
            assert_eq!((b.1, b.2), (p.start, p.end), "span of {}", b.0);
        }
    }

    #[test]
    fn test_ta_marbuta_before_pronoun() {
        round_trip(&[w("شقيقة", "NOUN", "_"), w("ه", "PRON", "_")], "شقيقته");
        round_trip(
            &[
                w("و", "CCONJ", "_"),
                w("حكومة", "NOUN", "_"),
                w("ها", "PRON", "_"),
            ],
            "وحكومتها",
        );
    }

    #[test]
    fn test_lam_and_article() {
        round_trip(
            &[w("ل", "ADP", "_"), w("الأراضي", "NOUN", "Definite=Def")],
            "للأراضي",
        );
        round_trip(
            &[w("ل", "ADP", "_"), w("اللجنة", "NOUN", "Definite=Def")],
            "للجنة",
        );
        round_trip(&[w("ل", "ADP", "_"), w("الذي", "DET", "_")], "للذي");
        // Stem-initial alif is not the article.
        round_trip(
            &[w("ل", "ADP", "_"), w("التزام", "NOUN", "Definite=Cons")],
            "لالتزام",
        );
        round_trip(
            &[w("ب", "ADP", "_"), w("الأراضي", "NOUN", "Definite=Def")],
            "بالأراضي",
        );
    }

    #[test]
    fn test_alif_maqsura_hamza_waw_alif_nun() {
        round_trip(&[w("ألقى", "VERB", "_"), w("ها", "PRON", "_")], "ألقاها");
        round_trip(
            &[
                w("لقاء", "NOUN", "Case=Nom|Definite=Cons"),
                w("ه", "PRON", "_"),
            ],
            "لقاؤه",
        );
        round_trip(
            &[
                w("لقاء", "NOUN", "Case=Gen|Definite=Cons"),
                w("ه", "PRON", "_"),
            ],
            "لقائه",
        );
        round_trip(
            &[
                w("لقاء", "NOUN", "Case=Acc|Definite=Cons"),
                w("ه", "PRON", "_"),
            ],
            "لقاءه",
        );
        round_trip(&[w("رافقوا", "VERB", "_"), w("ه", "PRON", "_")], "رافقوه");
        round_trip(&[w("عن", "ADP", "_"), w("ما", "DET", "_")], "عما");
        round_trip(&[w("من", "ADP", "_"), w("ني", "PRON", "_")], "مني");
        round_trip(&[w("أن", "SCONJ", "_"), w("لا", "PART", "_")], "ألا");
        round_trip(&[w("علي", "ADP", "_"), w("ه", "PRON", "_")], "عليه");
        // A one-letter host never changes.
        round_trip(&[w("ل", "ADP", "_"), w("ها", "PRON", "_")], "لها");
    }

    #[test]
    fn pieces_cover_visible_parts() {
        let r = rebuild_surface(&[
            w("و", "CCONJ", "_"),
            w("ل", "ADP", "_"),
            w("الأراضي", "NOUN", "Definite=Def"),
        ]);
        assert_eq!(r.text, "وللأراضي");
        assert_eq!(&r.text[r.pieces[1].start..r.pieces[1].end], "ل");
        assert_eq!(&r.text[r.pieces[2].start..r.pieces[2].end], "لأراضي");
        let r = rebuild_surface(&[w("عن", "ADP", "_"), w("ما", "DET", "_")]);
        assert_eq!(&r.text[r.pieces[0].start..r.pieces[0].end], "ع");
    }

    #[test]
    fn arabic_forms() {
        assert!(is_arabic_form("هٰذا"));
        assert!(!is_arabic_form("15"));
        assert!(!is_arabic_form("،"));
        assert!(!is_arabic_form("\u{064B}"));
    }
}
