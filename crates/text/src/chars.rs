//! Character classes of Arabic text shared by the normalizer and the tokenizer.

/// True for Arabic diacritics: harakat, tanween, shadda, sukun, dagger alef and Quranic marks.
#[inline]
pub const fn is_diacritic(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08E1}'
        | '\u{08E3}'..='\u{08FF}')
}

/// True for the Arabic tatweel (kashida) U+0640.
#[inline]
pub const fn is_tatweel(c: char) -> bool {
    c == '\u{0640}'
}

/// True for bidi and zero-width controls (and the BOM) that carry no text.
#[inline]
pub const fn is_control(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{061C}'
        | '\u{FEFF}'
        | '\u{00AD}')
}

/// True for Arabic presentation forms and ligatures (U+FB50–U+FDFF, U+FE70–U+FEFE).
#[inline]
pub const fn is_presentation_form(c: char) -> bool {
    matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
}

/// True for letters of the Arabic script (base letters, extended and presentation forms).
#[inline]
pub const fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{063F}'
        | '\u{0641}'..='\u{064A}'
        | '\u{066E}'..='\u{066F}'
        | '\u{0671}'..='\u{06D3}'
        | '\u{06D5}'
        | '\u{06E5}'..='\u{06E6}'
        | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FC}'
        | '\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FD3D}'
        | '\u{FD50}'..='\u{FDC7}'
        | '\u{FDF0}'..='\u{FDFB}'
        | '\u{FE70}'..='\u{FE74}'
        | '\u{FE76}'..='\u{FEFC}')
}

/// Value of a decimal digit in ASCII, Arabic-Indic or Persian (Extended Arabic-Indic) form.
#[inline]
pub const fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '\u{0660}'..='\u{0669}' => Some((c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => Some((c as u32 - 0x06F0) as u8),
        _ => None,
    }
}

/// True for Latin-script letters (ASCII, Latin-1, Latin Extended).
#[inline]
pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
            && c != '\u{00D7}'
            && c != '\u{00F7}')
}

/// True for emoji and pictographic symbols that start an emoji token.
#[inline]
pub fn is_emoji(c: char) -> bool {
    matches!(c,
        '\u{1F000}'..='\u{1FAFF}'
        | '\u{2600}'..='\u{27BF}'
        | '\u{2B00}'..='\u{2BFF}'
        | '\u{231A}'..='\u{231B}'
        | '\u{23E9}'..='\u{23FA}')
}

/// True for characters that may follow an emoji inside one emoji cluster.
#[inline]
pub fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{20E3}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
}

/// True for punctuation marks (Latin, Arabic and general punctuation).
#[inline]
pub fn is_punctuation(c: char) -> bool {
    matches!(c,
        '!' | '"' | '\'' | '(' | ')' | ',' | '-' | '.' | ':' | ';' | '?' | '[' | ']' | '{' | '}'
        | '«' | '»' | '¡' | '¿' | '·'
        | '\u{060C}' | '\u{060D}' | '\u{061B}' | '\u{061E}' | '\u{061F}' | '\u{066D}' | '\u{06D4}'
        | '\u{2010}'..='\u{2027}'
        | '\u{2030}'..='\u{205E}'
        | '\u{3001}'..='\u{3003}'
        | '\u{FD3E}' | '\u{FD3F}'
        | '\u{FE10}'..='\u{FE19}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FE50}'..='\u{FE6B}' 
        | '\u{FF01}'..='\u{FF0F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_arabic() {
        assert!(is_arabic_letter('ب'));
        assert!(!is_arabic_letter('\u{064E}'));
        assert!(is_diacritic('\u{064E}'));
        assert!(is_diacritic('\u{0670}'));
        assert!(is_tatweel('ـ'));
        assert!(is_control('\u{200F}'));
        assert!(is_presentation_form('ﻻ'));
        assert_eq!(digit_value('٣'), Some(3));
        assert_eq!(digit_value('۷'), Some(7));
        assert!(is_punctuation('؟'));
        assert!(is_latin_letter('é'));
        assert!(!is_latin_letter('×'));
    }
}
