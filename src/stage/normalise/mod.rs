//! normalise: decoded texts -> normalised texts, `sentences`, and `documents` with sentence
//! counts.
//!
//! Typography is unified (see [`text`]), paragraphs are kept (separated by one blank line), and
//! each paragraph is cut into sentences by a French-aware splitter (see [`segment`]). Offsets
//! are Unicode code points into the normalised text; `text[char_start..char_end]` is always the
//! sentence, and normalising an already normalised text changes nothing.

pub mod segment;
pub mod text;

use std::collections::HashMap;

use rayon::prelude::*;

use super::parts::{self, Part};
use crate::config::NormaliseConfig;
use crate::error::TableError;
use crate::progress::Progress;
use crate::table::{Document, DocumentText, NormalisedText, Row, Sentence};

pub use segment::Abbreviations;

pub const LOGIC_VERSION: u32 = 2;

pub struct Input {
    pub documents: Vec<Document>,
    pub texts: Vec<DocumentText>,
    pub abbreviations: Abbreviations,
}

pub struct Output {
    pub documents: Vec<Document>,
    /// The parts of the `normalised` and `sentences` tables (parted alike), in order; a
    /// part's signature is the stage's salt and each of its texts' id and digest.
    pub parts: Vec<Part>,
}

/// What the writer receives, in order: a part's name, then its documents' rows.
pub enum NormaliseOut {
    /// The documents that follow, until the next `Part`, are this part's.
    Part(String),
    /// One document's normalised text and sentences.
    Document(NormalisedText, Vec<Sentence>),
}

/// Texts normalised together before they are handed on: bounds memory, keeps both cores busy.
/// A chunk holds whole parts, at least this many texts unless the corpus ends.
const CHUNK_DOCUMENTS: usize = 2048;

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
        // Code points are counted from the previous sentence on, not from the paragraph's
        // start: a one-line megabyte article stays linear.
        let (mut byte_at, mut char_at) = (0usize, 0usize);
        for span in segment::split(para, abbreviations, cfg.max_sentence_chars) {
            if span.start >= byte_at {
                char_at += para[byte_at..span.start].chars().count();
            } else {
                char_at = para[..span.start].chars().count();
            }
            byte_at = span.start;
            let start = char_base + char_at;
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

/// Runs the stage. Texts are processed in doc_id order, in chunks of whole parts
/// ([`parts::part_of`]); for each part `keep(name, signature)` says whether its files from the
/// previous run still hold. A kept part's texts are not normalised again: their sentence
/// counts are taken from `previous` (the counts the previous run gave, by doc_id), and a part
/// with a text `previous` does not know is never kept. Each other part's name and then its
/// documents' normalised text and sentences go to `emit`, on its own thread, as soon as its
/// chunk is done, so neither table is ever held whole and the next chunk is normalised while
/// the last one is written. `salt` is everything but the text that shapes the result (code
/// version, `[normalise]` section, abbreviations).
pub fn run<E: Send + From<TableError>>(
    cfg: &NormaliseConfig,
    input: Input,
    salt: &str,
    previous: &HashMap<String, i64>,
    progress: &Progress,
    keep: impl Fn(&str, &str) -> bool,
    emit: impl FnMut(NormaliseOut) -> Result<(), E> + Send,
) -> Result<Output, E> {
    let Input {
        documents,
        mut texts,
        abbreviations,
    } = input;
    texts.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    let ranges = parts::ranges(Sentence::TABLE, texts.iter().map(|t| t.doc_id.as_str()))?;
    let bar = progress.bar("normalise", "documents", texts.len() as u64);
    let mut counts: HashMap<String, i64> = HashMap::with_capacity(texts.len());
    let mut done_parts = Vec::with_capacity(ranges.len());
    std::thread::scope(|scope| {
        // The channel holds at most one chunk's documents.
        let (tx, writer) = super::sink_thread(scope, CHUNK_DOCUMENTS, emit);
        'chunks: for chunk in parts::chunks(&ranges, CHUNK_DOCUMENTS) {
            let first = chunk[0].1.start;
            let of_chunk = &texts[first..chunk[chunk.len() - 1].1.end];
            let digests: Vec<String> = of_chunk
                .par_iter()
                .map(|t| blake3::hash(t.text.as_bytes()).to_hex().to_string())
                .collect();
            let (chunk_parts, normalise) = parts::decide(
                chunk,
                |local| {
                    let items = of_chunk[local.clone()]
                        .iter()
                        .zip(&digests[local])
                        .flat_map(|(t, d)| [t.doc_id.as_str(), d.as_str()]);
                    parts::signature(std::iter::once(salt).chain(items))
                },
                |name, signature, local| {
                    of_chunk[local]
                        .iter()
                        .all(|t| previous.contains_key(&t.doc_id))
                        && keep(name, signature)
                },
            );
            for (local, _) in chunk_parts.iter().filter(|(_, p)| p.kept) {
                for t in &of_chunk[local.clone()] {
                    counts.insert(t.doc_id.clone(), previous[&t.doc_id]);
                }
                bar.inc(local.len() as u64);
            }
            let mut results: Vec<Option<(NormalisedText, Vec<Sentence>)>> = of_chunk
                .par_iter()
                .zip(normalise)
                .map(|(t, normalise)| {
                    normalise.then(|| {
                        let r = normalise_document(cfg, &abbreviations, &t.doc_id, &t.text);
                        bar.inc(1);
                        r
                    })
                })
                .collect();
            for (local, part) in chunk_parts {
                if !part.kept {
                    if tx.send(NormaliseOut::Part(part.name.clone())).is_err() {
                        // The writer stopped on an error, which its join returns.
                        break 'chunks;
                    }
                    for (t, s) in results[local].iter_mut().filter_map(Option::take) {
                        counts.insert(t.doc_id.clone(), s.len() as i64);
                        if tx.send(NormaliseOut::Document(t, s)).is_err() {
                            break 'chunks;
                        }
                    }
                }
                done_parts.push(part);
            }
        }
        drop(tx);
        super::joined(writer)
    })?;
    bar.finish_and_clear();
    let documents = documents
        .into_iter()
        .map(|d| Document {
            n_sentences: counts.get(d.doc_id.as_str()).copied().or(Some(0)),
            ..d
        })
        .collect();
    Ok(Output {
        documents,
        parts: done_parts,
    })
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
