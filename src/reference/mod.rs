//! Reference data under `data/reference/`: lexicons (`lexicon/*.toml`), actors and sources
//! (`actors.toml`, `sources.toml`) and the gazetteer (`places.csv`, `admin_units.csv`,
//! `countries.csv`). Everything is validated when loaded (unknown keys, value sets, duplicate
//! ids) and every entry keeps the id that output rows cite in `rule_id`.
//!
//! All phrases are compiled into one trie over folded words, so a sentence is scanned once,
//! one lookup per token, whatever the number of lexicon entries.

pub mod gazetteer;
pub mod lexicon;
pub mod text;

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::ReferenceError;

pub use gazetteer::{Gazetteer, Place};
pub use lexicon::{Actor, Lexicon, Match, Matches, SourceEntry, Tag, Trigger};

/// All reference data one extract or reconcile run needs.
pub struct Reference {
    pub lexicon: Lexicon,
    pub gazetteer: Gazetteer,
}

impl Reference {
    /// Loads and validates everything under `dir`.
    pub fn load(dir: &Path) -> Result<Reference, ReferenceError> {
        Ok(Reference {
            lexicon: Lexicon::load(dir)?,
            gazetteer: Gazetteer::load(dir)?,
        })
    }
}

/// Reads and parses one TOML reference file, naming the file and line on error.
pub(crate) fn read_toml<T: DeserializeOwned>(path: PathBuf) -> Result<T, ReferenceError> {
    let text = std::fs::read_to_string(&path).map_err(|source| ReferenceError::Read {
        path: path.clone(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ReferenceError::Invalid {
        line: e.span().map_or(1, |s| {
            text[..s.start.min(text.len())].matches('\n').count() + 1
        }),
        path,
        message: e.message().to_string(),
    })
}
