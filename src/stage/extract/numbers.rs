//! Quantities: the count phrases of the codebook's qualifier table. Digits ("1 200") and French
//! number words ("vingt et un", via text2num) give exact counts; the lexicon's modifiers bound
//! them ("au moins", "plus de"), its approximate nouns give "une vingtaine" / "des dizaines",
//! and its vague words give "plusieurs". Every quantity keeps its token span and rule id.

use std::borrow::Cow;

use text2num::{text2digits, Language};

use crate::reference::text::{Token, TokenKind};
use crate::reference::{Matches, Tag};

/// A count phrase in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Token range [start, end).
    pub start: usize,
    pub end: usize,
    pub low: Option<i64>,
    pub high: Option<i64>,
    pub qualifier: &'static str,
    /// The bare article "des": no count for a main group, vague 2 inside a subset.
    pub article: bool,
    /// "un"/"une" read as 1: only a count when a victim noun follows directly.
    pub weak: bool,
    pub rule: Cow<'static, str>,
}

thread_local! {
    /// text2num's verdict on single words, memoised: most words are not numbers, and asking
    /// text2num about each of them dominated extraction time.
    static WORD_VALUES: std::cell::RefCell<ahash::AHashMap<Box<str>, Option<i64>>> =
        std::cell::RefCell::new(ahash::AHashMap::new());
}

fn word_value(word: &str, fr: &Language) -> Option<i64> {
    WORD_VALUES.with(|cache| {
        if let Some(v) = cache.borrow().get(word) {
            return *v;
        }
        let v = text2digits(word, fr)
            .ok()
            .and_then(|d| d.parse::<i64>().ok());
        let mut cache = cache.borrow_mut();
        if cache.len() > 200_000 {
            cache.clear();
        }
        cache.insert(word.into(), v);
        v
    })
}

/// A plain number starting at token `i`: digits (with French thousands groups) or words.
/// Returns (value, end, is_word_one).
fn number_at(tokens: &[Token], i: usize, fr: &Language) -> Option<(i64, usize, bool)> {
    let t = tokens.get(i)?;
    match t.kind {
        TokenKind::Number => {
            if t.text.len() > 9 {
                return None;
            }
            let mut value: i64 = t.text.parse().ok()?;
            let mut end = i + 1;
            // "1 200", "12 500": a group of exactly three digits right after, one space apart.
            while let Some(n) = tokens.get(end) {
                let next_is_group = n.kind == TokenKind::Number
                    && n.text.len() == 3
                    && n.start == tokens[end - 1].end + 1
                    && value < 1000
                    && !tokens[end - 1].text.is_empty();
                if !next_is_group {
                    break;
                }
                value = value * 1000 + n.text.parse::<i64>().ok()?;
                end += 1;
            }
            // Decimals and dates ("1,5", "26.08.2024") are not head counts.
            if let Some(n) = tokens.get(end) {
                if matches!(n.text, "," | "." | "/" | ":" | "h")
                    && n.start == tokens[end - 1].end
                    && tokens
                        .get(end + 1)
                        .is_some_and(|x| x.kind == TokenKind::Number && x.start == n.end)
                {
                    return None;
                }
            }
            Some((value, end, false))
        }
        TokenKind::Word => {
            let single = word_value(&t.fold, fr)?;
            let mut best = (single, i + 1);
            let mut text = t.fold.to_string();
            for (j, tok) in tokens
                .iter()
                .enumerate()
                .take((i + 8).min(tokens.len()))
                .skip(i + 1)
            {
                // A compound number goes on only with number words and their joiners
                // ("vingt et un", "deux millions", "quatre-vingts"): asking text2num about
                // "une attaque" and its seven longer prefixes was most of extraction's time.
                let joiner = matches!(
                    tok.fold.as_ref(),
                    "et" | "cents" | "vingts" | "million" | "millions" | "milliard" | "milliards"
                );
                if tok.kind != TokenKind::Word || !(joiner || word_value(&tok.fold, fr).is_some()) {
                    break;
                }
                text.push(' ');
                text.push_str(&tok.fold);
                if let Ok(v) = text2digits(&text, fr) {
                    if let Ok(v) = v.parse::<i64>() {
                        best = (v, j + 1);
                    }
                }
            }
            let one = best.1 == i + 1 && matches!(t.fold.as_ref(), "un" | "une");
            Some((best.0, best.1, one))
        }
        TokenKind::Punct => None,
    }
}

/// An approximate noun ("vingtaine", "dizaines") starting at `i`, with an optional article.
fn approx_at(tokens: &[Token], tags: &Matches, i: usize) -> Option<Quantity> {
    let mut j = i;
    let mut singular_article = false;
    let mut plural_article = false;
    for m in tags.at(i).iter() {
        match m.tag {
            Tag::SingularArticle => {
                singular_article = true;
                j = m.end;
            }
            Tag::PluralArticle => {
                plural_article = true;
                j = j.max(m.end);
            }
            _ => {}
        }
    }
    let noun = tags.at(j).iter().find_map(|m| match m.tag {
        Tag::Approx {
            value,
            plural,
            plural_low,
        } => Some((value, plural, plural_low, m.end)),
        _ => None,
    })?;
    let (value, plural, plural_low, end) = noun;
    let _ = tokens;
    if plural {
        Some(Quantity {
            start: i,
            end,
            low: Some(plural_low),
            high: None,
            qualifier: "vague",
            article: false,
            weak: false,
            rule: "q-approx-plural".into(),
        })
    } else if singular_article || j == i {
        let _ = plural_article;
        Some(Quantity {
            start: i,
            end,
            low: Some(value),
            high: Some(value),
            qualifier: "approx",
            article: false,
            weak: false,
            rule: "q-approx-noun".into(),
        })
    } else {
        None
    }
}

/// The core amount at `i`: a number, an approximate noun or a vague word.
fn core_at(
    tokens: &[Token],
    tags: &Matches,
    i: usize,
    fr: &Language,
    rules: &[&'static str],
) -> Option<Quantity> {
    if let Some(q) = approx_at(tokens, tags, i) {
        return Some(q);
    }
    for m in tags.at(i).iter() {
        if let Tag::Vague { low, article, rule } = m.tag {
            // "des" before an approximate noun was handled above.
            return Some(Quantity {
                start: i,
                end: m.end,
                low: Some(low),
                high: None,
                qualifier: if article { "none" } else { "vague" },
                article,
                weak: false,
                rule: Cow::Borrowed(rules[rule]),
            });
        }
    }
    let (value, end, weak) = number_at(tokens, i, fr)?;
    Some(Quantity {
        start: i,
        end,
        low: Some(value),
        high: Some(value),
        qualifier: "exact",
        article: false,
        weak,
        rule: if tokens[i].kind == TokenKind::Number {
            "q-digits".into()
        } else {
            "q-words".into()
        },
    })
}

/// A core a modifier can bound: a number or an approximate noun, not a vague word.
fn is_bounded_core(q: &Quantity) -> bool {
    matches!(q.qualifier, "exact" | "approx")
}

/// Every quantity in a sentence, left to right, non-overlapping.
pub fn find(tokens: &[Token], matches: &Matches, rules: &[&'static str]) -> Vec<Quantity> {
    FRENCH.with(|fr| find_with(tokens, matches, rules, fr))
}

thread_local! {
    static FRENCH: Language = Language::french();
}

fn find_with(
    tokens: &[Token],
    tags: &Matches,
    rules: &[&'static str],
    fr: &Language,
) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(q) = quantity_at(tokens, tags, i, fr, rules) {
            i = q.end.max(i + 1);
            out.push(q);
        } else {
            i += 1;
        }
    }
    out
}

fn quantity_at(
    tokens: &[Token],
    tags: &Matches,
    i: usize,
    fr: &Language,
    rules: &[&'static str],
) -> Option<Quantity> {
    // Range: "entre 10 et 15", "de 15 à 20".
    for m in tags
        .at(i)
        .iter()
        .filter(|m| matches!(m.tag, Tag::RangeOpen))
    {
        if let Some(q) = range_from(tokens, tags, m.end, fr).map(|mut q| {
            q.start = i;
            q
        }) {
            return Some(q);
        }
    }
    // Modifier + core: "au moins 15", "plus de 50", "près de 60", "au moins une vingtaine".
    for m in tags.at(i).iter() {
        if let Tag::Modifier {
            qualifier,
            offset,
            rule,
        } = m.tag
        {
            // "un"/"une" count here too ("moins d'un civil", "au moins un soldat"), still weak:
            // a count only when a victim noun follows directly, as without the modifier.
            if let Some(core) = core_at(tokens, tags, m.end, fr, rules).filter(is_bounded_core) {
                // No count is below zero: "moins de 0" bounds the count as "moins de 1" does,
                // at most 0 (docs/CODEBOOK.md, qualifier table).
                let value = (core.low.unwrap_or(0) + offset).max(0);
                let (low, high) = match qualifier {
                    "at_least" => (Some(value), None),
                    "at_most" => (None, Some(value)),
                    _ => (Some(value), Some(value)),
                };
                return Some(Quantity {
                    start: i,
                    end: core.end,
                    low,
                    high,
                    qualifier,
                    article: false,
                    weak: core.weak,
                    rule: Cow::Owned(format!("{}+{}", rules[rule], core.rule)),
                });
            }
        }
    }
    let core = core_at(tokens, tags, i, fr, rules)?;
    // Bare range: "10 à 15 combattants".
    if core.qualifier == "exact" && !core.weak {
        if let Some(q) = range_from(tokens, tags, i, fr) {
            return Some(q);
        }
    }
    Some(core)
}

fn range_from(tokens: &[Token], tags: &Matches, i: usize, fr: &Language) -> Option<Quantity> {
    let (a, end_a, weak_a) = number_at(tokens, i, fr)?;
    let join = tags
        .at(end_a)
        .iter()
        .find(|m| matches!(m.tag, Tag::RangeJoin))?;
    let (b, end_b, _) = number_at(tokens, join.end, fr)?;
    if weak_a || b <= a {
        return None;
    }
    Some(Quantity {
        start: i,
        end: end_b,
        low: Some(a),
        high: Some(b),
        qualifier: "range",
        article: false,
        weak: false,
        rule: "q-range".into(),
    })
}
