//! normalise: decoded texts -> normalised texts, `sentences`, and `documents` with sentence
//! counts.
//!
//! Typography is unified (see [`text`]), paragraphs are kept (separated by one blank line), and
//! each paragraph is cut into sentences by a French-aware splitter (see [`segment`]). Offsets
//! are Unicode code points into the normalised text; `text[char_start..char_end]` is always the
//! sentence, and normalising an already normalised text changes nothing.

pub mod segment;
pub mod text;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::config::NormaliseConfig;
use crate::progress::Progress;
use crate::table::{Document, DocumentText, NormalisedText, Sentence};

pub use segment::Abbreviations;

pub const LOGIC_VERSION: u32 = 1;

pub struct Input {
    pub documents: Vec<Document>,
    pub texts: Vec<DocumentText>,
    pub abbreviations: Abbreviations,
}

pub struct Output {
    pub documents: Vec<Document>,
    pub texts: Vec<NormalisedText>,
    pub sentences: Vec<Sentence>,
}

/// Normalises one document and splits it into sentences.
pub fn normalise_document(
    cfg: &NormaliseConfig,
    abbreviations: &Abbreviations,
    doc_id: &str,
    raw: &str,
) -> (NormalisedText, Vec<Sentence>) {
    let normalised = text::normalise(raw);
    let mut sentences = Vec::new();
    let mut char_base = 0usize;
    for (paragraph, para) in normalised.split("\n\n").enumerate() {
        for span in segment::split(para, abbreviations, cfg.max_sentence_chars) {
            let start = char_base + para[..span.start].chars().count();
            let text = &para[span.clone()];
            let end = start + text.chars().count();
            sentences.push(Sentence {
                doc_id: doc_id.to_string(),
                index: sentences.len() as i64,
                paragraph: paragraph as i64,
                char_start: start as i64,
                char_end: end as i64,
                text: text.to_string(),
            });
        }
        char_base += para.chars().count() + 2;
    }
    (
        NormalisedText {
            doc_id: doc_id.to_string(),
            text: normalised,
        },
        sentences,
    )
}

/// Runs the stage.
pub fn run(cfg: &NormaliseConfig, input: Input, progress: &Progress) -> Output {
    let bar = progress.bar("normalise", "documents", input.texts.len() as u64);
    let results: Vec<(NormalisedText, Vec<Sentence>)> = input
        .texts
        .par_iter()
        .map(|t| {
            let r = normalise_document(cfg, &input.abbreviations, &t.doc_id, &t.text);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    let counts: BTreeMap<&str, i64> = results
        .iter()
        .map(|(t, s)| (t.doc_id.as_str(), s.len() as i64))
        .collect();
    let documents = input
        .documents
        .iter()
        .map(|d| Document {
            n_sentences: counts.get(d.doc_id.as_str()).copied().or(Some(0)),
            ..d.clone()
        })
        .collect();
    let mut texts = Vec::with_capacity(results.len());
    let mut sentences = Vec::new();
    for (t, s) in results {
        texts.push(t);
        sentences.extend(s);
    }
    Output {
        documents,
        texts,
        sentences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn abbreviations() -> Abbreviations {
        Abbreviations::from_words(["M", "Mme", "Gén", "col", "cf", "Dr"])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn offsets_are_exact_and_normalising_is_idempotent(raw in "(\\PC|[\n\r\t\u{a0}\u{200b}\u{202e}«»“”’.!?…])*") {
            let cfg = NormaliseConfig::default();
            let (norm, sentences) = normalise_document(&cfg, &abbreviations(), "d", &raw);
            let chars: Vec<char> = norm.text.chars().collect();
            for s in &sentences {
                let cut: String = chars[s.char_start as usize..s.char_end as usize].iter().collect();
                prop_assert_eq!(&cut, &s.text);
                prop_assert!(!s.text.is_empty());
            }
            prop_assert_eq!(text::normalise(&norm.text), norm.text.clone());
        }

        #[test]
        fn french_like_text(words in proptest::collection::vec("(M\\.|Mme|Gén\\.|« |» |\\.\\.\\.|[A-Z][a-zé]{0,6}[.?!]?|[a-zé]{1,8}|[0-9]{1,3}[.,][0-9]|\n\n?|- )", 0..60)) {
            let raw = words.join(" ");
            let cfg = NormaliseConfig::default();
            let (norm, sentences) = normalise_document(&cfg, &abbreviations(), "d", &raw);
            let chars: Vec<char> = norm.text.chars().collect();
            for s in &sentences {
                let cut: String = chars[s.char_start as usize..s.char_end as usize].iter().collect();
                prop_assert_eq!(&cut, &s.text);
            }
            prop_assert_eq!(text::normalise(&norm.text), norm.text.clone());
        }
    }
}
