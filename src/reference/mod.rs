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

/// `s` as a string that lives as long as the process, one copy per distinct string. Output
/// rows cite reference ids (rule ids, actor ids, trigger types) by the tens of millions at
/// scale; interned once when the reference data is loaded, they are carried as borrowed
/// `&'static str` instead of being allocated and freed with every row. Loading the same
/// reference data again (each stage, each test) adds nothing.
pub fn intern(s: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{LazyLock, Mutex, PoisonError};
    static STRINGS: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(Mutex::default);
    // A panic elsewhere while the lock was held leaves the set consistent: insertion is its
    // only mutation.
    let mut strings = STRINGS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = strings.get(s) {
        return known;
    }
    let leaked: &'static str = Box::leak(s.into());
    strings.insert(leaked);
    leaked
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interning_keeps_one_copy_per_distinct_string() {
        let owned = String::from("rule-interned-once");
        let a = intern(&owned);
        let b = intern("rule-interned-once");
        assert_eq!(a, "rule-interned-once");
        assert!(std::ptr::eq(a, b), "equal strings share one copy");
        assert!(!std::ptr::eq(a, intern("rule-interned-twice")));
    }
}
