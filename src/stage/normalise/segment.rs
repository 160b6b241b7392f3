//! French-aware sentence splitting of one normalised paragraph.
//!
//! A sentence ends at `.`, `!`, `?` or `...` (with any closing quotes or brackets after it)
//! when the next word starts a sentence: an uppercase letter, a digit, an opening quote or
//! bracket, or a dash. It does not end after a listed abbreviation (M., Gén., cf.), after a
//! single capital initial (J.-P., A.), inside brackets, or inside a quotation that closes in
//! the same paragraph: a quoted passage of several sentences stays whole, so that its
//! attribution (« ... », a déclaré X) stays with it. Sentences longer than the configured
//! limit are cut at a space. Returned spans are byte ranges into the paragraph, trimmed.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;

/// Tokens after which a period does not end a sentence.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    words: HashSet<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbbreviationFile {
    titles: Vec<String>,
    military: Vec<String>,
    common: Vec<String>,
}

impl Abbreviations {
    pub fn from_words<I: IntoIterator<Item = S>, S: Into<String>>(words: I) -> Self {
        Abbreviations {
            words: words.into_iter().map(Into::into).collect(),
        }
    }

    /// Parses `lexicon/abbreviations.toml`.
    pub fn from_toml(text: &str) -> Result<Self, toml::de::Error> {
        let f: AbbreviationFile = toml::from_str(text)?;
        Ok(Self::from_words(
            f.titles.into_iter().chain(f.military).chain(f.common),
        ))
    }

    fn contains(&self, w: &str) -> bool {
        self.words.contains(w)
    }
}

fn is_closer(c: char) -> bool {
    matches!(c, '»' | ')' | ']' | '"' | '\'')
}

/// Byte ranges of the quotations and brackets that close within the paragraph.
fn protected_spans(p: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut stack: Vec<(char, usize)> = Vec::new();
    let mut straight_open: Option<usize> = None;
    // Only ASCII brackets and quotes and the two guillemets (0xC2 0xAB, 0xC2 0xBB) matter: a
    // byte scan finds them without decoding every character.
    let bytes = p.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let c = match (b, bytes.get(i + 1)) {
            (b'(' | b'[' | b')' | b']' | b'"', _) => char::from(b),
            (0xC2, Some(0xAB)) => '«',
            (0xC2, Some(0xBB)) => '»',
            _ => continue,
        };
        match c {
            '«' | '(' | '[' => stack.push((c, i)),
            '»' | ')' | ']' => {
                let want = match c {
                    '»' => '«',
                    ')' => '(',
                    _ => '[',
                };
                if let Some(pos) = stack.iter().rposition(|(o, _)| *o == want) {
                    let (_, start) = stack[pos];
                    stack.truncate(pos);
                    spans.push(start..i + c.len_utf8());
                }
            }
            '"' => match straight_open.take() {
                Some(start) => spans.push(start..i + 1),
                None => straight_open = Some(i),
            },
            _ => {}
        }
    }
    spans
}

/// The word (letters, dots, hyphens, apostrophes) ending right before byte `end`.
fn word_before(p: &str, end: usize) -> &str {
    let start = p[..end]
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '.' | '-' | '°' | 'º'))
        .last()
        .map_or(end, |(i, _)| i);
    &p[start..end]
}

fn is_abbreviation(p: &str, dot: usize, abbreviations: &Abbreviations) -> bool {
    let word = word_before(p, dot);
    if word.is_empty() {
        return false;
    }
    if abbreviations.contains(word) {
        return true;
    }
    // The last dot-separated piece: "J.-P" -> "P", "av. J.-C" handled by the list.
    let last = word.rsplit(['.', '-']).next().unwrap_or(word);
    if abbreviations.contains(last) && last.len() < word.len() {
        return true;
    }
    // A single capital initial, "A." or "J.-P.", or an acronym written with dots, "O.N.U.".
    let mut chars = last.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '«' | '"' | '(' | '[' | '-' | '¿' | '¡')
}

/// Splits a paragraph into trimmed sentence byte ranges.
pub fn split(p: &str, abbreviations: &Abbreviations, max_chars: usize) -> Vec<Range<usize>> {
    let protected = protected_spans(p);
    // A terminator inside a quotation or brackets does not end the sentence, unless the
    // quotation closes right after it and a new sentence follows ("... abandonné. » Des ...").
    let inside = |i: usize, end: usize| {
        protected
            .iter()
            .any(|s| s.start < i && i < s.end - 1 && s.end > end)
    };
    let bytes = p.as_bytes();
    let mut cuts = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr::memchr3(b'.', b'!', b'?', &bytes[i..]) {
        let term = i + found;
        // Swallow the rest of the terminator run ("...", "?!") and closing quotes/brackets.
        let mut j = term + 1;
        while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?') {
            j += 1;
        }
        let mut end = j;
        while let Some(ch) = p[end..].chars().next() {
            if is_closer(ch) && !(ch == '"' && is_opening_straight_quote(p, end)) {
                end += ch.len_utf8();
            } else if ch == ' ' && p[end + 1..].starts_with(['»', ')']) {
                // French spacing before a closing guillemet: "fin. »"
                end += 1;
            } else {
                break;
            }
        }
        i = j;
        let rest = &p[end..];
        let Some(next) = rest.trim_start().chars().next() else {
            continue;
        };
        if !rest.starts_with(' ') || !starts_sentence(next) {
            continue;
        }
        if inside(term, end) {
            continue;
        }
        // "1. Djibo : douze morts": a list number is not a sentence.
        let last_cut = cuts.last().copied().unwrap_or(0);
        if p[last_cut..term].trim().chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if bytes[term] == b'.' && j == term + 1 && is_abbreviation(p, term, abbreviations) {
            continue;
        }
        cuts.push(end);
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(p.len())) {
        push_trimmed(p, start..cut, max_chars, &mut spans);
        start = cut;
    }
    spans
}

fn is_opening_straight_quote(p: &str, at: usize) -> bool {
    // A straight quote directly followed by a letter opens a quotation.
    p[at + 1..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

fn push_trimmed(p: &str, r: Range<usize>, max_chars: usize, out: &mut Vec<Range<usize>>) {
    let s = &p[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    let (mut start, end) = (r.start + lead, r.end - trail);
    while start < end {
        let piece = &p[start..end];
        if piece.chars().count() <= max_chars {
            out.push(start..end);
            return;
        }
        // Cut at the last space before the limit (or at the limit if there is none).
        let limit = piece
            .char_indices()
            .nth(max_chars)
            .map_or(piece.len(), |(b, _)| b);
        let cut = piece[..limit]
            .rfind(' ')
            .filter(|&b| b > 0)
            .unwrap_or(limit);
        out.push(start..start + cut);
        start += cut;
        start += p[start..end].len() - p[start..end].trim_start().len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(p: &str, want: &[&str]) {
        let ab = Abbreviations::from_words(["M", "Mme", "Gén", "col", "cf"]);
        let got: Vec<&str> = split(p, &ab, 2000).into_iter().map(|r| &p[r]).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn basic_rules() {
        case("Il pleut. Il vente.", &["Il pleut.", "Il vente."]);
        case(
            "M. Diop est venu. Le Gén. Traoré aussi.",
            &["M. Diop est venu.", "Le Gén. Traoré aussi."],
        );
        case("Selon J.-P. Sanou, rien.", &["Selon J.-P. Sanou, rien."]);
        case(
            "Il a 1,5 million. Et 1.5 aussi.",
            &["Il a 1,5 million.", "Et 1.5 aussi."],
        );
        case(
            "« Nous sommes partis. Ils ont tiré », a-t-il dit. Fin.",
            &["« Nous sommes partis. Ils ont tiré », a-t-il dit.", "Fin."],
        );
        case(
            "Ils ont (...) tiré. Puis rien...",
            &["Ils ont (...) tiré.", "Puis rien..."],
        );
        case("Quoi ? Non ! Si.", &["Quoi ?", "Non !", "Si."]);
        case("pas de majuscule. après", &["pas de majuscule. après"]);
    }

    #[test]
    fn long_sentences_are_cut_at_spaces() {
        let ab = Abbreviations::default();
        let p = "mot ".repeat(100);
        let spans = split(p.trim_end(), &ab, 80);
        assert!(spans.len() > 1);
        assert!(spans.iter().all(|r| p[r.clone()].chars().count() <= 80));
    }
}
