//! extract: normalised sentences -> `mentions`, `incidents`, `claims`, and `documents` with
//! publication dates inferred where the corpus gave none.
//!
//! Per document: every sentence is tokenised and scanned once against the lexicons; quantities,
//! claims, attributions, dates and places are read per sentence ([`numbers`], [`claims`],
//! [`sources`], [`dates`], [`places`]); places are then disambiguated over the whole article,
//! sentences become event frames (trigger, place, date) and frames that agree are merged into
//! the article's incidents, which the claims attach to (`frames.rs`); the rows are then built
//! (`emit.rs`). Documents are independent, so they are
//! processed in parallel and the rows sorted by key afterwards. Each document's result is
//! cached by a key of its row and sentences ([`cache`]); the sentences are read part by part
//! (`sentences.rs`), and only where the keys of a part's documents are not remembered
//! ([`memo`]).

pub mod cache;
pub mod claims;
pub mod dates;
mod emit;
mod frames;
pub mod memo;
pub mod numbers;
pub mod places;
mod sentences;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::ToSpan;
use rayon::prelude::*;

use super::parts::{self, Part, PartFile};
use crate::config::ExtractConfig;
use crate::digest::short_id;
use crate::error::TableError;
use crate::progress::Progress;
use crate::reference::text::{span_text, tokenize, Token, TokenKind};
use crate::reference::{Matches, Reference, Tag};
use crate::table::{csv_body, Claim, Document, Incident, Mention, Row, Sentence};

use claims::SentenceClaim;
use dates::{Anchor, DateSpan};
use places::{CountryMention, PlaceMention, Resolved};
use sources::Attribution;

use emit::*;
use frames::*;
pub use sentences::Sentences;
use sentences::{sentences_of, Recalled};

pub const LOGIC_VERSION: u32 = 8;

pub struct Input {
    pub documents: Vec<Document>,
    pub sentences: Sentences,
}

pub struct Output {
    pub documents: Vec<Document>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
    /// The parts of the mentions table, in order; a part's signature is its documents' cache
    /// keys.
    pub parts: Vec<Part>,
    pub cache: cache::Stats,
    /// Of the sentences table's parts, how many were read (for the keys of their documents,
    /// or for a document whose cache entry failed its check), and how many there are.
    pub sentence_parts: (usize, usize),
}

/// What the mentions writer receives, in order: a part's name, then its rows.
pub enum MentionsOut {
    /// The rows that follow, until the next `Part`, are this part's.
    Part(String),
    /// One document's mentions in key order, with their CSV lines ([`csv_body`]) when already
    /// encoded.
    Rows(Vec<Mention>, Option<Vec<u8>>),
}

/// Documents extracted together before their mentions are handed on: bounds memory while
/// keeping both cores busy. A chunk holds whole parts, at least this many documents unless
/// the corpus ends.
const CHUNK_DOCUMENTS: usize = 2048;

/// Everything read from one sentence.
struct Work<'a> {
    row: &'a Sentence,
    tokens: Vec<Token<'a>>,
    matches: Matches,
    quantities: Vec<numbers::Quantity>,
    claims: Vec<SentenceClaim>,
    attributions: Vec<Attribution>,
    dates: Vec<DateSpan>,
    places: Vec<PlaceMention>,
    countries: Vec<CountryMention>,
    recall: bool,
}

/// The extraction of one document.
#[derive(Default)]
pub struct DocExtract {
    pub document: Option<Document>,
    pub mentions: Vec<Mention>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
}

/// One document's result in a chunk: its cache key, whether the cache served it, its new
/// cache entry, its rows, and its mentions' CSV lines.
type Served = (
    String,
    bool,
    Option<cache::Entry>,
    DocExtract,
    Option<Vec<u8>>,
);

/// Runs the stage. Documents whose key is in `cache` are taken from it; the others are
/// extracted and stored; entries of documents no longer in the corpus are pruned.
///
/// Mentions, by far the largest table, are stored in parts ([`parts::part_of`]) and not collected:
/// for each part `keep(name, signature)` says whether the part's files from the previous run
/// still hold (the same signature, files intact); if not, the part's name and then each of
/// its documents' mentions go to `mentions`, in primary-key order, as soon as its chunk is
/// done. A kept part's documents are served from the cache without their mentions, so adding
/// one article to a large corpus decodes and writes the mentions of one part. A part of the
/// sentences table is read with `read` only when the keys of its documents are not
/// remembered ([`memo`]) or one of them must be extracted.
#[allow(clippy::too_many_arguments)]
pub fn run<E: Send + From<TableError>>(
    cfg: &ExtractConfig,
    refs: &Reference,
    input: Input,
    cache: cache::Cache,
    progress: &Progress,
    keep: impl Fn(&str, &str) -> bool,
    read: impl Fn(&PartFile) -> Result<Vec<u8>, E> + Sync,
    mentions: impl FnMut(MentionsOut) -> Result<(), E> + Send,
) -> Result<Output, E> {
    let Input {
        mut documents,
        sentences,
    } = input;
    documents.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    let parts = parts::ranges(Mention::TABLE, documents.iter().map(|d| d.doc_id.as_str()))?;
    let bar = progress.bar("extract", "documents", documents.len() as u64);
    let mut out = Output {
        documents: Vec::with_capacity(documents.len()),
        incidents: Vec::new(),
        claims: Vec::new(),
        parts: Vec::with_capacity(parts.len()),
        cache: cache::Stats::default(),
        sentence_parts: (0, sentences.parts.len()),
    };
    // Each document's row as its key includes it, and that row's digest as the memo has it.
    let rows_csv: Vec<Vec<u8>> = documents.par_iter().map(cache::row_csv).collect();
    let row_digests: Vec<[u8; 32]> = rows_csv.par_iter().map(|c| memo::row_digest(c)).collect();
    let position: std::collections::HashMap<&str, usize> = documents
        .iter()
        .enumerate()
        .map(|(i, d)| (d.doc_id.as_str(), i))
        .collect();
    let recalled = Recalled::new(
        &sentences,
        &memo::Memo::load(cache.dir(), cache.salt()),
        |l| match (position.get(l.doc_id.as_str()), &l.known) {
            (Some(&i), Some((row, key))) => row_digests[i] == *row && cache.contains(key),
            (None, None) => true,
            _ => false,
        },
    );
    out.sentence_parts.0 = recalled.skip.iter().filter(|s| !**s).count();
    // Parts skipped but read after all, for a document whose entry did not read back intact.
    let mut reread = BTreeSet::new();
    let mut keys: Vec<Option<String>> = vec![None; documents.len()];
    // Mentions are written by their own thread while the next chunk is extracted; the
    // channel holds at most one chunk's documents, which bounds memory.
    let (written, finished) = std::thread::scope(|scope| {
        let (tx, writer) = super::sink_thread(scope, CHUNK_DOCUMENTS, mentions);
        // Sentences are decoded by their own thread, at most a chunk ahead of extraction.
        let (stx, srx) = std::sync::mpsc::sync_channel(CHUNK_DOCUMENTS);
        let (sentences, skip, read) = (&sentences, &recalled.skip, &read);
        let decoder =
            scope.spawn(move || sentences.by_document(skip, read, |group| stx.send(group).is_ok()));
        let mut groups = srx.into_iter().peekable();
        let mut failed: Option<E> = None;
        'chunks: for chunk in parts::chunks(&parts, CHUNK_DOCUMENTS) {
            let first = chunk[0].1.start;
            let docs = &documents[first..chunk[chunk.len() - 1].1.end];
            // Sentences of the documents whose keys are not remembered (`None` for the others).
            let mut of_chunk: Vec<Option<Vec<Sentence>>> = Vec::with_capacity(docs.len());
            for doc in docs {
                if recalled.keys.contains_key(&doc.doc_id) {
                    of_chunk.push(None);
                    continue;
                }
                match sentences_of(&mut groups, &doc.doc_id) {
                    Ok(rows) => of_chunk.push(Some(rows)),
                    Err(e) => {
                        failed = Some(e);
                        break 'chunks;
                    }
                }
            }
            // Keys first, in parallel: a part's signature is made of its documents' keys,
            // and whether it is kept decides what each of its documents needs.
            let doc_keys: Vec<String> = docs
                .par_iter()
                .zip(&mut of_chunk)
                .zip(&rows_csv[first..first + docs.len()])
                .map(|((doc, rows), row_csv)| match rows {
                    None => recalled.keys[&doc.doc_id].0.clone(),
                    Some(rows) => {
                        rows.sort_by_key(|s| s.index);
                        cache.key(row_csv, rows)
                    }
                })
                .collect();
            let (chunk_parts, build) = parts::decide(
                chunk,
                |local| parts::signature(&doc_keys[local]),
                |name, signature, _| keep(name, signature),
            );
            // Each document is extracted (or served) and its new cache entry encoded in
            // parallel; entries are stored in document order, so the cache's bytes do not
            // depend on the number of threads either. A document's mention rows are encoded
            // as CSV once, here in parallel, for both its cache entry and the table; a cached
            // document brings them encoded.
            let served: Vec<Option<Served>> = docs
                .par_iter()
                .zip(&of_chunk)
                .zip(doc_keys.par_iter().zip(&build))
                .map(|((doc, rows), (key, &build))| {
                    let served = serve_cached(&cache, key, build).or_else(|| {
                        let rows = rows.as_deref()?;
                        Some(serve_extracted(cfg, refs, doc, rows, key.clone(), build))
                    });
                    bar.inc(1);
                    served
                })
                .collect();
            // A document whose key was remembered but whose entry did not read back intact
            // is extracted from its sentences, read now.
            let mut results: Vec<Served> = Vec::with_capacity(docs.len());
            for (local, s) in served.into_iter().enumerate() {
                let doc = &docs[local];
                let s = match s {
                    Some(s) => s,
                    None => match recalled.sentences(sentences, &doc.doc_id, read) {
                        Ok(found) => {
                            let rows = match found {
                                Some((part, rows)) => {
                                    reread.insert(part);
                                    rows
                                }
                                None => Vec::new(),
                            };
                            serve_extracted(
                                cfg,
                                refs,
                                doc,
                                &rows,
                                doc_keys[local].clone(),
                                build[local],
                            )
                        }
                        Err(e) => {
                            failed = Some(e);
                            break 'chunks;
                        }
                    },
                };
                results.push(s);
            }
            for (slot, key) in keys[first..first + docs.len()].iter_mut().zip(doc_keys) {
                *slot = Some(key);
            }
            let mut results = results.into_iter();
            for (local, part) in chunk_parts {
                if !part.kept && tx.send(MentionsOut::Part(part.name.clone())).is_err() {
                    // The writer stopped on an error, which its join returns.
                    break 'chunks;
                }
                for (key, hit, entry, r, csv) in results.by_ref().take(local.len()) {
                    if hit {
                        out.cache.hits += 1;
                    } else {
                        out.cache.misses += 1;
                    }
                    if let Some(entry) = entry {
                        cache.put_encoded(&key, &entry);
                    }
                    out.documents.extend(r.document);
                    out.incidents.extend(r.incidents);
                    out.claims.extend(r.claims);
                    if !part.kept && tx.send(MentionsOut::Rows(r.mentions, csv)).is_err() {
                        break 'chunks;
                    }
                }
                out.parts.push(part);
            }
        }
        drop(tx);
        // The decoder stops at its next send once nothing receives.
        drop(groups);
        let finished = super::joined(decoder);
        let written = super::joined(writer);
        let written = match failed {
            Some(e) => Err(e),
            None => written,
        };
        (written, finished)
    });
    bar.finish_and_clear();
    written?;
    out.sentence_parts.0 += reread.len();
    // The memo of this run: the parts skipped as they were remembered, the parts read as
    // they were found, each document listed with its row's digest and its key.
    let mut listed: Vec<Option<Vec<memo::Listed>>> = recalled.listed;
    for (index, ids) in finished {
        let docs = ids
            .into_iter()
            .map(|doc_id| {
                let known = position
                    .get(doc_id.as_str())
                    .and_then(|&i| Some((row_digests[i], keys[i].clone()?)));
                memo::Listed { doc_id, known }
            })
            .collect();
        listed[index] = Some(docs);
    }
    let remembered = sentences
        .parts
        .iter()
        .zip(listed)
        .filter_map(|(part, docs)| Some((part.digest.clone(), docs?)))
        .collect();
    let dir = cache.dir().to_path_buf();
    let salt = cache.salt().to_string();
    cache.finish(&keys.into_iter().flatten().collect());
    memo::Memo::save(&dir, &salt, remembered);
    Ok(out)
}

/// One document's result from the cache (with its mentions when `mentions`), if its entry is
/// there and intact. Without `mentions` the document's part is kept as it is.
fn serve_cached(cache: &cache::Cache, key: &str, mentions: bool) -> Option<Served> {
    let (r, csv) = if mentions {
        cache.get(key).map(|(r, csv)| (r, Some(csv)))?
    } else {
        (cache.get_rows(key)?, None)
    };
    Some((key.to_string(), true, None, r, csv))
}

/// One document extracted, with the cache entry to store. Without `mentions` the mentions are
/// dropped: the document's part is kept as it is.
fn serve_extracted(
    cfg: &ExtractConfig,
    refs: &Reference,
    doc: &Document,
    rows: &[Sentence],
    key: String,
    mentions: bool,
) -> Served {
    let sentences: Vec<&Sentence> = rows.iter().collect();
    let mut r = extract_document(cfg, refs, doc, &sentences);
    r.mentions.sort_by(|a, b| a.key_cmp(b));
    // Rows that fail to encode (never expected) are neither cached nor pre-encoded: the
    // table's writer reports them.
    let csv = csv_body(&r.mentions).ok();
    let entry = csv.as_ref().and_then(|csv| cache::encode(&r, csv));
    if !mentions {
        r.mentions = Vec::new();
    }
    (key, false, entry, r, csv.filter(|_| mentions))
}

fn published_anchor(doc: &Document) -> Option<(Date, i64)> {
    Some((doc.published?, doc.published_prec.unwrap_or(1)))
}

/// Extracts one document; a document that is not usable or not in a configured language
/// yields only its `documents` row.
pub fn extract_document(
    cfg: &ExtractConfig,
    refs: &Reference,
    doc: &Document,
    sentences: &[&Sentence],
) -> DocExtract {
    let mut doc = doc.clone();
    let lang_ok = doc
        .language
        .as_deref()
        .is_none_or(|l| cfg.languages.iter().any(|x| x == l));
    if doc.status != "ok" || !lang_ok || sentences.is_empty() {
        return DocExtract {
            document: Some(doc),
            ..Default::default()
        };
    }
    let lex = &refs.lexicon;
    let mut work: Vec<Work<'_>> = sentences
        .iter()
        .map(|row| {
            let tokens = tokenize(&row.text);
            let matches = lex.scan(&tokens);
            Work {
                row,
                quantities: Vec::new(),
                claims: Vec::new(),
                attributions: Vec::new(),
                dates: Vec::new(),
                places: Vec::new(),
                countries: Vec::new(),
                // "avait répliqué", "avaient déjà tué" recall the past; "il y avait" does not.
                recall: matches.iter().any(|m| {
                    matches!(m.tag, Tag::RecallMarker)
                        && !(m.start > 0 && tokens[m.start - 1].fold == "y")
                }),
                tokens,
                matches,
            }
        })
        .collect();
    // The publication date anchors relative dates; infer it from the text when missing.
    let year_hint = work
        .iter()
        .flat_map(|w| w.tokens.iter())
        .filter(|t| t.kind == TokenKind::Number && t.text.len() == 4)
        .filter_map(|t| t.text.parse::<i16>().ok())
        .filter(|y| (1990..=2100).contains(y))
        .max();
    if doc.published.is_none() {
        let bare = Anchor {
            published: None,
            year_hint,
        };
        let latest = work
            .iter()
            .flat_map(|w| dates::find(&w.tokens, &w.matches, &bare))
            .filter(|d| d.prec == 1)
            .map(|d| d.last)
            .max();
        if let Some(d) = latest {
            doc.published = Some(d);
            doc.published_prec = Some(1);
            doc.published_source = Some("inferred".into());
        }
    }
    let anchor = Anchor {
        published: published_anchor(&doc),
        year_hint,
    };
    for w in &mut work {
        w.quantities = numbers::find(&w.tokens, &w.matches, &lex.rules);
        w.claims = claims::find(lex, &w.tokens, &w.matches, &w.quantities, cfg.max_count);
        w.attributions = sources::find(lex, &w.row.text, &w.tokens, &w.matches);
        w.dates = dates::find(&w.tokens, &w.matches, &anchor);
        let (p, c) = places::find(&refs.gazetteer, lex, &w.row.text, &w.tokens, &w.matches);
        w.places = p;
        w.countries = c;
    }
    // Places, resolved over the whole article.
    let mut country_counts: BTreeMap<String, usize> = BTreeMap::new();
    for w in &work {
        for c in &w.countries {
            *country_counts.entry(c.iso3.clone()).or_default() += 1;
        }
        for m in &w.matches {
            if let Tag::Actor(a) = m.tag {
                let c = &lex.actors[a].country;
                if matches!(c.as_str(), "MLI" | "BFA" | "NER") {
                    *country_counts.entry(c.clone()).or_default() += 1;
                }
            }
        }
    }
    let ctx = places::DocContext {
        mentions: work.iter().flat_map(|w| w.places.iter()).collect(),
        countries: country_counts.clone(),
    };
    let resolved_flat = resolve_with_local_anchors(refs, &work, &ctx);
    let mut resolved: Vec<Vec<Option<Resolved>>> = Vec::new();
    let mut k = 0;
    for w in &work {
        resolved.push(resolved_flat[k..k + w.places.len()].to_vec());
        k += w.places.len();
    }
    let doc_country = country_counts
        .iter()
        .max_by_key(|(iso, n)| (**n, std::cmp::Reverse((*iso).clone())))
        .map(|(iso, _)| iso.clone());
    let mut out = DocExtract::default();
    let frames = build_frames(refs, &work, &resolved, &anchor);
    let incidents = merge_frames(refs, &frames, &anchor);
    emit(
        refs,
        &doc,
        &work,
        &resolved,
        &frames,
        &incidents,
        doc_country.as_deref(),
        &mut out,
    );
    out.document = Some(doc);
    out
}

fn resolve_with_local_anchors(
    refs: &Reference,
    work: &[Work<'_>],
    ctx: &places::DocContext<'_>,
) -> Vec<Option<Resolved>> {
    // Distance cues index mentions within their sentence; make them global for `resolve`.
    let mut offset = 0;
    let mut globalised: Vec<PlaceMention> = Vec::new();
    for w in work {
        for p in &w.places {
            let mut p = p.clone();
            if let Some((a, km, b, up)) = p.cue {
                p.cue = Some((a + offset, km, b, up));
            }
            globalised.push(p);
        }
        offset += w.places.len();
    }
    let ctx = places::DocContext {
        mentions: globalised.iter().collect(),
        countries: ctx.countries.clone(),
    };
    places::resolve(&refs.gazetteer, &ctx)
}
