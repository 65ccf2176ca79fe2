//! Proclitic stripping on search-normalized words: و ف (conjunctions), ب ل ك (prepositions), ال.

/// Splits a search-normalized word into (proclitics, rest): و/ف then ب/ل/ك are taken off the front,
/// `لل` becomes `ل` + `ال`, and `ال` stays on the rest. The rest keeps at least `min_rest` chars.
///
/// `"وسوريا"` → (`"و"`, `"سوريا"`), `"بالموصل"` → (`"ب"`, `"الموصل"`), `"للموصل"` → (`"ل"`, `"الموصل"`).
pub fn split_proclitics(word: &str, min_rest: usize) -> (&'static str, String) {
    let mut rest = word;
    let mut conj = "";
    let mut prep = "";
    if let Some(r) = rest.strip_prefix('و').or_else(|| rest.strip_prefix('ف'))
        && r.chars().count() >= min_rest
    {
        conj = if rest.starts_with('و') { "و" } else { "ف" };
        rest = r;
    }
    if let Some(r) = rest.strip_prefix("لل")
        && r.chars().count() + 2 >= min_rest.max(4)
    {
        // ل + ال with the alef elided: للموصل = ل + الموصل.
        let p = combine(conj, "ل");
        return (p, format!("ال{r}"));
    }
    for (c, name) in [('ب', "ب"), ('ل', "ل"), ('ك', "ك")] {
        if let Some(r) = rest.strip_prefix(c)
            && r.starts_with("ال")
            && r.chars().count() >= min_rest.max(4)
        {
            prep = name;
            rest = r;
            break;
        }
    }
    (combine(conj, prep), rest.to_string())
}

/// Like [`split_proclitics`], but also lets ب/ل/ك come off a word without `ال` (e.g. `بباريس`).
pub fn strip_all(word: &str, min_rest: usize) -> String {
    let (p, rest) = split_proclitics(word, min_rest);
    if p.ends_with(['ب', 'ل', 'ك']) || rest.starts_with("ال") {
        return rest;
    }
    for c in ['ب', 'ل', 'ك'] {
        if let Some(r) = rest.strip_prefix(c)
            && r.chars().count() >= min_rest.max(3)
        {
            return r.to_string();
        }
    }
    rest
}

/// Removes a leading `ال` if at least two chars remain.
pub fn strip_article(word: &str) -> &str {
    match word.strip_prefix("ال") {
        Some(r) if r.chars().count() >= 2 => r,
        _ => word,
    }
}

fn combine(conj: &str, prep: &str) -> &'static str {
    match (conj, prep) {
        ("", "") => "",
        ("و", "") => "و",
        ("ف", "") => "ف",
        ("", "ب") => "ب",
        ("", "ل") => "ل",
        ("", "ك") => "ك",
        ("و", "ب") => "وب",
        ("و", "ل") => "ول",
        ("و", "ك") => "وك",
        ("ف", "ب") => "فب",
        ("ف", "ل") => "فل",
        ("ف", "ك") => "فك",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proclitics() {
        assert_eq!(split_proclitics("وسوريا", 2), ("و", "سوريا".to_string()));
        assert_eq!(split_proclitics("بالموصل", 2), ("ب", "الموصل".to_string()));
        assert_eq!(split_proclitics("والرقه", 2), ("و", "الرقه".to_string()));
        assert_eq!(split_proclitics("للموصل", 2), ("ل", "الموصل".to_string()));
        assert_eq!(split_proclitics("وللموصل", 2), ("ول", "الموصل".to_string()));
        assert_eq!(split_proclitics("بغداد", 2), ("", "بغداد".to_string()));
        assert_eq!(split_proclitics("و", 2), ("", "و".to_string()));
        assert_eq!(strip_all("بباريس", 3), "باريس");
        assert_eq!(strip_all("لبنان", 5), "لبنان");
        assert_eq!(strip_article("الموصل"), "موصل");
        assert_eq!(strip_article("الي"), "الي");
    }
}
