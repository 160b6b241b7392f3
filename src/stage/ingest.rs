//! ingest: raw corpus files -> `documents` and `texts`.
//!
//! Every file listed by the driver becomes exactly one `documents` row, or shares one with its
//! byte-identical twins (the row lists every path). Unusable files are kept with a `status`
//! reason (empty, whitespace_only, binary, too_large) and no text. Bytes are decoded as UTF-8
//! (BOM stripped), UTF-16 with a BOM, else Windows-1252; the choice is recorded in `encoding`.
//! Metadata comes from the manifest first, then from a leading header line (` date 2024-08`).

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use rayon::prelude::*;
use serde::Deserialize;

use super::parts::{self, Part};
use crate::error::{ManifestError, TableError};
use crate::progress::Progress;
use crate::table::{Document, DocumentText, Row};

pub const LOGIC_VERSION: u32 = 2;

/// What the texts writer receives, in order: a part's name, then its documents' texts.
pub enum IngestOut {
    /// The texts that follow, until the next `Part`, are this part's.
    Part(String),
    Text(DocumentText),
}

/// Documents built together before their texts are handed on.
const CHUNK_DOCUMENTS: usize = 2048;

/// One file of the corpus, as read by the driver.
#[derive(Debug, Clone)]
pub struct RawFile {
    /// Path relative to the corpus root, `/`-separated, escaped as
    /// [`crate::config::escaped_path`] writes it (`%XX` for bytes that are not UTF-8, `%25`).
    pub path: String,
    pub len: u64,
    pub sha256: String,
    /// `None` when the file is over the size limit and was only hashed, or not read yet.
    pub bytes: Option<Vec<u8>>,
    /// Where the file is when its bytes were not read (its digest was remembered): they are
    /// loaded only if its document is built again.
    pub unread: Option<std::path::PathBuf>,
}

/// The manifest file's bytes and display path.
#[derive(Debug, Clone)]
pub struct ManifestFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub struct Input {
    pub files: Vec<RawFile>,
    pub manifest: Option<ManifestFile>,
}

pub struct Output {
    pub documents: Vec<Document>,
    /// The parts of the `texts` table, in order; a part's signature is the stage's salt and,
    /// per document, its content hash, paths, sizes and manifest rows.
    pub parts: Vec<Part>,
    /// Problems that are not a document's own (manifest rows naming missing files, ...),
    /// each naming the file and line.
    pub warnings: Vec<String>,
    /// A manifest that cannot be read at all.
    pub manifest_error: Option<ManifestError>,
}

/// Metadata for one file from the manifest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestRow {
    pub file: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
}

const MANIFEST_COLUMNS: [&str; 6] = ["file", "url", "publisher", "published", "language", "title"];

/// A date with its UCDP-style precision (1 day, 4 month, 5 year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    pub date: Date,
    pub prec: i64,
}

/// Parses `2024-08-26`, `2024-08` or `2024`.
pub fn parse_partial_date(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<i16> {
        (p.len() == len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d, prec) = match parts.as_slice() {
        [y] => (num(y, 4)?, 1, 1, 5),
        [y, m] => (num(y, 4)?, num(m, 2)?, 1, 4),
        [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?, 1),
        _ => return None,
    };
    let date = Date::new(y, m as i8, d as i8).ok()?;
    Some(PartialDate { date, prec })
}

/// Parses the manifest; rows with unusable paths become warnings, not errors.
pub fn parse_manifest(
    m: &ManifestFile,
) -> Result<(BTreeMap<String, ManifestRow>, Vec<String>), ManifestError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(m.bytes.as_slice());
    let header_err = |problem: String| ManifestError::Header {
        path: m.path.clone(),
        problem,
    };
    let headers = reader
        .headers()
        .map_err(|e| header_err(format!("is unreadable ({e})")))?
        .clone();
    let mut seen = std::collections::BTreeSet::new();
    for h in headers.iter() {
        let h = h.trim_start_matches('\u{feff}');
        if !MANIFEST_COLUMNS.contains(&h) {
            return Err(header_err(format!("has unknown column `{h}`")));
        }
        if !seen.insert(h.to_string()) {
            return Err(header_err(format!("repeats column `{h}`")));
        }
    }
    if !seen.contains("file") {
        return Err(header_err("lacks the `file` column".into()));
    }
    let mut rows = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        // Lines, not records: a quoted field may span several lines.
        let csv_err = |source: csv::Error, line: u64| ManifestError::Csv {
            path: m.path.clone(),
            line: source.position().map_or(line, |p| p.line()),
            source,
        };
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = reader.position().line();
                return Err(csv_err(e, line));
            }
        }
        let line = record
            .position()
            .map_or_else(|| reader.position().line(), |p| p.line());
        let row: ManifestRow = record
            .deserialize(Some(&headers))
            .map_err(|e| csv_err(e, line))?;
        let file = row.file.trim().replace('\\', "/");
        if file.is_empty() {
            warnings.push(format!("{}:{line}: empty `file`; row ignored", m.path));
        } else if file.starts_with('/') || file.split('/').any(|c| c == "..") || file.contains(':')
        {
            warnings.push(format!(
                "{}:{line}: `{file}` is outside the corpus directory; row ignored",
                m.path
            ));
        } else if let Some(p) = row.published.as_deref().filter(|p| !p.trim().is_empty()) {
            if parse_partial_date(p).is_none() {
                warnings.push(format!(
                    "{}:{line}: `published` {p:?} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD); ignored",
                    m.path
                ));
                let mut row = row.clone();
                row.published = None;
                insert_row(&mut rows, &mut warnings, &m.path, line, file, row);
            } else {
                insert_row(&mut rows, &mut warnings, &m.path, line, file, row);
            }
        } else {
            insert_row(&mut rows, &mut warnings, &m.path, line, file, row);
        }
    }
    Ok((rows, warnings))
}

fn insert_row(
    rows: &mut BTreeMap<String, ManifestRow>,
    warnings: &mut Vec<String>,
    path: &str,
    line: u64,
    file: String,
    row: ManifestRow,
) {
    // Keyed as corpus paths are recorded: a manifest is UTF-8 text, so `%` is all there is to
    // escape (config::escaped_path).
    match rows.entry(file.replace('%', "%25")) {
        std::collections::btree_map::Entry::Occupied(_) => warnings.push(format!(
            "{path}:{line}: `{file}` listed twice; the first row is kept"
        )),
        std::collections::btree_map::Entry::Vacant(e) => {
            e.insert(row);
        }
    }
}

/// How the bytes were decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Text {
        text: String,
        encoding: &'static str,
    },
    Binary,
}

/// Decodes raw bytes: UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252. Bytes with NUL
/// or a high share of control characters are binary.
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if enc == encoding_rs::UTF_8 {
            if let Ok(s) = std::str::from_utf8(body) {
                return text_or_binary(s.to_string(), "utf-8-bom");
            }
        } else {
            let (text, had_errors) = enc.decode_without_bom_handling(body);
            if !had_errors {
                let name = if enc == encoding_rs::UTF_16LE {
                    "utf-16le"
                } else {
                    "utf-16be"
                };
                return text_or_binary(text.into_owned(), name);
            }
            return Decoded::Binary;
        }
    }
    if bytes.contains(&0) {
        return Decoded::Binary;
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => text_or_binary(s.to_string(), "utf-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            text_or_binary(text.into_owned(), "windows-1252")
        }
    }
}

fn text_or_binary(text: String, encoding: &'static str) -> Decoded {
    let total = text.chars().count().max(1);
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if text.contains('\0') || control * 20 > total {
        Decoded::Binary
    } else {
        Decoded::Text { text, encoding }
    }
}

/// Metadata read from the start of a document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub published: Option<PartialDate>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub language: Option<String>,
}

/// Strips leading metadata: `date 2024-08` (possibly inline before the body) and
/// `key: value` lines for title, url, publisher, source, language, published.
pub fn read_header(text: &str) -> (Header, &str) {
    let mut header = Header::default();
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        let Some((key, after)) = split_key(trimmed) else {
            break;
        };
        match key.as_str() {
            "date" | "published" => {
                let after = after
                    .trim_start_matches([':', '='])
                    .trim_start_matches([' ', '\t']);
                let token_end = after
                    .find(|c: char| !(c.is_ascii_digit() || c == '-'))
                    .unwrap_or(after.len());
                match parse_partial_date(&after[..token_end]) {
                    Some(d) if header.published.is_none() => {
                        header.published = Some(d);
                        rest = &after[token_end..];
                    }
                    _ => break,
                }
            }
            _ => {
                // Other keys need a colon and take the rest of the line.
                let Some(value) = after.strip_prefix(':') else {
                    break;
                };
                let end = value.find('\n').unwrap_or(value.len());
                let v = value[..end].trim().to_string();
                let slot = match key.as_str() {
                    "title" => &mut header.title,
                    "url" => &mut header.url,
                    "publisher" | "source" => &mut header.publisher,
                    _ => &mut header.language,
                };
                if slot.is_some() || v.is_empty() {
                    break;
                }
                *slot = Some(v);
                rest = &value[end..];
            }
        }
    }
    if rest.len() == text.len() {
        (header, text)
    } else {
        (header, rest.trim_start())
    }
}

fn split_key(s: &str) -> Option<(String, &str)> {
    const KEYS: [&str; 7] = [
        "date",
        "published",
        "title",
        "url",
        "publisher",
        "source",
        "language",
    ];
    let end = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    let key = s[..end].to_ascii_lowercase();
    if !KEYS.contains(&key.as_str()) || &s[..end] != key.as_str() {
        return None;
    }
    let after = &s[end..];
    let next = after.chars().next()?;
    matches!(next, ':' | ' ' | '\t' | '=').then_some((key, after))
}

/// ISO 639-1 code of the text's language, when the detector is confident.
fn detect_language(text: &str) -> Option<String> {
    use whatlang::Lang;
    let sample: String = text.chars().take(4000).collect();
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() && info.confidence() < 0.5 {
        return None;
    }
    let code = match info.lang() {
        Lang::Fra => "fr",
        Lang::Eng => "en",
        Lang::Ara => "ar",
        Lang::Deu => "de",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Rus => "ru",
        Lang::Nld => "nl",
        _ => return None,
    };
    Some(code.to_string())
}

/// Runs the stage. Documents are built in doc_id order, in chunks of whole parts
/// ([`parts::part_of`]); for each part `keep(name, signature)` says whether its `texts` files
/// from the previous run still hold. A kept part's documents are not built again: their rows
/// come from `previous` (the previous run's `documents` by doc_id; a part with a document it
/// does not know is never kept), and their files are not read. Each other part's name and then
/// its texts go to `emit` as soon as its chunk is done; a file not read yet is `load`ed first.
/// `salt` is everything but the corpus that shapes the result (code version, `[ingest]`).
/// A manifest that cannot be read ends the stage before anything is emitted.
#[allow(clippy::too_many_arguments)]
pub fn run<E: Send + From<TableError>>(
    cfg: &crate::config::IngestConfig,
    input: Input,
    salt: &str,
    previous: &std::collections::HashMap<String, Document>,
    progress: &Progress,
    keep: impl Fn(&str, &str) -> bool,
    load: impl Fn(&RawFile) -> Result<Option<Vec<u8>>, E> + Sync,
    emit: impl FnMut(IngestOut) -> Result<(), E> + Send,
) -> Result<Output, E> {
    let _ = cfg; // the size limit was applied while reading; kept for the signature's sake
    let mut warnings = Vec::new();
    let manifest = match &input.manifest {
        None => BTreeMap::new(),
        Some(m) => match parse_manifest(m) {
            Ok((rows, w)) => {
                warnings.extend(w);
                rows
            }
            Err(e) => {
                return Ok(Output {
                    documents: Vec::new(),
                    parts: Vec::new(),
                    warnings,
                    manifest_error: Some(e),
                })
            }
        },
    };
    let present: BTreeSet<&str> = input.files.iter().map(|f| f.path.as_str()).collect();
    for (file, _) in manifest.iter() {
        if !present.contains(file.as_str()) {
            warnings.push(format!(
                "{}: lists `{file}`, which is not in the corpus",
                input
                    .manifest
                    .as_ref()
                    .map_or("manifest", |m| m.path.as_str())
            ));
        }
    }
    // Byte-identical files are one document: group by content hash (so by doc_id), each
    // group's paths sorted.
    let mut by_hash: BTreeMap<String, Vec<RawFile>> = BTreeMap::new();
    for f in input.files {
        by_hash.entry(f.sha256.clone()).or_default().push(f);
    }
    let mut groups: Vec<(String, Vec<RawFile>)> = by_hash.into_iter().collect();
    for (_, group) in &mut groups {
        group.sort_by(|a, b| a.path.cmp(&b.path));
    }
    let ranges = parts::ranges(
        DocumentText::TABLE,
        groups.iter().map(|(sha, _)| doc_id_of(sha)),
    )?;
    let bar = progress.bar("ingest", "documents", groups.len() as u64);
    let mut documents = Vec::with_capacity(groups.len());
    let mut done_parts = Vec::with_capacity(ranges.len());
    std::thread::scope(|scope| {
        let (tx, writer) = super::sink_thread(scope, CHUNK_DOCUMENTS, emit);
        let mut failed = None;
        'chunks: for chunk in parts::chunks(&ranges, CHUNK_DOCUMENTS) {
            let first = chunk[0].1.start;
            let of_chunk = &mut groups[first..chunk[chunk.len() - 1].1.end];
            let (chunk_parts, build) = parts::decide(
                chunk,
                |local| {
                    let mut items = vec![salt.to_string()];
                    for (sha, group) in &of_chunk[local] {
                        items.push(sha.clone());
                        for f in group {
                            let row = manifest.get(&f.path).map(|r| format!("{r:?}"));
                            items.push(format!("{:?} {} {:?}", f.path, f.len, row));
                        }
                    }
                    parts::signature(&items)
                },
                |name, signature, local| {
                    of_chunk[local]
                        .iter()
                        .all(|(sha, _)| previous.contains_key(doc_id_of(sha)))
                        && keep(name, signature)
                },
            );
            // Decoding and language detection are per document and independent: in
            // parallel, then back in id order.
            let built: Vec<Result<(Document, Option<DocumentText>), E>> = of_chunk
                .par_iter_mut()
                .zip(build)
                .map(|((sha, group), build)| {
                    let r = if build {
                        if group[0].bytes.is_none() {
                            group[0].bytes = load(&group[0])?;
                        }
                        Ok(build_document(sha, group, &manifest))
                    } else {
                        Ok((previous[doc_id_of(sha)].clone(), None))
                    };
                    bar.inc(1);
                    r
                })
                .collect();
            let mut built = built.into_iter();
            for (local, part) in chunk_parts {
                if !part.kept && tx.send(IngestOut::Part(part.name.clone())).is_err() {
                    // The writer stopped on an error, which its join returns.
                    break 'chunks;
                }
                for r in built.by_ref().take(local.len()) {
                    let (doc, text) = match r {
                        Ok(r) => r,
                        Err(e) => {
                            failed = Some(e);
                            break 'chunks;
                        }
                    };
                    documents.push(doc);
                    if let Some(t) = text {
                        if tx.send(IngestOut::Text(t)).is_err() {
                            break 'chunks;
                        }
                    }
                }
                done_parts.push(part);
            }
        }
        drop(tx);
        let written = super::joined(writer);
        match failed {
            Some(e) => Err(e),
            None => written,
        }
    })?;
    bar.finish_and_clear();
    Ok(Output {
        documents,
        parts: done_parts,
        warnings,
        manifest_error: None,
    })
}

/// A document's id: the first 16 hex digits of its content hash.
fn doc_id_of(sha: &str) -> &str {
    sha.get(..16).unwrap_or(sha)
}

/// One document from the files that share its content hash.
/// `group` sorted by path; the first file's bytes, when not over the size limit, loaded.
fn build_document(
    sha: &str,
    group: &mut [RawFile],
    manifest: &BTreeMap<String, ManifestRow>,
) -> (Document, Option<DocumentText>) {
    let (first, others) = group
        .split_first_mut()
        .expect("a group holds at least one file");
    let meta = std::iter::once(&first.path)
        .chain(others.iter().map(|f| &f.path))
        .find_map(|p| manifest.get(p))
        .cloned()
        .unwrap_or_default();
    let other_paths = (!others.is_empty()).then(|| {
        others
            .iter()
            .map(|f| f.path.as_str())
            .collect::<Vec<_>>()
            .join("|")
    });
    let built = document(sha, first, other_paths, meta);
    // The bytes are not needed once the document is built: freed now, not held to the end.
    first.bytes = None;
    built
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn document(
    sha: &str,
    file: &RawFile,
    other_paths: Option<String>,
    meta: ManifestRow,
) -> (Document, Option<DocumentText>) {
    let doc_id = doc_id_of(sha).to_string();
    let mut doc = Document {
        doc_id: doc_id.clone(),
        path: file.path.clone(),
        other_paths,
        sha256: sha.to_string(),
        bytes: file.len as i64,
        language: non_empty(meta.language.clone()),
        title: non_empty(meta.title.clone()),
        publisher: non_empty(meta.publisher.clone()),
        url: non_empty(meta.url.clone()),
        published: None,
        published_prec: None,
        published_source: None,
        n_sentences: None,
        encoding: None,
        status: "ok".into(),
    };
    if let Some(p) = meta.published.as_deref().and_then(parse_partial_date) {
        doc.published = Some(p.date);
        doc.published_prec = Some(p.prec);
        doc.published_source = Some("manifest".into());
    }
    let Some(bytes) = &file.bytes else {
        doc.status = "too_large".into();
        return (doc, None);
    };
    if bytes.is_empty() {
        doc.status = "empty".into();
        return (doc, None);
    }
    let (text, encoding) = match decode(bytes) {
        Decoded::Binary => {
            doc.status = "binary".into();
            return (doc, None);
        }
        Decoded::Text { text, encoding } => (text, encoding),
    };
    doc.encoding = Some(encoding.to_string());
    if text.chars().all(|c| c.is_whitespace() || is_invisible(c)) {
        doc.status = "whitespace_only".into();
        return (doc, None);
    }
    let (header, body) = read_header(&text);
    if doc.published.is_none() {
        if let Some(p) = header.published {
            doc.published = Some(p.date);
            doc.published_prec = Some(p.prec);
            doc.published_source = Some("header".into());
        }
    }
    doc.title = doc.title.or(header.title);
    doc.url = doc.url.or(header.url);
    doc.publisher = doc.publisher.or(header.publisher);
    doc.language = doc
        .language
        .or(header.language)
        .or_else(|| detect_language(body));
    let text = DocumentText {
        doc_id,
        text: body.to_string(),
    };
    (doc, Some(text))
}

/// Zero-width and bidi control characters, which carry no text.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}' | '\u{00ad}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn decoded(bytes: &[u8], want_text: &str, want_enc: &str) {
        match decode(bytes) {
            Decoded::Text { text, encoding } => {
                assert_eq!(text, want_text);
                assert_eq!(encoding, want_enc);
            }
            Decoded::Binary => panic!("decoded as binary"),
        }
    }

    #[test]
    fn decodes_each_encoding() {
        decoded("tués à Gao".as_bytes(), "tués à Gao", "utf-8");
        decoded(b"\xef\xbb\xbfbonjour", "bonjour", "utf-8-bom");
        decoded(b"tu\xe9s \xe0 Gao", "tués à Gao", "windows-1252");
        decoded(b"\x92l\x92", "\u{2019}l\u{2019}", "windows-1252");
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("été".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        decoded(&le, "été", "utf-16le");
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain("été".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        decoded(&be, "été", "utf-16be");
        assert_eq!(decode(b"PK\x03\x04\x00\x00binary"), Decoded::Binary);
    }

    #[test]
    fn header_inline_date() {
        let (h, body) = read_header(" date 2024-08 La Russie a dit");
        assert_eq!(h.published, parse_partial_date("2024-08"));
        assert_eq!(h.published.map(|p| p.prec), Some(4));
        assert_eq!(body, "La Russie a dit");
    }

    #[test]
    fn header_lines() {
        let (h, body) = read_header(
            "title: Attaque à Djibo\nurl: https://x.example/a\ndate: 2023-05-02\n\nTexte.",
        );
        assert_eq!(h.title.as_deref(), Some("Attaque à Djibo"));
        assert_eq!(h.url.as_deref(), Some("https://x.example/a"));
        assert_eq!(h.published.map(|p| p.prec), Some(1));
        assert_eq!(body, "Texte.");
    }

    #[test]
    fn no_header_leaves_text_alone() {
        for t in [
            "Date de l'attaque inconnue.",
            "dates 2024",
            "date limite 2024-13-01 x",
            "Selon l'armée.",
        ] {
            assert_eq!(read_header(t).1, t);
        }
    }

    #[test]
    fn partial_dates() {
        assert_eq!(parse_partial_date("2024").map(|p| p.prec), Some(5));
        assert!(parse_partial_date("2024-13").is_none());
        assert!(parse_partial_date("24-01-01").is_none());
        assert!(parse_partial_date("2024-02-30").is_none());
    }

    fn manifest(text: &str) -> Result<(BTreeMap<String, ManifestRow>, Vec<String>), ManifestError> {
        parse_manifest(&ManifestFile {
            path: "m.csv".into(),
            bytes: text.as_bytes().to_vec(),
        })
    }

    #[test]
    fn manifest_rejects_bad_headers_and_paths() {
        assert!(manifest("file,colour\n")
            .unwrap_err()
            .to_string()
            .contains("unknown column `colour`"));
        assert!(manifest("file,file\n")
            .unwrap_err()
            .to_string()
            .contains("repeats"));
        let (rows, warnings) =
            manifest("file,published\n../../etc/passwd,\n/etc/hosts,\na.txt,2024-08\na.txt,\n")
                .expect("readable");
        assert_eq!(rows.len(), 1);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].starts_with("m.csv:2:"));
    }

    #[test]
    fn manifest_warnings_name_physical_lines_and_keys_escape_percent() {
        let (rows, warnings) =
            manifest("file,title\na.txt,\"Sur\ndeux lignes\"\n/etc/hosts,x\n100%.txt,y\n")
                .expect("readable");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].starts_with("m.csv:4:"), "{warnings:?}");
        assert!(rows.contains_key("100%25.txt"), "{rows:?}");
    }

    fn raw(path: &str, bytes: &[u8]) -> RawFile {
        RawFile {
            path: path.into(),
            len: bytes.len() as u64,
            sha256: crate::pipeline::sha256_hex(bytes),
            bytes: Some(bytes.to_vec()),
            unread: None,
        }
    }

    #[test]
    fn every_file_is_accounted_for() {
        let files = vec![
            raw("a.txt", "Trois civils tués.".as_bytes()),
            raw("copy/a.txt", "Trois civils tués.".as_bytes()),
            raw("empty.txt", b""),
            raw("blank.txt", b" \n\t\xe2\x80\x8b\n"),
            raw("bin.dat", b"\x00\x01\x02"),
            RawFile {
                path: "big.txt".into(),
                len: 99,
                sha256: "f".repeat(64),
                bytes: None,
                unread: None,
            },
        ];
        let mut texts = Vec::new();
        let out = run(
            &Default::default(),
            Input {
                files,
                manifest: None,
            },
            "salt",
            &Default::default(),
            &Progress::hidden(),
            |_, _| false,
            |_| Ok::<_, TableError>(None),
            |o| {
                if let IngestOut::Text(t) = o {
                    texts.push(t);
                }
                Ok(())
            },
        )
        .expect("runs");
        let mut status: Vec<(String, String)> = out
            .documents
            .iter()
            .map(|d| (d.path.clone(), d.status.clone()))
            .collect();
        status.sort();
        assert_eq!(
            status,
            [
                ("a.txt", "ok"),
                ("big.txt", "too_large"),
                ("bin.dat", "binary"),
                ("blank.txt", "whitespace_only"),
                ("empty.txt", "empty"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let a = out
            .documents
            .iter()
            .find(|d| d.path == "a.txt")
            .expect("a.txt");
        assert_eq!(a.other_paths.as_deref(), Some("copy/a.txt"));
        assert_eq!(texts.len(), 1);
    }
}
