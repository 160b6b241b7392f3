//! Error types, one enum per area, each variant naming what failed and where (file, line,
//! table, stage). Bad documents are not errors: they become `documents` rows with a status.

use std::path::PathBuf;

use thiserror::Error;

/// A problem with `pipeline.toml`.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("cannot read config {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: invalid setting `{key}`: {reason}")]
    Invalid {
        path: PathBuf,
        key: &'static str,
        reason: String,
    },
}

/// A problem writing or reading one table.
#[derive(Debug, Error)]
pub enum TableError {
    #[error("table {table}: two rows share the primary key {key}")]
    DuplicateKey { table: &'static str, key: String },
    #[error("table {table}: arrow error: {source}")]
    Arrow {
        table: &'static str,
        source: arrow::error::ArrowError,
    },
    #[error("table {table}: parquet error: {source}")]
    Parquet {
        table: &'static str,
        source: parquet::errors::ParquetError,
    },
    #[error("table {table}: csv error: {source}")]
    Csv {
        table: &'static str,
        source: csv::Error,
    },
    #[error("{path}:{line}: {source}")]
    Read {
        path: String,
        line: u64,
        source: csv::Error,
    },
    #[error("{path}: data row {row}: key {key} comes after {previous}, but rows must be in primary-key order")]
    OutOfOrder {
        path: String,
        row: u64,
        key: String,
        previous: String,
    },
    #[error("{path}: header is `{got}`, expected `{want}`")]
    Header {
        path: String,
        want: String,
        got: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// A problem with the reference data under `data/reference/`.
#[derive(Debug, Error)]
pub enum ReferenceError {
    #[error("cannot read reference file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        message: String,
    },
}

/// A problem with the manifest that is not a single bad row.
#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("{path}:1: manifest header {problem}; expected columns file,url,publisher,published,language,title")]
    Header { path: String, problem: String },
    #[error("{path}:{line}: {source}")]
    Csv {
        path: String,
        line: u64,
        source: csv::Error,
    },
}

/// A failure of the pipeline driver: I/O, locks, stale or corrupt stage outputs.
#[derive(Debug, Error)]
pub enum PipelineError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: invalid stage lock: {source}")]
    Lock {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("stage {stage} needs the outputs of {needs}, which has not run (run `concord {needs}` or `concord run`)")]
    MissingInput {
        stage: &'static str,
        needs: &'static str,
    },
    #[error("stage {stage} input {path} does not match its lock ({reason}); rerun `concord {producer}` or `concord run`")]
    CorruptInput {
        stage: &'static str,
        producer: &'static str,
        path: String,
        reason: String,
    },
    #[error("data directory {dir} is in use by another concord process ({holder}); wait for it to finish")]
    Busy { dir: PathBuf, holder: String },
    #[error("nothing is built in {dir} yet, so there is nothing to verify; run `concord run`")]
    NothingBuilt { dir: PathBuf },
    #[error("{path}: {message}")]
    Release { path: PathBuf, message: String },
}

impl PipelineError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        PipelineError::Io {
            path: path.into(),
            source,
        }
    }
}
