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

use super::parts::{self, Part, PartFile};
use crate::config::NormaliseConfig;
use crate::error::TableError;
use crate::progress::Progress;
use crate::table::{Document, DocumentText, NormalisedText, Sentence};

pub use segment::Abbreviations;

pub const LOGIC_VERSION: u32 = 2;

pub struct Input {
    pub documents: Vec<Document>,
    /// Ingest's `texts` table, by part, in order; each part is read only if it is normalised.
    pub texts: Vec<PartFile>,
    pub abbreviations: Abbreviations,
}

pub struct Output {
    pub documents: Vec<Document>,
    /// The parts of the `normalised` and `sentences` tables (parted alike), in order; a
    /// part's signature is the stage's salt and the digest of ingest's part of `texts`.
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

/// Runs the stage, part by part of ingest's `texts` table: for each part `keep(name,
/// signature)` says whether its files from the previous run still hold. A kept part is not
/// read: its documents' sentence counts are taken from `previous` (the counts the previous
/// run gave, by doc_id). The texts of every other part are read with `load`, normalised on
/// every core in chunks of whole parts, and its name and then its documents' normalised text
/// and sentences go to `emit`, on its own thread, as soon as its chunk is done, so neither
/// table is ever held whole and the next chunk is normalised while the last one is written.
/// `salt` is everything but the text that shapes the result (code version, `[normalise]`
/// section, abbreviations). Adding one article to a large corpus reads, decodes and
/// normalises the one part it falls in.
#[allow(clippy::too_many_arguments)]
pub fn run<E: Send + From<TableError>>(
    cfg: &NormaliseConfig,
    input: Input,
    salt: &str,
    previous: &HashMap<String, i64>,
    progress: &Progress,
    keep: impl Fn(&str, &str) -> bool,
    load: impl Fn(&PartFile) -> Result<Vec<DocumentText>, E>,
    emit: impl FnMut(NormaliseOut) -> Result<(), E> + Send,
) -> Result<Output, E> {
    let Input {
        documents,
        texts: text_parts,
        abbreviations,
    } = input;
    let decided: Vec<Part> = text_parts
        .iter()
        .map(|t| {
            let signature = parts::signature([salt, t.digest.as_str()]);
            // Without the previous counts a part cannot be kept.
            let kept = !previous.is_empty() && keep(&t.name, &signature);
            Part {
                name: t.name.clone(),
                signature,
                kept,
            }
        })
        .collect();
    let mut counts: HashMap<String, i64> = HashMap::new();
    // The kept parts' documents (whether or not they have a text: the previous run counted
    // those without as 0, as this one does) keep their counts.
    let kept: std::collections::HashSet<&str> = decided
        .iter()
        .filter(|p| p.kept)
        .map(|p| p.name.as_str())
        .collect();
    if let Some(digits) = text_parts.iter().map(|t| parts::digits_of(&t.name)).max() {
        for d in &documents {
            if kept.contains(parts::part_of(&d.doc_id, digits).as_str()) {
                if let Some(n) = previous.get(&d.doc_id) {
                    counts.insert(d.doc_id.clone(), *n);
                }
            }
        }
    }
    let bar = progress.bar(
        "normalise",
        "parts",
        decided.iter().filter(|p| !p.kept).count() as u64,
    );
    let mut done_parts = Vec::with_capacity(decided.len());
    std::thread::scope(|scope| {
        // The channel holds at most one chunk's documents.
        let (tx, writer) = super::sink_thread(scope, CHUNK_DOCUMENTS, emit);
        let mut pending = decided.into_iter().zip(&text_parts).peekable();
        'chunks: while pending.peek().is_some() {
            // A chunk: whole parts, kept ones included, until enough texts are read.
            let mut chunk: Vec<(Part, Vec<DocumentText>)> = Vec::new();
            let mut n = 0;
            while n < CHUNK_DOCUMENTS {
                let Some((part, file)) = pending.next() else {
                    break;
                };
                let mut texts = if part.kept { Vec::new() } else { load(file)? };
                texts.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
                n += texts.len();
                chunk.push((part, texts));
            }
            let mut results: Vec<Vec<(NormalisedText, Vec<Sentence>)>> = chunk
                .iter()
                .map(|(_, texts)| {
                    texts
                        .par_iter()
                        .map(|t| normalise_document(cfg, &abbreviations, &t.doc_id, &t.text))
                        .collect()
                })
                .collect();
            for ((part, _), done) in chunk.into_iter().zip(&mut results) {
                if !part.kept {
                    if tx.send(NormaliseOut::Part(part.name.clone())).is_err() {
                        // The writer stopped on an error, which its join returns.
                        break 'chunks;
                    }
                    for (t, s) in done.drain(..) {
                        counts.insert(t.doc_id.clone(), s.len() as i64);
                        if tx.send(NormaliseOut::Document(t, s)).is_err() {
                            break 'chunks;
                        }
                    }
                    bar.inc(1);
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
