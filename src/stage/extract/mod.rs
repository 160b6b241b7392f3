//! extract: normalised sentences -> `mentions`, `incidents`, `claims`, and `documents` with
//! publication dates inferred where the corpus gave none.
//!
//! Per document: every sentence is tokenised and scanned once against the lexicons; quantities,
//! claims, attributions, dates and places are read per sentence ([`numbers`], [`claims`],
//! [`sources`], [`dates`], [`places`]); places are then disambiguated over the whole article,
//! sentences become event frames (trigger, place, date) and frames that agree are merged into
//! the article's incidents, which the claims attach to. Documents are independent, so they are
//! processed in parallel and the rows sorted by key afterwards.

pub mod cache;
pub mod claims;
pub mod dates;
pub mod numbers;
pub mod places;
pub mod sources;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::ToSpan;
use rayon::prelude::*;

use crate::config::ExtractConfig;
use crate::error::TableError;
use crate::pipeline::sha256_hex;
use crate::progress::Progress;
use crate::reference::text::{tokenize, Token, TokenKind};
use crate::reference::{Match, Reference, Tag};
use crate::table::{csv_body, csv_rows, Claim, Document, Incident, Mention, Row, Sentence};

use claims::SentenceClaim;
use dates::{Anchor, DateSpan};
use places::{CountryMention, PlaceMention, Resolved};
use sources::Attribution;

pub const LOGIC_VERSION: u32 = 7;

pub struct Input {
    pub documents: Vec<Document>,
    pub sentences: Sentences,
}

/// The sentences table as normalise wrote it (CSV bytes, checked against normalise's lock),
/// decoded while documents are extracted rather than all before: decoding it alone kept one
/// core busy and the other idle for seconds, and held every sentence in memory at once.
pub struct Sentences {
    pub csv: Vec<u8>,
    /// The table's path, as errors show it.
    pub path: String,
}

impl Sentences {
    /// Encodes rows as the table would hold them (for tests and benchmarks).
    pub fn from_rows(rows: &[Sentence]) -> Result<Sentences, TableError> {
        Ok(Sentences {
            csv: crate::table::rows_to_csv(rows)?,
            path: "sentences.csv".into(),
        })
    }

    /// Sends each document's sentences (rows in key order, grouped by `doc_id`) until the
    /// table ends or `send` refuses; a row out of key order is an error, as it would be for
    /// any table.
    fn by_document(
        &self,
        mut send: impl FnMut(Result<(String, Vec<Sentence>), TableError>) -> bool,
    ) {
        let rows = match csv_rows::<Sentence>(&self.csv, &self.path) {
            Ok(rows) => rows,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        let mut current: Option<(String, Vec<Sentence>)> = None;
        for (n, row) in rows.enumerate() {
            let row = match row {
                Ok(row) => row,
                Err(e) => {
                    send(Err(e));
                    return;
                }
            };
            match &mut current {
                Some((id, group)) if *id == row.doc_id => group.push(row),
                Some((id, _)) if *id > row.doc_id => {
                    send(Err(TableError::OutOfOrder {
                        path: self.path.clone(),
                        row: n as u64 + 1,
                        key: format!("{:?}", row.doc_id),
                        previous: format!("{id:?}"),
                    }));
                    return;
                }
                _ => {
                    let id = row.doc_id.clone();
                    if let Some(done) = current.replace((id, vec![row])) {
                        if !send(Ok(done)) {
                            return;
                        }
                    }
                }
            }
        }
        if let Some(done) = current {
            send(Ok(done));
        }
    }
}

pub struct Output {
    pub documents: Vec<Document>,
    pub incidents: Vec<Incident>,
    pub claims: Vec<Claim>,
    pub cache: cache::Stats,
}

/// Documents extracted together before their mentions are handed on: bounds memory while
/// keeping both cores busy.
const CHUNK_DOCUMENTS: usize = 2048;

/// Everything read from one sentence.
struct Work<'a> {
    row: &'a Sentence,
    tokens: Vec<Token>,
    matches: Vec<Match>,
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

/// Runs the stage. Documents whose key is in `cache` are taken from it; the others are
/// extracted and stored; entries of documents no longer in the corpus are pruned. Mentions,
/// by far the largest table, are not collected: each document's mentions go to `mentions`
/// in primary-key order (documents in id order, each one's rows sorted) as soon as its chunk
/// is done, with their CSV lines ([`csv_body`]) when already encoded.
pub fn run<E: Send + From<TableError>>(
    cfg: &ExtractConfig,
    refs: &Reference,
    input: Input,
    cache: cache::Cache,
    progress: &Progress,
    mentions: impl FnMut(Vec<Mention>, Option<Vec<u8>>) -> Result<(), E> + Send,
) -> Result<Output, E> {
    let Input {
        mut documents,
        sentences,
    } = input;
    documents.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    let bar = progress.bar("extract", "documents", documents.len() as u64);
    let mut out = Output {
        documents: Vec::with_capacity(documents.len()),
        incidents: Vec::new(),
        claims: Vec::new(),
        cache: cache::Stats::default(),
    };
    let mut keep = BTreeSet::new();
    // Mentions are written by their own thread while the next chunk is extracted; the
    // channel holds at most one chunk's documents, which bounds memory.
    let written = std::thread::scope(|scope| {
        let (tx, rx) =
            std::sync::mpsc::sync_channel::<(Vec<Mention>, Option<Vec<u8>>)>(CHUNK_DOCUMENTS);
        let writer = scope.spawn(move || {
            let mut mentions = mentions;
            rx.into_iter()
                .try_for_each(|(rows, csv)| mentions(rows, csv))
        });
        // Sentences are decoded by their own thread, at most a chunk ahead of extraction.
        let (stx, srx) = std::sync::mpsc::sync_channel(CHUNK_DOCUMENTS);
        let sentences = &sentences;
        scope.spawn(move || sentences.by_document(|group| stx.send(group).is_ok()));
        let mut groups = srx.into_iter().peekable();
        let mut failed: Option<TableError> = None;
        'chunks: for chunk in documents.chunks(CHUNK_DOCUMENTS) {
            let mut of_chunk: Vec<Vec<Sentence>> = Vec::with_capacity(chunk.len());
            for doc in chunk {
                match sentences_of(&mut groups, &doc.doc_id) {
                    Ok(rows) => of_chunk.push(rows),
                    Err(e) => {
                        failed = Some(e);
                        break 'chunks;
                    }
                }
            }
            // Each document is extracted (or served) and its new cache entry encoded in
            // parallel; entries are stored in document order, so the cache's bytes do not
            // depend on the number of threads either.
            // A document's mention rows are encoded as CSV once, here in parallel, for both
            // its cache entry and the table; a cached document brings them encoded.
            #[allow(clippy::type_complexity)]
            let results: Vec<(
                String,
                bool,
                Option<Vec<u8>>,
                DocExtract,
                Option<Vec<u8>>,
            )> = chunk
                .par_iter()
                .zip(&of_chunk)
                .map(|(doc, rows)| {
                    let mut sentences: Vec<&Sentence> = rows.iter().collect();
                    sentences.sort_by_key(|s| s.index);
                    let key = cache.key(doc, &sentences);
                    let (hit, entry, r, csv) = match cache.get(&key) {
                        Some((r, csv)) => (true, None, r, Some(csv)),
                        None => {
                            let mut r = extract_document(cfg, refs, doc, &sentences);
                            r.mentions.sort_by(|a, b| a.key_cmp(b));
                            // Rows that fail to encode (never expected) are neither
                            // cached nor pre-encoded: the table's writer reports them.
                            let csv = csv_body(&r.mentions).ok();
                            let entry = csv.as_ref().and_then(|csv| cache::encode(&r, csv));
                            (false, entry, r, csv)
                        }
                    };
                    bar.inc(1);
                    (key, hit, entry, r, csv)
                })
                .collect();
            for (key, hit, entry, r, csv) in results {
                if hit {
                    out.cache.hits += 1;
                } else {
                    out.cache.misses += 1;
                }
                if let Some(bytes) = entry {
                    cache.put_encoded(&key, &bytes);
                }
                keep.insert(key);
                out.documents.extend(r.document);
                out.incidents.extend(r.incidents);
                out.claims.extend(r.claims);
                if tx.send((r.mentions, csv)).is_err() {
                    // The writer stopped on an error, which its join returns.
                    break 'chunks;
                }
            }
        }
        drop(tx);
        // The decoder stops at its next send once nothing receives.
        drop(groups);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match failed {
            Some(e) => Err(E::from(e)),
            None => written,
        }
    });
    bar.finish_and_clear();
    written?;
    cache.finish(&keep);
    Ok(out)
}

/// The sentences of document `doc_id`, taken from `groups` (each document's sentences, in
/// doc_id order, as [`Sentences::by_document`] sends them) and asked for in doc_id order too.
/// Sentences of documents not asked for are skipped, as they always were.
fn sentences_of(
    groups: &mut std::iter::Peekable<
        impl Iterator<Item = Result<(String, Vec<Sentence>), TableError>>,
    >,
    doc_id: &str,
) -> Result<Vec<Sentence>, TableError> {
    let before = |g: &Result<(String, Vec<Sentence>), TableError>| matches!(g, Ok((id, _)) if id.as_str() < doc_id);
    let after = |g: &Result<(String, Vec<Sentence>), TableError>| matches!(g, Ok((id, _)) if id.as_str() > doc_id);
    while groups.next_if(before).is_some() {}
    // What is left is this document's group, an error, a later document's group, or nothing.
    match groups.next_if(|g| !after(g)) {
        Some(Ok((_, rows))) => Ok(rows),
        Some(Err(e)) => Err(e),
        None => Ok(Vec::new()),
    }
}

fn digest(parts: &[&str]) -> String {
    sha256_hex(parts.join("\u{1f}").as_bytes())[..16].to_string()
}

fn cut(s: &str, a: usize, b: usize) -> String {
    s.chars().skip(a).take(b.saturating_sub(a)).collect()
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
                    m.tag == Tag::RecallMarker && !(m.start > 0 && tokens[m.start - 1].fold == "y")
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

/// One sentence's view of an event: its trigger, place and date.
#[derive(Debug, Clone)]
struct Frame {
    sentence: usize,
    paragraph: i64,
    trigger: Option<usize>,
    place: Option<FramePlace>,
    date: Option<DateSpan>,
    background: bool,
    claims: Vec<usize>,
    actors: Vec<usize>,
}

fn best_trigger(refs: &Reference, w: &Work<'_>) -> Option<usize> {
    w.matches
        .iter()
        .filter_map(|m| match m.tag {
            Tag::Trigger(t) => Some(t),
            _ => None,
        })
        .max_by_key(|&t| (refs.lexicon.triggers[t].priority, std::cmp::Reverse(t)))
}

fn event_places(w: &Work<'_>, resolved: &[Option<Resolved>]) -> Vec<usize> {
    let plain: Vec<usize> = (0..w.places.len())
        .filter(|&i| !w.places[i].source_place && !w.places[i].anchor && !w.places[i].admin_cue)
        .collect();
    let _ = resolved;
    if !plain.is_empty() {
        return plain;
    }
    // A cue with no subject ("à 40 km de Tillabéri"): the anchor, near it. Else a region.
    (0..w.places.len())
        .filter(|&i| resolved[i].is_some() && !w.places[i].source_place)
        .take(1)
        .collect()
}

fn build_frames(
    refs: &Reference,
    work: &[Work<'_>],
    resolved: &[Vec<Option<Resolved>>],
    anchor: &Anchor,
) -> Vec<Frame> {
    let _ = anchor;
    let mut frames = Vec::new();
    for (si, w) in work.iter().enumerate() {
        let trigger = best_trigger(refs, w);
        let actors: Vec<usize> = w
            .matches
            .iter()
            .filter_map(|m| match m.tag {
                Tag::Actor(a) => Some(a),
                _ => None,
            })
            .collect();
        if trigger.is_none() && w.claims.is_empty() {
            continue;
        }
        let event_dates: Vec<&DateSpan> = w.dates.iter().filter(|d| !d.statement).collect();
        let places = event_places(w, &resolved[si]);
        let base = Frame {
            sentence: si,
            paragraph: w.row.paragraph,
            trigger,
            place: None,
            date: None,
            background: false,
            claims: Vec::new(),
            actors,
        };
        let nearest_date = |pos: usize| {
            event_dates
                .iter()
                .min_by_key(|d| (d.start.abs_diff(pos), d.start))
                .map(|d| (*d).clone())
        };
        if places.is_empty() {
            let mut f = base;
            f.date = nearest_date(0);
            f.claims = (0..w.claims.len()).collect();
            frames.push(f);
            continue;
        }
        let mut fs: Vec<Frame> = places
            .iter()
            .map(|&pi| {
                let mut f = base.clone();
                let mut r = resolved[si][pi].clone();
                // "à 70 km à l'est de Tillabéri" with no place of its own: near the anchor.
                if w.places[pi].anchor {
                    if let Some(r) = r.as_mut() {
                        r.where_prec = r.where_prec.max(2);
                    }
                }
                let identity = match &r {
                    Some(r) if r.where_prec != 2 => refs.gazetteer.places[r.place].place_id.clone(),
                    _ => format!("name:{}", w.places[pi].key),
                };
                f.place = Some(FramePlace {
                    sentence: si,
                    mention: pi,
                    resolved: r,
                    identity,
                });
                f.date = nearest_date(w.places[pi].start);
                f
            })
            .collect();
        for (ci, c) in w.claims.iter().enumerate() {
            let nearest = places
                .iter()
                .enumerate()
                .min_by_key(|(_, &pi)| (w.places[pi].start.abs_diff(c.start), w.places[pi].start))
                .map_or(0, |(k, _)| k);
            fs[nearest].claims.push(ci);
        }
        frames.extend(fs);
    }
    // Undated frames take the event date of the previous, else next, sentence in the same
    // paragraph; a frame still undated whose sentence recalls the past ("avaient déjà tué")
    // is background.
    let dated: Vec<(usize, i64, DateSpan)> = work
        .iter()
        .enumerate()
        .filter_map(|(si, w)| {
            w.dates
                .iter()
                .find(|d| !d.statement)
                .map(|d| (si, w.row.paragraph, d.clone()))
        })
        .collect();
    for f in &mut frames {
        if f.date.is_some() {
            continue;
        }
        let prev = dated
            .iter()
            .filter(|(s, p, _)| *p == f.paragraph && *s < f.sentence && f.sentence - s <= 2)
            .max_by_key(|(s, _, _)| *s);
        let next = dated
            .iter()
            .filter(|(s, p, _)| *p == f.paragraph && *s > f.sentence && s - f.sentence <= 1)
            .min_by_key(|(s, _, _)| *s);
        // "Le même jour", "quelques heures plus tard": the date of the event reported just
        // before, in whatever paragraph.
        let same_day = || {
            work[f.sentence]
                .matches
                .iter()
                .any(|m| m.tag == Tag::SameDay)
                .then(|| {
                    dated
                        .iter()
                        .filter(|(s, _, _)| *s < f.sentence)
                        .max_by_key(|(s, _, _)| *s)
                })
                .flatten()
        };
        f.date = prev.or(next).or_else(same_day).map(|(_, _, d)| d.clone());
        if f.date.is_none() && work[f.sentence].recall {
            f.background = true;
        }
    }
    frames
}

/// An incident being assembled from frames.
#[derive(Debug, Clone)]
struct Building {
    frames: Vec<usize>,
    trigger: Option<usize>,
    place: Option<FramePlace>,
    date: Option<DateSpan>,
    background: bool,
}

/// Where a frame happened: a mention, its gazetteer entry if any, and an identity that two
/// frames must share to be one incident.
#[derive(Debug, Clone)]
struct FramePlace {
    sentence: usize,
    mention: usize,
    resolved: Option<Resolved>,
    identity: String,
}

fn dates_overlap(a: &DateSpan, b: &DateSpan, tolerance: i64) -> bool {
    let ok = |x: Date, y: Date| x.checked_add(tolerance.days()).is_ok_and(|x| x >= y);
    ok(a.last, b.first) && ok(b.last, a.first)
}

fn merge_frames(refs: &Reference, frames: &[Frame], anchor: &Anchor) -> Vec<Building> {
    let _ = anchor;
    let priority = |t: usize| refs.lexicon.triggers[t].priority;
    let mut incidents: Vec<Building> = Vec::new();
    // When each incident was last reported: a frame without a place joins the incident the
    // text was last talking about, not the last one opened.
    let mut touched: Vec<usize> = Vec::new();
    let generic =
        |t: Option<usize>| t.is_none_or(|t| refs.lexicon.triggers[t].event_type == "Attack");
    let gaz = &refs.gazetteer;
    let contains = |outer: &FramePlace, inner: &FramePlace| -> bool {
        let (Some(o), Some(i)) = (&outer.resolved, &inner.resolved) else {
            return false;
        };
        let (po, pi) = (&gaz.places[o.place], &gaz.places[i.place]);
        // The outer mention names the unit itself and the inner one a place of its own, not
        // a place known only as near an anchor.
        if o.where_prec < 3 || o.where_prec != po.where_prec() || i.where_prec != 1 {
            return false;
        }
        let within = match po.feature_code.as_str() {
            "ADM1" => !po.admin1.is_empty() && po.admin1 == pi.admin1,
            "ADM2" | "ADM3" => {
                !po.admin2.is_empty() && po.admin1 == pi.admin1 && po.admin2 == pi.admin2
            }
            _ => false,
        };
        within && po.iso3 == pi.iso3 && i.where_prec < o.where_prec
    };
    for (fi, f) in frames.iter().enumerate() {
        let compatible = |b: &Building| -> bool {
            if b.background != f.background {
                return false;
            }
            // A region or district ("dans la région de Mopti") is the same place as a town
            // inside it, for an incident of the same type.
            let (same_place, contained) = match (&b.place, &f.place) {
                (Some(x), Some(y)) if x.identity == y.identity => (true, false),
                (Some(x), Some(y)) => {
                    let inside = contains(x, y) || contains(y, x);
                    (inside, inside)
                }
                _ => (true, false),
            };
            if !same_place {
                return false;
            }
            let both_placed = b.place.is_some() && f.place.is_some();
            let same_type = match (b.trigger, f.trigger) {
                (Some(x), Some(y)) => {
                    x == y
                        || refs.lexicon.triggers[x].sub_event_type
                            == refs.lexicon.triggers[y].sub_event_type
                        || generic(Some(x))
                        || generic(Some(y))
                }
                _ => true,
            };
            let dates_ok = match (&b.date, &f.date) {
                (Some(x), Some(y)) => {
                    dates_overlap(x, y, if both_placed && same_type { 3 } else { 1 })
                }
                _ => true,
            };
            dates_ok && (same_type || (both_placed && !contained))
        };
        // A frame with neither place nor date ("Ces sources dénoncent un massacre") goes on
        // about the incident just reported, whatever word it uses for it.
        let direct = (0..incidents.len())
            .filter(|&i| compatible(&incidents[i]))
            .max_by_key(|&i| touched[i]);
        let target = direct.or_else(|| {
            // Weapon-specific triggers (drone strike, shelling, mine) name an event of their
            // own; words like "massacre" or "attaque" characterise the one being reported.
            let specific = f.trigger.is_some_and(|t| priority(t) >= 85);
            (f.place.is_none() && f.date.is_none() && !specific)
                .then(|| {
                    (0..incidents.len())
                        .filter(|&i| incidents[i].background == f.background)
                        .max_by_key(|&i| touched[i])
                })
                .flatten()
        });
        match target {
            Some(i) => {
                touched[i] = fi + 1;
                let b = &mut incidents[i];
                b.frames.push(fi);
                let finer = match (&b.place, &f.place) {
                    (None, _) => true,
                    (Some(x), Some(y)) => contains(x, y),
                    _ => false,
                };
                if finer {
                    b.place = f.place.clone();
                }
                if b.date.is_none() {
                    b.date = f.date.clone();
                }
                b.trigger = match (b.trigger, f.trigger.filter(|_| direct.is_some())) {
                    (Some(x), Some(y)) => Some(if priority(y) > priority(x) { y } else { x }),
                    (x, None) => x,
                    (None, y) => y,
                };
            }
            None => {
                touched.push(fi + 1);
                incidents.push(Building {
                    frames: vec![fi],
                    trigger: f.trigger,
                    place: f.place.clone(),
                    date: f.date.clone(),
                    background: f.background,
                })
            }
        }
    }
    let _ = frames;
    incidents
}

const PARTIES: [&str; 5] = [
    "state",
    "state_ally",
    "armed_group",
    "communal_militia",
    "government",
];

#[allow(clippy::too_many_arguments)]
fn emit(
    refs: &Reference,
    doc: &Document,
    work: &[Work<'_>],
    resolved: &[Vec<Option<Resolved>>],
    frames_all: &[Frame],
    incidents: &[Building],
    doc_country: Option<&str>,
    out: &mut DocExtract,
) {
    let lex = &refs.lexicon;
    let gaz = &refs.gazetteer;
    // Which incident each claim belongs to.
    let frame_list = build_frame_index(frames_all, incidents);
    let published = doc.published;
    // An incident the article does not place ("sur la localité") is where the article's
    // previous placed incident was, else its first placed one.
    let placed: Vec<(usize, &FramePlace)> = incidents
        .iter()
        .filter_map(|b| b.place.as_ref().map(|p| (frame_list.first_sentence(b), p)))
        .collect();
    let last_place_before = |si: usize| -> Option<(String, Option<Resolved>)> {
        placed
            .iter()
            .filter(|(s, _)| *s <= si)
            .max_by_key(|(s, _)| *s)
            .or_else(|| placed.iter().min_by_key(|(s, _)| *s))
            .map(|(_, fp)| {
                (
                    work[fp.sentence].places[fp.mention].surface.clone(),
                    fp.resolved.clone(),
                )
            })
    };
    let is_old = |b: &Building| match (&b.date, published) {
        (Some(d), Some(p)) => p
            .checked_sub(10.days())
            .is_ok_and(|limit| d.last < limit && doc.published_prec == Some(1)),
        _ => false,
    };
    let any_recent = incidents
        .iter()
        .any(|b| !b.background && b.date.is_some() && !is_old(b));
    let mut incident_rows: Vec<Option<Incident>> = Vec::new();
    let mut id_twins: BTreeMap<String, u32> = BTreeMap::new();
    for b in incidents {
        let first = frame_list.first_sentence(b);
        let (location, place) = match &b.place {
            Some(fp) => (
                Some(work[fp.sentence].places[fp.mention].surface.clone()),
                fp.resolved.clone(),
            ),
            None => match last_place_before(first) {
                Some((name, r)) => (Some(name), r),
                None => (None, None),
            },
        };
        let has_claims = frame_list.claims(b).next().is_some();
        // An event without a figure is kept when the article places and dates it.
        if !has_claims && (location.is_none() || b.date.is_none()) {
            incident_rows.push(None);
            continue;
        }
        let p = place.as_ref().map(|r| &gaz.places[r.place]);
        let iso3 = p
            .map(|p| p.iso3.clone())
            .or_else(|| doc_country.map(str::to_string));
        let victims: BTreeSet<&str> = frame_list
            .claims(b)
            .map(|(s, c)| &work[s].claims[c])
            .filter(|c| c.outcome.is_some())
            .map(|c| c.victim_group)
            .collect();
        let outcomes: BTreeSet<&str> = frame_list
            .claims(b)
            .filter_map(|(s, c)| work[s].claims[c].outcome)
            .collect();
        let civilian_only = !victims.is_empty()
            && victims
                .iter()
                .all(|v| matches!(*v, "civilians" | "children" | "women"));
        let (event_type, sub_event_type) = match b.trigger.map(|t| &lex.triggers[t]) {
            Some(t) if t.event_type != "Attack" => (t.event_type.clone(), t.sub_event_type.clone()),
            Some(_) if civilian_only => ("Violence against civilians".into(), "Attack".into()),
            Some(_) => ("Battles".into(), "Armed clash".into()),
            None if outcomes.len() == 1 && outcomes.contains("captured") => (
                "Violence against civilians".into(),
                "Abduction/forced disappearance".into(),
            ),
            None if civilian_only => ("Violence against civilians".into(), "Attack".into()),
            None => ("Battles".into(), "Armed clash".into()),
        };
        // Told long before publication, beside a recent event: recalled as context. An
        // article whose events are all old (a report published weeks later) is about them.
        let old = is_old(b) && any_recent;
        let actors: Vec<usize> = b
            .frames
            .iter()
            .flat_map(|&f| frame_list.frames_actors(f))
            .filter(|&a| PARTIES.contains(&lex.actors[a].kind.as_str()))
            .collect();
        // A named group ("Jnim") before a generic one ("les jihadistes").
        let armed = actors
            .iter()
            .copied()
            .filter(|&a| {
                lex.actors[a].kind == "armed_group" || lex.actors[a].kind == "communal_militia"
            })
            .min_by_key(|&a| lex.actors[a].id.starts_with("generic-"));
        let state = actors
            .iter()
            .copied()
            .find(|&a| matches!(lex.actors[a].kind.as_str(), "state" | "state_ally"));
        let (actor1, actor2) =
            if event_type == "Explosions/Remote violence" && sub_event_type == "Air/drone strike" {
                (
                    state.or(armed),
                    if civilian_only {
                        None
                    } else {
                        armed.filter(|_| state.is_some())
                    },
                )
            } else if event_type == "Violence against civilians" {
                (armed.or(state), None)
            } else {
                (armed.or(state), if armed.is_some() { state } else { None })
            };
        let place_id = p.map(|p| p.place_id.clone());
        let date_start = b.date.as_ref().map(|d| d.first);
        let key = [
            doc.doc_id.as_str(),
            &first.to_string(),
            place_id.as_deref().unwrap_or(""),
            &sub_event_type,
            &date_start.map(|d| d.to_string()).unwrap_or_default(),
        ]
        .join("\u{1f}");
        // Two incidents of a sentence with the same place, type and date (two frames that did
        // not merge) are told apart by their rank among such twins, in the document's order.
        let twin = id_twins.entry(key.clone()).or_insert(0);
        let incident_id = if *twin == 0 {
            digest(&[&key])
        } else {
            digest(&[&key, &twin.to_string()])
        };
        *twin += 1;
        incident_rows.push(Some(Incident {
            incident_id,
            doc_id: doc.doc_id.clone(),
            sentence: work[first].row.index,
            event_type,
            sub_event_type,
            date_start: b.date.as_ref().map(|d| d.first),
            date_end: b.date.as_ref().map(|d| d.last),
            date_prec: b.date.as_ref().map(|d| d.prec),
            location,
            place_id,
            where_prec: place.as_ref().map(|r| r.where_prec),
            iso3,
            actor1: actor1.map(|a| lex.actors[a].id.clone()),
            actor2: actor2.map(|a| lex.actors[a].id.clone()),
            background: b.background || old,
            rule_id: b.trigger.map_or_else(
                || "frame-default".to_string(),
                |t| lex.triggers[t].id.clone(),
            ),
        }));
    }
    emit_claims(refs, doc, work, incidents, &frame_list, &incident_rows, out);
    out.incidents.extend(incident_rows.into_iter().flatten());
    emit_mentions(refs, doc, work, resolved, out);
}

/// Maps frames back to sentences and claims.
struct FrameIndex {
    /// (incident, frame) -> (sentence, claims, actors)
    frames: BTreeMap<usize, (usize, Vec<usize>, Vec<usize>)>,
}

impl FrameIndex {
    fn first_sentence(&self, b: &Building) -> usize {
        b.frames
            .iter()
            .filter_map(|f| self.frames.get(f))
            .map(|x| x.0)
            .min()
            .unwrap_or(0)
    }
    fn claims<'a>(&'a self, b: &'a Building) -> impl Iterator<Item = (usize, usize)> + 'a {
        b.frames
            .iter()
            .filter_map(|f| self.frames.get(f))
            .flat_map(|(s, cs, _)| cs.iter().map(move |c| (*s, *c)))
    }
    fn frames_actors(&self, f: usize) -> Vec<usize> {
        self.frames.get(&f).map(|x| x.2.clone()).unwrap_or_default()
    }
}

fn build_frame_index(frames: &[Frame], incidents: &[Building]) -> FrameIndex {
    let mut index = BTreeMap::new();
    for b in incidents {
        for &f in &b.frames {
            let x = &frames[f];
            index.insert(f, (x.sentence, x.claims.clone(), x.actors.clone()));
        }
    }
    FrameIndex { frames: index }
}

/// A claim's source after pronouns are resolved.
#[derive(Debug, Clone, PartialEq)]
struct Source {
    text: Option<String>,
    kind: &'static str,
    actor: Option<String>,
    denies: bool,
    rule: String,
}

impl Source {
    fn unattributed() -> Source {
        Source {
            text: None,
            kind: "unattributed",
            actor: None,
            denies: false,
            rule: "att-none".into(),
        }
    }
    fn from(a: &Attribution) -> Source {
        Source {
            text: a.text.clone(),
            kind: a.kind,
            actor: a.actor.clone(),
            denies: a.denies,
            rule: a.rule.clone(),
        }
    }
}

/// One claim ready to be written, before ids are assigned.
struct Pending {
    sentence: usize,
    index: usize,
    claim: SentenceClaim,
    source: Source,
    incident: Option<usize>,
}

fn emit_claims(
    refs: &Reference,
    doc: &Document,
    work: &[Work<'_>],
    incidents: &[Building],
    frame_list: &FrameIndex,
    incident_rows: &[Option<Incident>],
    out: &mut DocExtract,
) {
    let mut incident_of: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (ii, b) in incidents.iter().enumerate() {
        for (s, c) in frame_list.claims(b) {
            incident_of.entry((s, c)).or_insert(ii);
        }
    }
    // Sources, with pronouns resolved from the previous sentence.
    let mut last_source: Option<Source> = None;
    let mut pending: Vec<Pending> = Vec::new();
    for (si, w) in work.iter().enumerate() {
        let mut sentence_last: Option<Source> = None;
        let resolve = |a: &Attribution, last: &Option<Source>| -> Source {
            if a.pronoun {
                let mut s = last.clone().unwrap_or_else(Source::unattributed);
                s.denies = a.denies;
                s
            } else {
                Source::from(a)
            }
        };
        for a in &w.attributions {
            sentence_last = Some(resolve(a, &last_source));
        }
        let prev_paragraph_claims: Vec<&Pending> = pending
            .iter()
            .filter(|p| {
                si > 0 && p.sentence == si - 1 && work[si - 1].row.paragraph == w.row.paragraph
            })
            .collect();
        let own_side = w.matches.iter().any(|m| m.tag == Tag::OwnSide);
        let mut new = Vec::new();
        for (ci, c) in w.claims.iter().enumerate() {
            let mut c = c.clone();
            let mut source = sources::nearest(&w.attributions, c.start)
                .map(|a| resolve(a, &last_source))
                .unwrap_or_else(Source::unattributed);
            let prev = prev_paragraph_claims
                .iter()
                .rev()
                .find(|p| p.claim.parent.is_none());
            if c.outcome.is_none() {
                // "Neuf personnes au total." (no outcome of its own) continues the previous sentence's claim.
                let Some(prev) = prev.filter(|_| c.qualifier != "none" && c.parent.is_none())
                else {
                    continue;
                };
                if w.matches
                    .iter()
                    .any(|m| matches!(m.tag, Tag::Outcome { .. }))
                {
                    continue;
                }
                c.outcome = prev.claim.outcome;
                if c.group_from_noun {
                    c.victim_group = prev.claim.victim_group;
                }
                if w.attributions.is_empty() {
                    source = prev.source.clone();
                }
            } else if c.group_from_noun && c.parent.is_none() && own_side {
                // "Côté ami, le bilan fait état de deux morts": the force's own losses.
                c.victim_group = "security_forces";
            } else if c.group_from_noun && c.parent.is_none() {
                if let Some(prev) =
                    prev.filter(|p| p.claim.outcome == c.outcome && !p.claim.group_from_noun)
                {
                    c.victim_group = prev.claim.victim_group;
                }
            }
            new.push(Pending {
                sentence: si,
                index: ci,
                claim: c,
                source,
                incident: incident_of.get(&(si, ci)).copied(),
            });
        }
        pending.extend(new);
        if let Some(s) = sentence_last {
            last_source = Some(s);
        }
    }
    // A group said to be hit without a count adds nothing when the same source gives a count
    // for the same group next to it ("au moins 15 civils tués" / "Rien que des civils tués").
    let keep: Vec<bool> = pending
        .iter()
        .map(|p| {
            if p.claim.qualifier != "none" {
                return true;
            }
            !pending.iter().any(|q| {
                q.claim.qualifier != "none"
                    && q.sentence.abs_diff(p.sentence) <= 1
                    && work[q.sentence].row.paragraph == work[p.sentence].row.paragraph
                    && q.claim.outcome == p.claim.outcome
                    && (q.claim.victim_group == p.claim.victim_group)
                    && q.source.kind == p.source.kind
                    && p.source.text.is_some()
                    && q.source.text == p.source.text
            })
        })
        .collect();
    let mut ids: BTreeMap<(usize, usize), String> = BTreeMap::new();
    let mut rows = Vec::new();
    for (p, keep) in pending.iter().zip(keep) {
        if !keep {
            continue;
        }
        let w = &work[p.sentence];
        let c = &p.claim;
        let Some(outcome) = c.outcome else { continue };
        let incident = p.incident.or_else(|| {
            // A claim whose frame was dropped joins the nearest incident before it.
            incidents
                .iter()
                .rposition(|b| frame_list.first_sentence(b) <= p.sentence)
        });
        let inc = incident
            .and_then(|i| incident_rows.get(i))
            .and_then(|r| r.as_ref());
        let count_text = if c.end > c.start {
            Some(cut(
                &w.row.text,
                w.tokens[c.start].start,
                w.tokens[c.end.min(w.tokens.len()) - 1].end,
            ))
        } else {
            None
        };
        let parent_claim_id = c.parent.and_then(|pi| ids.get(&(p.sentence, pi)).cloned());
        let low = c.low.map(|v| v.to_string()).unwrap_or_default();
        let high = c.high.map(|v| v.to_string()).unwrap_or_default();
        let claim_id = digest(&[
            &doc.doc_id,
            &w.row.index.to_string(),
            &c.start.to_string(),
            c.victim_group,
            outcome,
            &low,
            &high,
            c.qualifier,
        ]);
        ids.insert((p.sentence, p.index), claim_id.clone());
        let mut rule = c.rules.clone();
        rule.push(p.source.rule.clone());
        rows.push(Claim {
            claim_id,
            doc_id: doc.doc_id.clone(),
            sentence: w.row.index,
            char_start: w.row.char_start,
            char_end: w.row.char_end,
            quote: w.row.text.clone(),
            event_type: inc.map(|i| i.event_type.clone()),
            sub_event_type: inc.map(|i| i.sub_event_type.clone()),
            event_date_start: inc.and_then(|i| i.date_start),
            event_date_end: inc.and_then(|i| i.date_end),
            date_prec: inc.and_then(|i| i.date_prec),
            location: inc.and_then(|i| i.location.clone()),
            place_id: inc.and_then(|i| i.place_id.clone()),
            where_prec: inc.and_then(|i| i.where_prec),
            iso3: inc.and_then(|i| i.iso3.clone()),
            source_text: p.source.text.clone(),
            source_kind: p.source.kind.to_string(),
            source_actor: p.source.actor.clone(),
            victim_group: c.victim_group.to_string(),
            outcome: outcome.to_string(),
            count_low: c.low,
            count_high: c.high,
            qualifier: c.qualifier.to_string(),
            count_text,
            stance: if p.source.denies { "denies" } else { "asserts" }.to_string(),
            parent_claim_id,
            incident_id: inc.map(|i| i.incident_id.clone()),
            also_incident_ids: incident.filter(|_| inc.is_some()).and_then(|own| {
                let covered =
                    covered_incidents(work, p.sentence, own, incidents, frame_list, incident_rows);
                (!covered.is_empty()).then(|| covered.join("|"))
            }),
            background: inc.is_some_and(|i| i.background),
            rule_id: rule
                .into_iter()
                .filter(|r| !r.is_empty())
                .collect::<Vec<_>>()
                .join("+"),
        });
    }
    let _ = refs;
    out.claims.extend(rows);
}

/// Words before a combined-toll phrase that make it one of the attacks, not all of them:
/// "l'une des deux attaques", "la plus meurtrière des trois embuscades", "chacune des deux".
const PARTITIVE_HEADS: [&str; 10] = [
    "une",
    "un",
    "premiere",
    "seconde",
    "deuxieme",
    "derniere",
    "meurtriere",
    "grave",
    "chacune",
    "chacun",
];

/// How many incidents a toll in sentence `si` covers, if the sentence gives it for several
/// attacks at once ("ces deux attaques": 2; "au total": 0, every one on the same dates).
fn combined_cue(w: &Work<'_>) -> Option<i64> {
    let mut best: Option<i64> = None;
    for m in &w.matches {
        let Tag::Combined { incidents } = m.tag else {
            continue;
        };
        let partitive = m.start >= 2
            && matches!(w.tokens[m.start - 1].fold.as_str(), "des" | "de")
            && PARTITIVE_HEADS.contains(&w.tokens[m.start - 2].fold.as_str());
        if partitive {
            continue;
        }
        // A number of attacks is more precise than "au total".
        best = Some(match best {
            Some(b) if b > 0 => b,
            _ => incidents,
        });
    }
    best
}

/// The other incidents a toll in sentence `si` of incident `own` covers: the nearest ones in
/// the text (as many as the cue says, else all) that are reported on the same dates and are
/// not background when `own` is not.
fn covered_incidents(
    work: &[Work<'_>],
    si: usize,
    own: usize,
    incidents: &[Building],
    frame_list: &FrameIndex,
    incident_rows: &[Option<Incident>],
) -> Vec<String> {
    let Some(n) = combined_cue(&work[si]) else {
        return Vec::new();
    };
    let mine = &incidents[own];
    let mut candidates: Vec<(usize, usize, &str)> = incidents
        .iter()
        .enumerate()
        .filter(|&(j, b)| j != own && b.background == mine.background)
        .filter(|(_, b)| match (&b.date, &mine.date) {
            (Some(x), Some(y)) => dates_overlap(x, y, 1),
            _ => true,
        })
        .filter_map(|(j, b)| {
            let row = incident_rows.get(j)?.as_ref()?;
            Some((
                frame_list.first_sentence(b).abs_diff(si),
                j,
                row.incident_id.as_str(),
            ))
        })
        .collect();
    candidates.sort();
    if n > 0 {
        candidates.truncate(n as usize - 1);
    }
    let mut ids: Vec<String> = candidates.iter().map(|c| c.2.to_string()).collect();
    ids.sort();
    ids
}

fn tag_kind(refs: &Reference, tag: &Tag) -> Option<(&'static str, Option<String>, String)> {
    let lex = &refs.lexicon;
    Some(match tag {
        Tag::Outcome { outcome, rule, .. } => (
            "outcome",
            Some(outcome.to_string()),
            lex.rule_id(*rule).to_string(),
        ),
        Tag::Victim { group, rule, .. } => (
            "victim",
            Some(group.to_string()),
            lex.rule_id(*rule).to_string(),
        ),
        Tag::Actor(a) => (
            "actor",
            Some(lex.actors[*a].id.clone()),
            lex.actors[*a].id.clone(),
        ),
        Tag::Source(s) => (
            "source",
            Some(lex.sources[*s].kind.clone()),
            lex.sources[*s].id.clone(),
        ),
        Tag::Trigger(t) => (
            "trigger",
            Some(format!(
                "{} / {}",
                lex.triggers[*t].event_type, lex.triggers[*t].sub_event_type
            )),
            lex.triggers[*t].id.clone(),
        ),
        Tag::AttrPrep | Tag::AttrVerb => ("attribution", None, "att-cue".into()),
        Tag::Combined { incidents } => (
            "combined_toll",
            Some(match incidents {
                0 => "all".to_string(),
                n => n.to_string(),
            }),
            "q-combined".into(),
        ),
        Tag::AttrDenial => ("denial", None, "att-denial".into()),
        Tag::Zero { outcome, rule } => (
            "quantity",
            Some(format!("0 {outcome}")),
            lex.rule_id(*rule).to_string(),
        ),
        _ => return None,
    })
}

fn emit_mentions(
    refs: &Reference,
    doc: &Document,
    work: &[Work<'_>],
    resolved: &[Vec<Option<Resolved>>],
    out: &mut DocExtract,
) {
    let first = out.mentions.len();
    for (si, w) in work.iter().enumerate() {
        let base = w.row.char_start;
        // Byte offset of each char of the sentence (and of its end), so that a span is cut
        // without walking the sentence again.
        let text = w.row.text.as_str();
        let byte_at: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(text.len()))
            .collect();
        let span = |a: usize, b: usize| -> (i64, i64, String) {
            let s = w.tokens[a].start;
            let e = w.tokens[b - 1].end;
            let cut = |c: usize| byte_at.get(c).copied().unwrap_or(text.len());
            (
                base + s as i64,
                base + e as i64,
                text[cut(s)..cut(e).max(cut(s))].to_string(),
            )
        };
        let mut push = |a: usize, b: usize, kind: &str, value: Option<String>, rule: String| {
            if b <= a || b > w.tokens.len() {
                return;
            }
            let (cs, ce, surface) = span(a, b);
            out.mentions.push(Mention {
                doc_id: doc.doc_id.clone(),
                sentence: w.row.index,
                char_start: cs,
                char_end: ce,
                kind: kind.to_string(),
                surface,
                value,
                rule_id: rule,
            });
        };
        for m in &w.matches {
            if let Some((kind, value, rule)) = tag_kind(refs, &m.tag) {
                push(m.start, m.end, kind, value, rule);
            }
        }
        for q in &w.quantities {
            // "un", "une" read as 1 are mentions only inside a claim ("un soldat tué"); else
            // every article of the corpus ("une attaque") would be one.
            let in_claim = w
                .claims
                .iter()
                .any(|c| c.start <= q.start && q.start < c.end);
            if q.rule == "q-article" && !in_claim {
                continue;
            }
            let value = match (q.low, q.high) {
                (Some(l), Some(h)) if l == h => format!("{} {l}", q.qualifier),
                (l, h) => format!(
                    "{} {}-{}",
                    q.qualifier,
                    l.map(|v| v.to_string()).unwrap_or_default(),
                    h.map(|v| v.to_string()).unwrap_or_default()
                ),
            };
            push(q.start, q.end, "quantity", Some(value), q.rule.clone());
        }
        for d in &w.dates {
            let value = if d.first == d.last {
                d.first.to_string()
            } else {
                format!("{}/{}", d.first, d.last)
            };
            let rule = if d.statement {
                "date-statement"
            } else {
                "date-event"
            };
            push(d.start, d.end, "date", Some(value), rule.into());
        }
        for (p, r) in w.places.iter().zip(&resolved[si]) {
            let value = r
                .as_ref()
                .map(|r| refs.gazetteer.places[r.place].place_id.clone());
            let rule = if p.source_place {
                "place-source"
            } else if p.anchor {
                "place-anchor"
            } else if p.admin_cue {
                "place-admin"
            } else {
                "place"
            };
            push(p.start, p.end, "place", value, rule.into());
        }
    }
    // In key order, each span recorded once per kind and rule: the first pushed is kept (the
    // sort is stable).
    let mentions = &mut out.mentions[first..];
    mentions.sort_by(|a, b| a.key_cmp(b));
    let mut kept: Vec<Mention> = out.mentions.drain(first..).collect();
    kept.dedup_by(|later, earlier| later.key_cmp(earlier).is_eq());
    out.mentions.extend(kept);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(doc: &str, index: i64) -> Sentence {
        Sentence {
            doc_id: doc.into(),
            index,
            paragraph: 0,
            char_start: index * 10,
            char_end: index * 10 + 9,
            text: format!("Phrase {index}, \"citée\"\nsur deux lignes."),
        }
    }

    fn groups(s: &Sentences, limit: usize) -> Vec<Result<(String, Vec<i64>), String>> {
        let mut got = Vec::new();
        s.by_document(|g| {
            got.push(
                g.map(|(id, rows)| (id, rows.iter().map(|r| r.index).collect()))
                    .map_err(|e| e.to_string()),
            );
            got.len() < limit
        });
        got
    }

    #[test]
    fn sentences_are_decoded_one_document_at_a_time_in_key_order() {
        let rows = [
            sentence("a1", 0),
            sentence("a1", 1),
            sentence("b2", 0),
            sentence("c3", 0),
            sentence("c3", 1),
        ];
        let s = Sentences::from_rows(&rows).expect("encode");
        let want: Vec<Result<(String, Vec<i64>), String>> = vec![
            Ok(("a1".into(), vec![0, 1])),
            Ok(("b2".into(), vec![0])),
            Ok(("c3".into(), vec![0, 1])),
        ];
        assert_eq!(groups(&s, usize::MAX), want);
        // A receiver that stops is not sent more.
        assert_eq!(groups(&s, 1), want[..1].to_vec());
        // An empty table sends nothing.
        assert!(groups(&Sentences::from_rows(&[]).expect("encode"), usize::MAX).is_empty());
    }

    #[test]
    fn a_sentences_table_out_of_order_or_malformed_is_an_error_naming_it() {
        let mut s = Sentences::from_rows(&[sentence("b2", 0), sentence("a1", 0)]).expect("encode");
        s.path = "data/normalise/sentences.csv".into();
        let got = groups(&s, usize::MAX);
        assert!(
            matches!(&got[..], [Err(e)] if e.starts_with("data/normalise/sentences.csv: data row 2: key \"a1\" comes after \"b2\"")),
            "{got:?}"
        );
        let bad = Sentences {
            csv: b"doc_id,index,paragraph,char_start,char_end,text\na1,zero,0,0,1,x\n".to_vec(),
            path: "data/normalise/sentences.csv".into(),
        };
        let got = groups(&bad, usize::MAX);
        assert!(
            matches!(&got[..], [Err(e)] if e.starts_with("data/normalise/sentences.csv:2")),
            "{got:?}"
        );
    }

    #[test]
    fn each_document_gets_its_own_sentences_and_no_other() {
        let bad = || TableError::OutOfOrder {
            path: "s.csv".into(),
            row: 3,
            key: "\"a\"".into(),
            previous: "\"c\"".into(),
        };
        let sent: Vec<Result<(String, Vec<Sentence>), TableError>> = vec![
            Ok(("a".into(), vec![sentence("a", 0)])),
            Ok(("c".into(), vec![sentence("c", 0), sentence("c", 1)])),
            Err(bad()),
        ];
        let mut groups = sent.into_iter().peekable();
        let indexes = |r: Result<Vec<Sentence>, TableError>| {
            r.map(|rows| rows.iter().map(|s| s.index).collect::<Vec<_>>())
        };
        // "a" is skipped (no document asks for it), "b" has none, "c" gets its two.
        assert_eq!(indexes(sentences_of(&mut groups, "b")).ok(), Some(vec![]));
        assert_eq!(
            indexes(sentences_of(&mut groups, "c")).ok(),
            Some(vec![0, 1])
        );
        assert!(matches!(
            sentences_of(&mut groups, "d"),
            Err(TableError::OutOfOrder { .. })
        ));
        assert_eq!(indexes(sentences_of(&mut groups, "e")).ok(), Some(vec![]));
    }
}
