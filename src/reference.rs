//! Reference data under `data/reference/`: lexicons, actors, sources and the gazetteer,
//! validated when loaded. (being built)

use std::path::Path;

use crate::error::ReferenceError;

pub struct Reference;

impl Reference {
    pub fn load(_dir: &Path) -> Result<Reference, ReferenceError> {
        Ok(Reference)
    }
}
