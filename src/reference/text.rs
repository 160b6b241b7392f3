//! Tokens and folding shared by every matcher: the one definition of "case-, accent-, hyphen-
//! and apostrophe-insensitive on whole words".

use std::borrow::Cow;

/// Lowercase, accents removed, ligatures opened: "Ménaka" -> "menaka", "Œuvre" -> "oeuvre".
pub fn fold(s: &str) -> String {
    // ASCII has no accents or ligatures to open: lowercasing is the whole fold.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        match c {
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            // Char by char is the string's NFD up to the order of combining marks, which are
            // all dropped.
            c => unicode_normalization::char::decompose_canonical(c, |d| {
                if !unicode_normalization::char::is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            }),
        }
    }
    out
}

/// A key for place names: folded, letters and digits only ("Tin-Éssako" -> "tinessako").
pub fn place_key(s: &str) -> String {
    // ASCII folds to its lower case, and its letters and digits are the ASCII ones.
    if s.is_ascii() {
        return s
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

/// One token of a sentence, borrowed from it. Hyphens and apostrophes are separators, not
/// tokens; `joined` says the token was attached to the previous one by one of them
/// ("Tin-Éssako-Nord", "d'après").
#[derive(Debug, Clone)]
pub struct Token<'a> {
    /// Char offsets in the sentence.
    pub start: usize,
    pub end: usize,
    /// Byte offset of `text` in the sentence.
    pub byte: usize,
    pub text: &'a str,
    /// [`fold`] of `text`; borrowed when folding would not change it (lower-case ASCII, most
    /// tokens of a French text), so that most tokens allocate nothing.
    pub fold: Cow<'a, str>,
    pub kind: TokenKind,
    pub upper: bool,
    pub joined: bool,
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '\u{2019}' | '\u{2011}')
}

fn folded(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(fold(text))
    }
}

/// Splits text into word, number and punctuation tokens.
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    // About one token per five bytes of French news text: one allocation for most sentences.
    let mut tokens: Vec<Token<'_>> = Vec::with_capacity(s.len() / 5 + 4);
    let mut chars = s.char_indices().peekable();
    // Char offset of the next char `chars` yields.
    let mut pos = 0;
    let mut joined = false;
    while let Some((byte, c)) = chars.next() {
        let start = pos;
        pos += 1;
        if c.is_whitespace() {
            joined = false;
            continue;
        }
        if is_joiner(c) {
            let prev_adjacent = tokens.last().is_some_and(|t| t.end == start);
            let next_alnum = chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric());
            if prev_adjacent && next_alnum {
                joined = true;
                continue;
            }
            if c != '-' {
                continue;
            }
        }
        let mut take_while = |f: fn(char) -> bool| {
            while chars.next_if(|&(_, n)| f(n)).is_some() {
                pos += 1;
            }
        };
        let kind = if c.is_ascii_digit() {
            take_while(|n| n.is_ascii_digit());
            TokenKind::Number
        } else if c.is_alphanumeric() {
            take_while(|n| n.is_alphanumeric() && !n.is_ascii_digit() || n == '°');
            TokenKind::Word
        } else {
            TokenKind::Punct
        };
        let text = &s[byte..chars.peek().map_or(s.len(), |&(b, _)| b)];
        tokens.push(Token {
            start,
            end: pos,
            byte,
            fold: folded(text),
            upper: c.is_uppercase(),
            kind,
            text,
            joined,
        });
        joined = false;
    }
    tokens
}

/// The text of `sentence` that tokens `s..e` of it (from [`tokenize`]) span, the gaps between
/// them included; empty when `e <= s`.
pub fn span_text<'a>(sentence: &'a str, tokens: &[Token], s: usize, e: usize) -> &'a str {
    if e <= s {
        return "";
    }
    let (first, last) = (&tokens[s], &tokens[e - 1]);
    &sentence[first.byte..(last.byte + last.text.len()).max(first.byte)]
}

/// Folded token texts of a lexicon phrase, joined by single spaces.
pub fn phrase_key(phrase: &str) -> String {
    tokenize(phrase)
        .iter()
        .map(|t| &*t.fold)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_insensitive_to_case_accents_hyphens_apostrophes() {
        assert_eq!(place_key("Tinessako"), place_key("Tin-Éssako"));
        assert_eq!(place_key("Tinessako"), "tinessako");
        assert_eq!(phrase_key("d’après"), phrase_key("D'APRÈS"));
        assert_eq!(
            phrase_key("attentat-suicide"),
            phrase_key("attentat suicide")
        );
        assert_eq!(phrase_key("« au moins 15 »"), "« au moins 15 »");
    }

    #[test]
    fn a_span_of_tokens_is_the_text_between_their_char_offsets() {
        for sentence in [
            "Selon un notable, « au moins 8 bergers » ont été tués près d'Ouahigouya.",
            "  L’armée  a riposté : 34 morts, dont 6 femmes…",
            "",
        ] {
            let tokens = tokenize(sentence);
            for s in 0..tokens.len() {
                for e in 0..=tokens.len() {
                    let by_chars: String = if e <= s {
                        String::new()
                    } else {
                        let (a, b) = (tokens[s].start, tokens[e - 1].end);
                        sentence.chars().skip(a).take(b - a).collect()
                    };
                    assert_eq!(
                        span_text(sentence, &tokens, s, e),
                        by_chars,
                        "{sentence}: {s}..{e}"
                    );
                }
            }
        }
    }

    /// The definition `fold` implements faster: NFD, marks dropped, ligatures opened.
    fn fold_by_definition(s: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        let mut out = String::new();
        for c in s.nfd() {
            match c {
                c if unicode_normalization::char::is_combining_mark(c) => {}
                'œ' | 'Œ' => out.push_str("oe"),
                'æ' | 'Æ' => out.push_str("ae"),
                'ß' => out.push_str("ss"),
                c => out.extend(c.to_lowercase()),
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn fold_is_nfd_without_marks(s in "[a-zA-Z0-9 'ÀÉÈÊËÎÏÔÙÛÜÇàéèêëîïôùûüçœŒæÆßŸÿİıǅ\u{301}\u{308}\u{327}\u{1e9e}ẞ-]{0,24}") {
            proptest::prop_assert_eq!(fold(&s), fold_by_definition(&s));
        }
    }

    proptest::proptest! {
        #[test]
        fn place_keys_of_ascii_take_the_fold_s_letters_and_digits(s in "[ -~]{0,24}") {
            let by_fold: String = fold(&s).chars().filter(|c| c.is_alphanumeric()).collect();
            proptest::prop_assert_eq!(place_key(&s), by_fold);
        }
    }

    proptest::proptest! {
        /// A token's text is the sentence cut at its char offsets, and its fold (borrowed or
        /// not) is that text's fold.
        #[test]
        fn tokens_are_cut_at_their_offsets_and_folded(s in "[a-zA-Z0-9 ,.'’«»ÉéèçœŒ°\u{301}-]{0,40}") {
            for t in tokenize(&s) {
                let cut: String = s.chars().skip(t.start).take(t.end - t.start).collect();
                proptest::prop_assert_eq!(&cut, t.text);
                let folded = fold(t.text);
                proptest::prop_assert_eq!(t.fold.as_ref(), folded.as_str());
            }
        }
    }

    #[test]
    fn tokens_keep_offsets() {
        let s = "L'armée a tué 1 200 « civils », à Tin-Éssako-Nord.";
        for t in tokenize(s) {
            let cut: String = s.chars().skip(t.start).take(t.end - t.start).collect();
            assert_eq!(cut, t.text);
        }
        let t = tokenize("Tin-Éssako-Nord");
        assert_eq!(t.len(), 3);
        assert!(t[1].joined && t[2].joined);
    }
}
