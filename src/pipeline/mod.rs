//! The pipeline driver: the only module that touches the file system. It gathers a stage's
//! inputs, decides from the stage lock whether the stage is stale, runs the pure stage function,
//! writes its outputs atomically and records the new lock.
//!
//! Guarantees: outputs are written to a temporary file, fsynced and renamed, and the stage lock
//! is removed before and written after them, so an interrupted run leaves either no lock or a
//! lock whose hashes do not match, which `verify` and `run` both reject; the temporary files a
//! killed write leaves are removed by the next holder of the data directory and reported by
//! `verify`. One process at a time holds the data directory ([`crate::lock`]); `verify` lives
//! in [`crate::verify`]; what a stage reads and how its staleness is judged, in `pipeline/inputs.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::error::PipelineError;
use crate::progress::Progress;
use crate::stage::{self, Stage};
use crate::table::{self, Document, Encoded, Mention, Row};

/// The abbreviation list the sentence splitter reads, relative to the reference directory.
pub const ABBREVIATIONS: &str = "lexicon/abbreviations.toml";

/// One input file as recorded in a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub bytes: u64,
    /// Digest string (`blake3:<hex>`; `sha256:<hex>` for corpus files, see [`crate::digest`]).
    /// Locks written before digests named their algorithm called it `sha256`.
    #[serde(alias = "sha256")]
    pub digest: String,
    pub path: String,
}

/// One output file as recorded in a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputEntry {
    pub bytes: u64,
    /// Digest string (`blake3:<hex>`).
    #[serde(alias = "sha256")]
    pub digest: String,
    pub path: String,
    pub rows: Option<u64>,
}

/// `data/<stage>/stage.lock`: everything that determined a stage's outputs, and their digests.
/// Fields are declared in alphabetical order so that the JSON keys are sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageLock {
    pub code_version: String,
    pub config_digest: String,
    pub inputs: Vec<FileEntry>,
    pub outputs: Vec<OutputEntry>,
    /// For the tables a stage stores in parts (`texts`, `normalised`, `sentences`, `mentions`;
    /// see `stage::parts`): each part's path without its extension, as outputs show it, and
    /// the signature of what it holds. A part whose signature has not changed is kept as it is
    /// by the next run. Absent when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parts: BTreeMap<String, String>,
    pub reference_digest: String,
    pub stage: String,
    /// How data travels to the next stage (e.g. decoded text as the `texts` table).
    pub transport: String,
}

/// A file a stage produced, not yet in place: its bytes, or (for tables streamed to disk) a
/// synced temporary file that commit renames.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: PathBuf,
    /// Shared, so that a copy of a file (the versioned release) costs no second buffer.
    pub bytes: Arc<Vec<u8>>,
    pub rows: Option<u64>,
    pub staged: Option<table::Staged>,
    /// The digest of `bytes` for the lock, computed on first use and shared with copies.
    digest: Arc<std::sync::OnceLock<String>>,
    /// The sha256 of `bytes`, for release files only: asked for by the datapackage,
    /// SHA256SUMS and the content id, for the release and its versioned copy.
    sha256: Arc<std::sync::OnceLock<String>>,
}

impl OutputFile {
    /// The digest string of the file's bytes, as its lock records it.
    pub fn digest(&self) -> String {
        match &self.staged {
            Some(st) => st.digest.clone(),
            None => self
                .digest
                .get_or_init(|| crate::digest::content_digest(&self.bytes))
                .clone(),
        }
    }

    /// The hex sha256 of the file's bytes (a release file's checksum). Only for outputs
    /// held in memory: streamed tables are stage tables, never release files.
    pub fn sha256(&self) -> String {
        self.sha256.get_or_init(|| sha256_hex(&self.bytes)).clone()
    }

    /// An output held in memory.
    pub fn new(path: PathBuf, bytes: Vec<u8>, rows: Option<u64>) -> OutputFile {
        OutputFile {
            path,
            bytes: Arc::new(bytes),
            rows,
            staged: None,
            digest: Arc::default(),
            sha256: Arc::default(),
        }
    }

    /// The same bytes under another path.
    pub fn copy_to(&self, path: PathBuf) -> OutputFile {
        OutputFile {
            path,
            bytes: Arc::clone(&self.bytes),
            rows: self.rows,
            staged: None,
            digest: Arc::clone(&self.digest),
            sha256: Arc::clone(&self.sha256),
        }
    }

    /// An output already written to a temporary file.
    pub fn staged(staged: table::Staged) -> OutputFile {
        OutputFile {
            path: staged.path.clone(),
            bytes: Arc::new(Vec::new()),
            rows: Some(staged.rows),
            staged: Some(staged),
            digest: Arc::default(),
            sha256: Arc::default(),
        }
    }
}

/// Driver options from the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    pub force: bool,
    pub quiet: bool,
}

/// What happened to one stage in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Ran { files: usize, rows: u64 },
    UpToDate,
}

/// A stage's state as shown by `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    UpToDate,
    Stale(Vec<String>),
    NeverRun,
    Blocked(String),
}

pub use crate::digest::sha256_hex;
use crate::digest::Algo;

mod inputs;
mod parts;
use inputs::{fingerprint, staleness};
pub use inputs::{gather, Carried, Carry, Fingerprint, Gathered, StageInput, TableFiles, Upstream};

/// The directory holding a stage's tables and lock.
pub fn stage_dir(cfg: &Config, stage: Stage) -> PathBuf {
    cfg.data_dir.join(stage.name())
}

/// `data/<stage>/stage.lock`.
pub fn lock_path(cfg: &Config, stage: Stage) -> PathBuf {
    stage_dir(cfg, stage).join("stage.lock")
}

/// Reads a stage lock; `None` if the stage never completed.
pub fn read_lock(cfg: &Config, stage: Stage) -> Result<Option<StageLock>, PipelineError> {
    let path = lock_path(cfg, stage);
    match fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|source| PipelineError::Lock { path, source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(PipelineError::io(path, e)),
    }
}

fn lock_bytes(lock: &StageLock) -> Vec<u8> {
    // Through serde_json::Value, whose map is ordered, so nested keys are sorted too.
    let value = serde_json::to_value(lock).expect("a lock is plain data and always serialises");
    let mut text = serde_json::to_string_pretty(&value).expect("a JSON value always serialises");
    text.push('\n');
    text.into_bytes()
}

/// Writes and syncs `bytes` to a temporary file beside `path` and returns its name; on
/// failure nothing is left behind.
fn write_temporary(path: &Path, bytes: &[u8]) -> Result<PathBuf, PipelineError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| PipelineError::io(dir, e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}{TMP_MARK}{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(PipelineError::io(path, e))
        }
    }
}

/// Writes bytes to `path` atomically: temporary file in the same directory, fsync, rename.
/// A process killed in between leaves the temporary file (`.<name>.tmp-<pid>`); see
/// [`temporary_files`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PipelineError> {
    let tmp = write_temporary(path, bytes)?;
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(PipelineError::io(path, e));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Ok(d) = fs::File::open(dir) {
        // Persist the rename itself; not every file system supports fsync on directories.
        let _ = d.sync_all();
    }
    Ok(())
}

/// What sits between a file's name and the writer's pid in a temporary file's name.
const TMP_MARK: &str = ".tmp-";

/// Whether a file name is one of [`write_atomic`]'s temporary files (or a streamed table's,
/// named alike): `.<name>.tmp-<pid>`.
fn is_temporary(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        && name
            .rsplit_once(TMP_MARK)
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// The temporary files of interrupted writes below the data and reports directories, sorted.
/// While a process holds the data directory they may be its own; otherwise they are litter
/// of a process killed mid-write. The extract cache is left out: it is not an output, and
/// prunes its own strays.
pub fn temporary_files(cfg: &Config) -> Vec<PathBuf> {
    fn walk(dir: &Path, skip: &Path, out: &mut std::collections::BTreeSet<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            if kind.is_dir() && path != skip {
                walk(&path, skip, out);
            } else if kind.is_file() && is_temporary(&entry.file_name()) {
                out.insert(path);
            }
        }
    }
    let cache = stage::extract::cache::dir(&cfg.data_dir);
    let mut found = std::collections::BTreeSet::new();
    walk(&cfg.data_dir, &cache, &mut found);
    walk(&cfg.reports_dir, &cache, &mut found);
    found.into_iter().collect()
}

/// Removes the temporary files a killed process left behind. Only for the holder of the data
/// directory, for whom no other writer exists. Returns one message per file; a file that
/// cannot be removed is reported, not an error (it holds nothing a table or lock refers to).
pub fn remove_temporaries(cfg: &Config) -> Vec<String> {
    temporary_files(cfg)
        .into_iter()
        .map(|p| {
            let shown = cfg.display_path(&p);
            match fs::remove_file(&p) {
                Ok(()) => format!("removed {shown}, left by an interrupted write"),
                Err(e) => format!("cannot remove {shown}, left by an interrupted write: {e}"),
            }
        })
        .collect()
}

/// Removes the temporary files this process wrote below `dir` (a stage that failed before its
/// commit); those of other processes are [`remove_temporaries`]'s.
fn remove_own_temporaries(cfg: &Config, dir: &Path) {
    let own = format!("{TMP_MARK}{}", std::process::id());
    for tmp in temporary_files(cfg) {
        if tmp.starts_with(dir) && tmp.to_string_lossy().ends_with(&own) {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// Moves a synced temporary file into place and persists the rename.
fn rename_into_place(tmp: &Path, path: &Path) -> Result<(), PipelineError> {
    fs::rename(tmp, path).map_err(|e| {
        let _ = fs::remove_file(tmp);
        PipelineError::io(path, e)
    })?;
    if let Ok(d) = fs::File::open(path.parent().unwrap_or(Path::new("."))) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn remove_if_exists(path: &Path) -> Result<(), PipelineError> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(PipelineError::io(path, e)),
    }
}

/// Renders one table as its Parquet and CSV output files in `dir`.
pub fn table_files<T: Row>(dir: &Path, rows: &mut [T]) -> Result<Vec<OutputFile>, PipelineError> {
    let Encoded {
        table,
        rows: n,
        parquet,
        csv,
    } = table::encode(rows)?;
    Ok(vec![
        OutputFile::new(
            dir.join(format!("{table}.parquet")),
            parquet,
            Some(n as u64),
        ),
        OutputFile::new(dir.join(format!("{table}.csv")), csv, Some(n as u64)),
    ])
}

/// Every regular file below `dir`, recursively, hidden entries skipped, sorted by path.
/// Symbolic links are not followed, so a corpus cannot reach outside its directory.
pub fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), PipelineError> {
    list_files_skipping(dir, &[], out)
}

/// [`list_files`], without entering the directories in `skip` (canonical paths, as
/// `fs::canonicalize` gives them), wherever they lie below `dir`.
pub fn list_files_skipping(
    dir: &Path,
    skip: &[PathBuf],
    out: &mut Vec<PathBuf>,
) -> Result<(), PipelineError> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| PipelineError::io(dir, e))?
        .collect::<Result<_, _>>()
        .map_err(|e| PipelineError::io(dir, e))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| PipelineError::io(&path, e))?;
        if kind.is_dir() {
            let skipped =
                !skip.is_empty() && fs::canonicalize(&path).is_ok_and(|c| skip.contains(&c));
            if !skipped {
                list_files_skipping(&path, skip, out)?;
            }
        } else if kind.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// Compares a lock's outputs with the files on disk; one message per mismatch.
pub fn check_outputs(cfg: &Config, lock: &StageLock) -> Vec<String> {
    lock.outputs
        .iter()
        .filter_map(|out| check_output(cfg, out))
        .collect()
}

/// Compares one output a lock lists with the file on disk; a message if they differ.
fn check_output(cfg: &Config, out: &OutputEntry) -> Option<String> {
    let path = cfg.root.join(&out.path);
    match fs::metadata(&path).map(|m| m.len()) {
        Err(_) => Some(format!("output missing: {}", out.path)),
        Ok(len) if len != out.bytes => Some(format!(
            "output modified: {} ({len} bytes, lock says {})",
            out.path, out.bytes
        )),
        Ok(_) => match crate::digest::file_digest(&path, Algo::Blake3) {
            Err(_) => Some(format!("output missing: {}", out.path)),
            Ok((_, digest)) if digest != out.digest => {
                Some(format!("output modified: {} (digest differs)", out.path))
            }
            Ok(_) => None,
        },
    }
}

/// Runs one stage unless its lock shows it up to date (or `force`).
pub fn run_stage(cfg: &Config, stage: Stage, opts: Options) -> Result<Outcome, PipelineError> {
    with_stamps(cfg, || {
        run_stage_hashed(cfg, stage, opts, &mut Carry::default())
    })
}

/// Runs `work` with the digests remembered by earlier commands loaded, and saves those still
/// valid afterwards, whatever `work` returned: of the data directory's tables, of the corpus
/// files (which ingest then need not read to know them unchanged), of the reference data every
/// stage's lock names, and of the report in the reports directory (export's outputs too, tens
/// of megabytes at 100,000 articles).
fn with_stamps<T>(cfg: &Config, work: impl FnOnce() -> T) -> T {
    let stamps = crate::digest::stamps_path(&cfg.data_dir);
    crate::digest::load_stamps(&stamps);
    let out = work();
    let mut roots = vec![
        cfg.data_dir.as_path(),
        cfg.corpus_dir.as_path(),
        cfg.reference_dir.as_path(),
        cfg.reports_dir.as_path(),
    ];
    roots.extend(cfg.manifest.as_deref());
    crate::digest::save_stamps(&stamps, &roots);
    out
}

/// Runs one stage unless it is up to date; its inputs are taken from `carry` where it holds
/// them, and the tables it hands on are added to it once committed.
fn run_stage_hashed(
    cfg: &Config,
    stage: Stage,
    opts: Options,
    carry: &mut Carry,
) -> Result<Outcome, PipelineError> {
    let progress = Progress::new(opts.quiet);
    let lock = if opts.force {
        None
    } else {
        read_lock(cfg, stage)?
    };
    // Up to date is decided from digests before any input is read and decoded.
    if let Some(lock) = &lock {
        if let Some(print) = fingerprint(cfg, stage, carry)? {
            if staleness(cfg, stage, lock, &print).is_empty() {
                return Ok(Outcome::UpToDate);
            }
        }
    }
    let gathered = gather(cfg, stage, &progress, carry)?;
    if let Some(lock) = &lock {
        if staleness(cfg, stage, lock, &gathered.fingerprint).is_empty() {
            return Ok(Outcome::UpToDate);
        }
    }
    let Gathered {
        fingerprint:
            Fingerprint {
                inputs,
                config_digest,
                reference_digest,
            },
        data,
    } = gathered;
    // Per-document caches are keyed by everything else that shapes a stage's result.
    let salt = format!(
        "{}\u{1f}{config_digest}\u{1f}{reference_digest}",
        stage.code_version()
    );
    let computed = compute(cfg, data, &salt, lock.as_ref(), opts, &progress);
    if computed.is_err() {
        // Tables streamed to temporary files before the failure are not left behind.
        remove_own_temporaries(cfg, &stage_dir(cfg, stage));
    }
    let Computed {
        outputs,
        transport,
        spent,
        kept,
        parts,
        carried,
    } = computed?;
    let files = outputs.len();
    let rows = outputs.iter().filter_map(|o| o.rows).max().unwrap_or(0);
    // A stage's tables are millions of strings allocated by the worker threads: freed on this
    // thread before the commit, they took seconds (2.1 s for extract's at 100k articles)
    // during which nothing else ran. They are freed beside the commit instead, and the stage
    // ends when both are done, so its memory is not carried into the next. (Should no thread
    // be had, the closure, and with it the tables, is dropped here.)
    let freeing = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(spent))
        .ok();
    let committed = commit(
        cfg,
        stage,
        StageLock {
            code_version: stage.code_version(),
            config_digest,
            inputs,
            outputs: kept,
            parts,
            reference_digest,
            stage: stage.name().to_string(),
            transport,
        },
        outputs,
    );
    if let Some(Err(panic)) = freeing.map(std::thread::JoinHandle::join) {
        std::panic::resume_unwind(panic);
    }
    committed?;
    for c in carried {
        carry.put(cfg, c);
    }
    Ok(Outcome::Ran { files, rows })
}

/// What a stage has finished with when its outputs are rendered, to be freed (see
/// `run_stage_hashed`).
type Spent = Box<dyn Send>;

/// What a stage computed: the files to write, how data travels on, what to free, for a
/// table stored in parts the parts kept from the previous run (their lock entries) and every
/// part's signature, and the tables it hands to the stages after it ([`Carry`]).
struct Computed {
    outputs: Vec<OutputFile>,
    transport: String,
    spent: Spent,
    kept: Vec<OutputEntry>,
    parts: BTreeMap<String, String>,
    carried: Vec<Carried>,
}

impl Computed {
    fn whole(outputs: Vec<OutputFile>, transport: &str, spent: Spent) -> Computed {
        Computed {
            outputs,
            transport: transport.into(),
            spent,
            kept: Vec::new(),
            parts: BTreeMap::new(),
            carried: Vec::new(),
        }
    }
}

/// A table's rows, sorted as its CSV file in `dir` holds them, taken for the [`Carry`].
fn carried<T: Row + 'static>(dir: &Path, rows: &mut Vec<T>) -> Option<Carried> {
    Carried::of(dir.join(format!("{}.csv", T::TABLE)), std::mem::take(rows))
}

/// The rows of the stage's own `documents` table as its previous run wrote them (checked
/// against its lock), for the documents of the parts it keeps; none when there was no previous
/// run, that run kept no parts or the table cannot be had, and then no part is kept.
fn previous_documents(cfg: &Config, previous: Option<&StageLock>, dir: &Path) -> Vec<Document> {
    let read = || -> Option<Vec<Document>> {
        let previous = previous.filter(|p| !p.parts.is_empty())?;
        let path = dir.join(format!("{}.csv", Document::TABLE));
        let shown = cfg.display_path(&path);
        let entry = previous.outputs.iter().find(|o| o.path == shown)?;
        let (bytes, digest) = crate::digest::read_hashed(&path, Algo::Blake3).ok()?;
        if digest != entry.digest {
            return None;
        }
        table::decode_csv(&bytes, &shown).ok()
    };
    read().unwrap_or_default()
}

/// "in N parts, W written, K kept", for a stage's log.
fn parts_summary(parts: &[stage::parts::Part]) -> String {
    let written = parts.iter().filter(|p| !p.kept).count();
    format!(
        "in {} parts, {written} written, {} kept",
        parts.len(),
        parts.len() - written
    )
}

fn compute(
    cfg: &Config,
    data: StageInput,
    salt: &str,
    previous: Option<&StageLock>,
    opts: Options,
    progress: &Progress,
) -> Result<Computed, PipelineError> {
    match data {
        StageInput::Ingest(input) => {
            use crate::table::DocumentText;
            let dir = stage_dir(cfg, Stage::Ingest);
            let keeper = parts::Keeper::new(cfg, previous, &dir, &[DocumentText::TABLE]);
            let documents: std::collections::HashMap<String, Document> =
                previous_documents(cfg, previous, &dir)
                    .into_iter()
                    .map(|d| (d.doc_id.clone(), d))
                    .collect();
            let mut texts = parts::PartWriter::<DocumentText>::new(&dir);
            let mut out = stage::ingest::run(
                &cfg.raw.ingest,
                input,
                salt,
                &documents,
                progress,
                |name: &str, signature: &str| keeper.keeps(name, signature),
                crate::corpus::load,
                |o| -> Result<(), PipelineError> {
                    match o {
                        stage::ingest::IngestOut::Part(name) => texts.start(&name)?,
                        stage::ingest::IngestOut::Text(t) => texts.push(vec![t], None)?,
                    }
                    Ok(())
                },
            )?;
            if let Some(e) = out.manifest_error {
                return Err(e.into());
            }
            for w in &out.warnings {
                eprintln!("warning: {w}");
            }
            let mut files: Vec<OutputFile> = texts
                .finish()?
                .into_iter()
                .map(OutputFile::staged)
                .collect();
            files.extend(table_files(&dir, &mut out.documents)?);
            if !opts.quiet {
                eprintln!("  ingest: texts {}", parts_summary(&out.parts));
            }
            let (kept, parts) = keeper.settle(&out.parts)?;
            Ok(Computed {
                outputs: files,
                transport: "decoded text as the texts table (in parts)".into(),
                spent: Box::new(out),
                kept,
                parts,
                carried: Vec::new(),
            })
        }
        StageInput::Normalise(input) => {
            use crate::table::{NormalisedText, Sentence};
            let dir = stage_dir(cfg, Stage::Normalise);
            let keeper = parts::Keeper::new(
                cfg,
                previous,
                &dir,
                &[NormalisedText::TABLE, Sentence::TABLE],
            );
            let counts: std::collections::HashMap<String, i64> =
                previous_documents(cfg, previous, &dir)
                    .into_iter()
                    .filter_map(|d| Some((d.doc_id, d.n_sentences?)))
                    .collect();
            let mut texts = parts::PartWriter::<NormalisedText>::new(&dir);
            let mut sentences = parts::PartWriter::<Sentence>::new(&dir);
            let mut out = stage::normalise::run(
                &cfg.raw.normalise,
                input,
                salt,
                &counts,
                progress,
                |name: &str, signature: &str| keeper.keeps(name, signature),
                |part: &stage::parts::PartFile| inputs::read_text_part(cfg, part),
                |o| -> Result<(), PipelineError> {
                    match o {
                        stage::normalise::NormaliseOut::Part(name) => {
                            texts.start(&name)?;
                            sentences.start(&name)?;
                        }
                        stage::normalise::NormaliseOut::Document(t, s) => {
                            texts.push(vec![t], None)?;
                            sentences.push(s, None)?;
                        }
                    }
                    Ok(())
                },
            )?;
            let mut files: Vec<OutputFile> = texts
                .finish()?
                .into_iter()
                .chain(sentences.finish()?)
                .map(OutputFile::staged)
                .collect();
            files.extend(table_files(&dir, &mut out.documents)?);
            if !opts.quiet {
                eprintln!(
                    "  normalise: texts and sentences {}",
                    parts_summary(&out.parts)
                );
            }
            let (kept, parts) = keeper.settle(&out.parts)?;
            Ok(Computed {
                outputs: files,
                transport: "normalised text and sentences tables (in parts)".into(),
                spent: Box::new(out),
                kept,
                parts,
                carried: Vec::new(),
            })
        }
        StageInput::Extract(input) => {
            let refs = crate::reference::Reference::load(&cfg.reference_dir)?;
            let cache = stage::extract::cache::Cache::new(
                stage::extract::cache::dir(&cfg.data_dir),
                salt.to_string(),
                !opts.force,
            );
            let dir = stage_dir(cfg, Stage::Extract);
            let keeper = parts::Keeper::new(cfg, previous, &dir, &[Mention::TABLE]);
            let mut mentions = parts::PartWriter::<Mention>::new(&dir);
            let mut out = stage::extract::run(
                &cfg.raw.extract,
                &refs,
                input,
                cache,
                progress,
                |name: &str, signature: &str| keeper.keeps(name, signature),
                |part: &stage::parts::PartFile| {
                    inputs::read_part(cfg, Stage::Extract, Stage::Normalise, part)
                },
                |m| -> Result<(), PipelineError> {
                    match m {
                        stage::extract::MentionsOut::Part(name) => mentions.start(&name)?,
                        stage::extract::MentionsOut::Rows(rows, csv) => {
                            mentions.push(rows, csv.as_deref())?
                        }
                    }
                    Ok(())
                },
            )?;
            let written = mentions.finish()?;
            if !opts.quiet {
                eprintln!(
                    "  extract: {} of {} documents extracted, {} from the per-document cache",
                    out.cache.misses,
                    out.cache.misses + out.cache.hits,
                    out.cache.hits
                );
                let (read, parts) = out.sentence_parts;
                let remembered = match parts - read {
                    0 => String::new(),
                    n => format!(" ({n} unchanged, their documents' keys remembered)"),
                };
                eprintln!("  extract: sentences read from {read} of {parts} parts{remembered}");
                eprintln!("  extract: mentions {}", parts_summary(&out.parts));
            }
            let (kept, parts) = keeper.settle(&out.parts)?;
            let mut files: Vec<OutputFile> = written.into_iter().map(OutputFile::staged).collect();
            files.extend(table_files(&dir, &mut out.documents)?);
            files.extend(table_files(&dir, &mut out.incidents)?);
            files.extend(table_files(&dir, &mut out.claims)?);
            // Reconcile reads all three, export the documents and claims.
            let carried = [
                carried(&dir, &mut out.documents),
                carried(&dir, &mut out.incidents),
                carried(&dir, &mut out.claims),
            ];
            Ok(Computed {
                outputs: files,
                transport: "mentions (in parts), incidents and claims tables".into(),
                spent: Box::new(out),
                kept,
                parts,
                carried: carried.into_iter().flatten().collect(),
            })
        }
        StageInput::Reconcile(mut input) => {
            let refs = crate::reference::Reference::load(&cfg.reference_dir)?;
            let mut out = stage::reconcile::run(&cfg.raw.reconcile, &refs, &input);
            let dir = stage_dir(cfg, Stage::Reconcile);
            let mut files = table_files(&dir, &mut out.events)?;
            files.extend(table_files(&dir, &mut out.event_claims)?);
            files.extend(table_files(&dir, &mut out.event_documents)?);
            files.extend(table_files(&dir, &mut out.event_counts)?);
            // Export reads these four and extract's documents and claims, which reconcile
            // read.
            let extracted = stage_dir(cfg, Stage::Extract);
            let carried = [
                carried(&extracted, &mut input.documents),
                carried(&extracted, &mut input.claims),
                carried(&dir, &mut out.events),
                carried(&dir, &mut out.event_claims),
                carried(&dir, &mut out.event_documents),
                carried(&dir, &mut out.event_counts),
            ];
            Ok(Computed {
                carried: carried.into_iter().flatten().collect(),
                ..Computed::whole(files, "events and link tables", Box::new((input, out)))
            })
        }
        StageInput::Export(input) => {
            // Export frees its input itself, before the commit: freed beside the commit's
            // writes of the release and its copy, it slowed them down more than it saved
            // (100k export, 11.3-11.9 -> 12.4-13.0 s).
            let files = stage::export::run(cfg, *input)?;
            Ok(Computed::whole(
                files,
                "release directory, versioned copy and report",
                Box::new(()),
            ))
        }
    }
}

/// Writes outputs atomically and then the lock; the old lock goes first so that no moment
/// exists where a lock vouches for a half-written set of outputs. `lock.outputs` holds the
/// entries of files kept from the previous run (parts of a table, see [`StageLock::parts`]);
/// every other file in the stage's directory that the new lock does not list (a part no
/// document falls in any more, a file of an earlier layout) is removed before the lock is
/// written.
fn commit(
    cfg: &Config,
    stage: Stage,
    mut lock: StageLock,
    outputs: Vec<OutputFile>,
) -> Result<(), PipelineError> {
    // Every output is first written and synced beside its final name. A full disk or an
    // unwritable directory fails here, before anything of the previous run is touched.
    // Files are hashed and written in parallel: while one waits for its sync, the next is
    // hashed or written.
    use rayon::prelude::*;
    let written: Vec<Result<PathBuf, PipelineError>> = outputs
        .par_iter()
        .map(|out| {
            out.digest();
            match &out.staged {
                Some(st) => Ok(st.tmp.clone()),
                None => write_temporary(&out.path, &out.bytes),
            }
        })
        .collect();
    let mut staged: Vec<(PathBuf, &OutputFile)> = Vec::with_capacity(outputs.len());
    let mut failed = None;
    for (tmp, out) in written.into_iter().zip(&outputs) {
        match tmp {
            Ok(tmp) => staged.push((tmp, out)),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    // The first failure in output order is reported; nothing of this run is left behind.
    if let Some(e) = failed {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        for o in &outputs {
            if let Some(st) = &o.staged {
                let _ = fs::remove_file(&st.tmp);
            }
        }
        return Err(e);
    }
    // Then the old lock goes, so that no moment exists where a lock vouches for a mix of old
    // and new outputs; the renames need no space.
    let lock_file = lock_path(cfg, stage);
    remove_if_exists(&lock_file)?;
    for (tmp, out) in &staged {
        rename_into_place(tmp, &out.path)?;
    }
    let kept = std::mem::take(&mut lock.outputs);
    let listed: BTreeSet<String> = kept
        .iter()
        .map(|k| k.path.clone())
        .chain(outputs.iter().map(|o| cfg.display_path(&o.path)))
        .collect();
    remove_unlisted(cfg, &stage_dir(cfg, stage), &listed)?;
    lock.outputs = kept;
    lock.outputs.extend(outputs.iter().map(|o| {
        OutputEntry {
            bytes: o
                .staged
                .as_ref()
                .map_or(o.bytes.len() as u64, |st| st.bytes),
            path: cfg.display_path(&o.path),
            rows: o.rows,
            digest: o.digest(),
        }
    }));
    for o in &outputs {
        crate::digest::remember(&o.path, &o.digest());
    }
    lock.outputs.sort_by(|a, b| a.path.cmp(&b.path));
    write_atomic(&lock_file, &lock_bytes(&lock))
}

/// Removes the files below a stage's directory (hidden ones aside: temporary files are
/// [`remove_temporaries`]'s) that are neither its lock nor in `listed`, while no lock vouches
/// for the directory; directories left empty go too.
fn remove_unlisted(
    cfg: &Config,
    dir: &Path,
    listed: &BTreeSet<String>,
) -> Result<(), PipelineError> {
    let mut files = Vec::new();
    if !dir.exists() {
        return Ok(());
    }
    list_files(dir, &mut files)?;
    let lock = dir.join("stage.lock");
    for f in files {
        if f != lock && !listed.contains(&cfg.display_path(&f)) {
            remove_if_exists(&f)?;
            if let Some(parent) = f.parent().filter(|p| *p != dir) {
                // Only when empty; a directory still holding files stays.
                let _ = fs::remove_dir(parent);
            }
        }
    }
    Ok(())
}

/// Runs every stage in order, skipping those that are up to date.
pub fn run_all(
    cfg: &Config,
    opts: Options,
    mut report: impl FnMut(Stage, &Outcome),
) -> Result<(), PipelineError> {
    with_stamps(cfg, || {
        let mut carry = Carry::default();
        for stage in Stage::ALL {
            let outcome = run_stage_hashed(cfg, stage, opts, &mut carry)?;
            report(stage, &outcome);
        }
        Ok(())
    })
}

/// The state of every stage, without running anything.
pub fn status(cfg: &Config) -> Vec<(Stage, Status)> {
    let progress = Progress::new(true);
    crate::digest::load_stamps(&crate::digest::stamps_path(&cfg.data_dir));
    Stage::ALL
        .iter()
        .map(|&stage| {
            let st = match read_lock(cfg, stage) {
                Err(e) => Status::Blocked(e.to_string()),
                Ok(None) => Status::NeverRun,
                Ok(Some(lock)) => {
                    let mut carry = Carry::default();
                    match fingerprint(cfg, stage, &mut carry).and_then(|print| match print {
                        Some(print) => Ok(print),
                        None => gather(cfg, stage, &progress, &mut carry).map(|g| g.fingerprint),
                    }) {
                        Err(e) => Status::Blocked(e.to_string()),
                        Ok(print) => {
                            let why = staleness(cfg, stage, &lock, &print);
                            if why.is_empty() {
                                Status::UpToDate
                            } else {
                                Status::Stale(why)
                            }
                        }
                    }
                }
            };
            (stage, st)
        })
        .collect()
}
