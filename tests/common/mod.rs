//! Helpers shared by the suites that run hand-written articles through the stages in memory.
//! Each test crate compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::Path;

use concord::reference::Reference;
use concord::stage::normalise::Abbreviations;
use concord::table::Document;
use jiff::civil::Date;

/// The project's reference data and abbreviation list, as the stages load them.
pub fn reference() -> (Reference, Abbreviations) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let refs = Reference::load(&root.join("data/reference")).expect("reference data loads");
    let abbreviations = Abbreviations::from_toml(
        &std::fs::read_to_string(root.join("data/reference/lexicon/abbreviations.toml"))
            .expect("abbreviations"),
    )
    .expect("abbreviations parse");
    (refs, abbreviations)
}

/// The `documents` row of a hand-written article, published on `published` (to the day).
pub fn document(
    doc_id: &str,
    file: &str,
    text: &str,
    published: Option<Date>,
    n_sentences: usize,
) -> Document {
    Document {
        doc_id: doc_id.into(),
        path: format!("{file}.txt"),
        other_paths: None,
        sha256: String::new(),
        bytes: text.len() as i64,
        language: Some("fr".into()),
        title: None,
        publisher: None,
        url: None,
        published,
        published_prec: published.map(|_| 1),
        published_source: published.map(|_| "manifest".into()),
        n_sentences: Some(n_sentences as i64),
        encoding: Some("utf-8".into()),
        status: "ok".into(),
    }
}

/// Place names compared as the gazetteer matches them (case, accents, hyphens aside).
pub fn fold(s: &str) -> String {
    concord::reference::text::place_key(s)
}
