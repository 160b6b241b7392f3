//! Typographic normalisation: the one place that decides how text looks downstream.
//!
//! Apostrophes become `'`; double quotes become « and » (opening and closing forms of
//! “ ” „ ‟ kept apart; straight `"` is left as is); dashes become `-`; the ellipsis becomes
//! `...`; every kind of space becomes one plain space; zero-width, bidi and other control
//! characters are removed; the result is NFC. Lines are trimmed and runs of spaces collapsed;
//! a blank line separates paragraphs and a single line break starts a new paragraph, except a
//! soft wrap (a line continuing in lowercase after one that does not end a sentence).
//! The function is idempotent: normalise(normalise(x)) == normalise(x).

use unicode_normalization::{IsNormalized, UnicodeNormalization};

use crate::stage::ingest::is_invisible;

fn map_char(c: char, out: &mut String) {
    // Printable ASCII, most of any text, is kept as it is.
    if (' '..='~').contains(&c) {
        out.push(c);
        return;
    }
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{02bc}' | '\u{2032}' => out.push('\''),
        '\u{201c}' | '\u{201e}' | '\u{201f}' => out.push('«'),
        '\u{201d}' => out.push('»'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => {
            out.push('-')
        }
        '\u{2026}' => out.push_str("..."),
        '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{b}' | '\u{c}' => out.push('\n'),
        '\n' => out.push('\n'),
        c if c.is_whitespace() => out.push(' '),
        c if is_invisible(c) => {}
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// Normalises a whole document.
pub fn normalise(raw: &str) -> String {
    // Map first, then compose: removing an invisible character can bring a base letter and a
    // combining mark together, which NFC must then see.
    let mut mapped = String::with_capacity(raw.len());
    let mut last_cr = false;
    for c in raw.chars() {
        if c == '\n' && last_cr {
            last_cr = false;
            continue;
        }
        last_cr = c == '\r';
        map_char(c, &mut mapped);
    }
    // Most text is already NFC, which the quick check confirms without composing; the
    // mapping is idempotent, so such text is stable as it is.
    if unicode_normalization::is_nfc_quick(mapped.chars()) == IsNormalized::Yes {
        return paragraphs(&mapped);
    }
    let composed: String = mapped.nfc().collect();
    // NFC may yield characters the mapping changes (e.g. singleton decompositions to spaces).
    let mut stable = String::with_capacity(composed.len());
    composed.chars().for_each(|c| map_char(c, &mut stable));
    paragraphs(&stable)
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['.', '!', '?', ':', '»', '"', ')'])
}

/// Collapses each line's runs of spaces, drops blank lines as paragraph breaks and joins a
/// line that continues its sentence (the previous line does not end one, this one starts in
/// lower case) to the line before. Paragraphs are separated by one empty line.
fn paragraphs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whether the last line written belongs to a paragraph still open.
    let mut open = false;
    for line in text.split('\n') {
        let mut words = line.split(' ').filter(|w| !w.is_empty()).peekable();
        let Some(first) = words.peek() else {
            open = false;
            continue;
        };
        let soft_wrap =
            open && !ends_sentence(&out) && first.chars().next().is_some_and(char::is_lowercase);
        if soft_wrap {
            out.push(' ');
        } else if !out.is_empty() {
            out.push_str("\n\n");
        }
        open = true;
        for (k, word) in words.enumerate() {
            if k > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[track_caller]
    fn case(raw: &str, want: &str) {
        assert_eq!(normalise(raw), want);
        assert_eq!(normalise(want), want, "not idempotent");
    }

    #[test]
    fn typography() {
        case("l\u{2019}armée", "l'armée");
        case("\u{201c}Rien\u{201d}", "«Rien»");
        case("« au\u{a0}moins\u{202f}15 »", "« au moins 15 »");
        case("Gao \u{2013} Kidal\u{2014}Tessit", "Gao - Kidal-Tessit");
        case("(\u{2026})", "(...)");
        case("tu\u{200b}\u{e9}s\u{202e}", "tués");
        case("e\u{301}te\u{301}", "été");
        case("e\u{200b}\u{301}", "é");
    }

    #[test]
    fn paragraphs_and_wraps() {
        case(
            "Titre\n\n\n\nPremier paragraphe.\nSecond.",
            "Titre\n\nPremier paragraphe.\n\nSecond.",
        );
        case(
            "Une phrase coupée\nen deux lignes.",
            "Une phrase coupée en deux lignes.",
        );
        case(
            "Frappes de drone à Gao\nDans le Nord, la ville",
            "Frappes de drone à Gao\n\nDans le Nord, la ville",
        );
        case("  a  \r\n\r\n b\t c ", "a\n\nb c");
    }
}
