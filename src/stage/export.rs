//! export: the release directory, its versioned copy and the report. (being built)

use crate::config::Config;
use crate::error::PipelineError;
use crate::pipeline::{FileEntry, OutputFile};

pub const LOGIC_VERSION: u32 = 1;
pub const BUILT: bool = false;

pub struct Input;

pub fn gather(_cfg: &Config) -> Result<(Vec<FileEntry>, Input), PipelineError> {
    Err(PipelineError::NotBuilt("export"))
}

pub fn run(_cfg: &Config, _input: Input) -> Result<Vec<OutputFile>, PipelineError> {
    Err(PipelineError::NotBuilt("export"))
}

pub fn verify_release(_cfg: &Config) -> Result<Vec<String>, PipelineError> {
    Ok(Vec::new())
}
