//! A stage's inputs: which upstream tables it reads, its fingerprint (the digests of those
//! tables, of its config section and of the reference data) and whether its lock still
//! matches that fingerprint, and the typed, hash-checked input the stage function gets.
//!
//! Guarantees: up to date is decided from digests (remembered ones where the files are
//! unchanged, see [`crate::digest`]) before anything is read or decoded; every upstream file a
//! stage reads is checked against its producer's lock, and so are all of the producer's other
//! outputs, so a tampered table is an error naming the file, never a silent input.

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{check_outputs, list_files, read_lock, stage_dir, FileEntry, StageLock, ABBREVIATIONS};
use crate::config::Config;
use crate::digest::Algo;
use crate::error::PipelineError;
use crate::progress::Progress;
use crate::stage::{self, Stage};
use crate::table::{decode_csv, Row};

/// What the driver needs to run or skip a stage.
pub struct Gathered {
    pub fingerprint: Fingerprint,
    pub data: StageInput,
}

/// What a stage's lock is compared with to tell whether the stage is up to date: the digests
/// of its input files, of its config section and of the reference data it reads.
pub struct Fingerprint {
    pub inputs: Vec<FileEntry>,
    pub config_digest: String,
    pub reference_digest: String,
}

/// The typed inputs of each stage, read and hash-checked by the driver.
pub enum StageInput {
    Ingest(stage::ingest::Input),
    Normalise(stage::normalise::Input),
    Extract(stage::extract::Input),
    Reconcile(stage::reconcile::Input),
    Export(Box<stage::export::Input>),
}
/// Digest of a config section, as the cache key records it.
fn section_digest<T: Serialize>(section: &T) -> String {
    let json = serde_json::to_vec(section).expect("config sections are plain data");
    crate::digest::content_digest(&json)
}

/// Digest of every file below `dir` (path and content), sorted by path.
fn tree_digest(cfg: &Config, dir: &Path) -> Result<String, PipelineError> {
    let mut files = Vec::new();
    list_files(dir, &mut files)?;
    let mut h = blake3::Hasher::new();
    for f in files {
        let (_, digest) =
            crate::digest::file_digest(&f, Algo::Blake3).map_err(|e| PipelineError::io(&f, e))?;
        h.update(cfg.display_path(&f).as_bytes());
        h.update(&[0]);
        h.update(digest.as_bytes());
        h.update(b"\n");
    }
    Ok(Algo::Blake3.named(h.finalize().to_hex()))
}
/// The bytes of a table's Parquet and CSV files.
pub struct TableFiles {
    pub parquet: Vec<u8>,
    pub csv: Vec<u8>,
}

/// Tables one `concord run` has in memory, handed from the stage that wrote (or read) them to
/// the stages after it, so that these need not decode the files just written: at 100,000
/// articles reconcile and export each spent more than a second decoding tables extract and
/// reconcile had in memory. Each is held under its CSV file's path as errors show it, with
/// that file's digest; a stage takes one only when the file still has that digest and its
/// producer's lock names it, and otherwise reads the file, as a stage run on its own does.
/// Only rows that read back from their CSV unchanged are carried
/// ([`crate::table::survives_csv`]): a stage gets the same rows either way.
#[derive(Default)]
pub struct Carry {
    tables: HashMap<String, (String, Box<dyn Any + Send>)>,
    /// The corpus as listed to decide whether ingest is up to date, for ingest to read it
    /// by when it is not.
    listing: Option<crate::corpus::Listing>,
}

/// Rows a stage hands on: the CSV file they were written to or read from, and the rows.
pub struct Carried {
    path: PathBuf,
    rows: Box<dyn Any + Send>,
}

impl Carried {
    /// `rows` as `path` holds them, unless they would not read back from it unchanged.
    pub fn of<T: Row + 'static>(path: PathBuf, rows: Vec<T>) -> Option<Carried> {
        crate::table::survives_csv(&rows).then(|| Carried {
            path,
            rows: Box::new(rows),
        })
    }
}

impl Carry {
    /// Holds `carried` under its file's digest, remembered when the file was written or read
    /// (so it is not read again); a file that cannot be had is not carried.
    pub fn put(&mut self, cfg: &Config, carried: Carried) {
        if let Ok((_, digest)) = crate::digest::file_digest(&carried.path, Algo::Blake3) {
            self.tables
                .insert(cfg.display_path(&carried.path), (digest, carried.rows));
        }
    }

    /// The rows carried for `path` if they were carried with `digest`; taken either way.
    fn take<T: Row + 'static>(&mut self, path: &str, digest: &str) -> Option<Vec<T>> {
        let (carried, rows) = self.tables.remove(path)?;
        if carried != digest {
            return None;
        }
        rows.downcast::<Vec<T>>().ok().map(|rows| *rows)
    }
}

/// Reads an upstream output, checking it against the upstream lock.
pub struct Upstream<'a> {
    cfg: &'a Config,
    stage: Stage,
    producer: Stage,
    lock: StageLock,
    pub entries: Vec<FileEntry>,
}

impl<'a> Upstream<'a> {
    pub fn open(cfg: &'a Config, stage: Stage, producer: Stage) -> Result<Self, PipelineError> {
        let lock = read_lock(cfg, producer)?.ok_or(PipelineError::MissingInput {
            stage: stage.name(),
            needs: producer.name(),
        })?;
        // Every output of the producer must still match its lock, not only the files this
        // stage reads: a tampered Parquet beside an intact CSV is still a corrupt stage.
        if let Some(problem) = check_outputs(cfg, &lock).into_iter().next() {
            return Err(PipelineError::CorruptInput {
                stage: stage.name(),
                producer: producer.name(),
                path: problem.clone(),
                reason: "the producer's outputs no longer match its lock".into(),
            });
        }
        Ok(Upstream {
            cfg,
            stage,
            producer,
            lock,
            entries: Vec::new(),
        })
    }

    /// The lock entry of a file the producer wrote, from its digest (remembered if the file is
    /// unchanged since it was last hashed), without reading it for this stage.
    pub fn entry(&self, file: &str) -> Result<FileEntry, PipelineError> {
        let path = stage_dir(self.cfg, self.producer).join(file);
        let shown = self.cfg.display_path(&path);
        let (bytes, digest) = crate::digest::file_digest(&path, Algo::Blake3).map_err(|e| {
            PipelineError::CorruptInput {
                stage: self.stage.name(),
                producer: self.producer.name(),
                path: shown.clone(),
                reason: e.to_string(),
            }
        })?;
        Ok(FileEntry {
            bytes,
            path: shown,
            digest,
        })
    }

    /// Reads a file the producer wrote and checks its digest against the producer's lock;
    /// returns its bytes and its path as errors show it.
    fn read(&mut self, file: &str) -> Result<(Vec<u8>, String), PipelineError> {
        let path = stage_dir(self.cfg, self.producer).join(file);
        let shown = self.cfg.display_path(&path);
        let (bytes, digest) = read_checked(self.stage, self.producer, &path, &shown, |d| {
            self.unlocked(&shown, d)
        })?;
        self.entries.push(FileEntry {
            bytes: bytes.len() as u64,
            path: shown.clone(),
            digest,
        });
        Ok((bytes, shown))
    }

    /// What is wrong with the producer's file `shown` having `digest`: not listed in the
    /// producer's lock, or listed with another digest; `None` when the lock names it so.
    fn unlocked(&self, shown: &str, digest: &str) -> Option<String> {
        match self.lock.outputs.iter().find(|o| o.path == shown) {
            None => Some("not listed in the lock".into()),
            Some(o) if o.digest != digest => Some("digest differs".into()),
            Some(_) => None,
        }
    }

    /// Reads one of the producer's tables (its CSV form).
    pub fn table<T: Row>(&mut self) -> Result<Vec<T>, PipelineError> {
        let (bytes, shown) = self.csv::<T>()?;
        Ok(decode_csv(&bytes, &shown)?)
    }

    /// [`table`](Self::table), taken from `carry` when it holds the rows of the file as its
    /// producer's lock names it; the file is then not read.
    pub fn table_carried<T: Row + 'static>(
        &mut self,
        carry: &mut Carry,
    ) -> Result<Vec<T>, PipelineError> {
        let entry = self.entry(&format!("{}.csv", T::TABLE))?;
        if self.unlocked(&entry.path, &entry.digest).is_none() {
            if let Some(rows) = carry.take(&entry.path, &entry.digest) {
                self.entries.push(entry);
                return Ok(rows);
            }
        }
        self.table()
    }

    /// Reads one of the producer's tables: its rows (from `carry` when it holds them for the
    /// file read), and its files as the producer wrote them (each checked against the
    /// producer's lock).
    pub fn table_and_files<T: Row + 'static>(
        &mut self,
        carry: &mut Carry,
    ) -> Result<(Vec<T>, TableFiles), PipelineError> {
        let (csv, shown) = self.csv::<T>()?;
        let digest = self.entries.last().map(|e| e.digest.clone());
        let rows = match digest.and_then(|d| carry.take(&shown, &d)) {
            Some(rows) => rows,
            None => decode_csv(&csv, &shown)?,
        };
        let (parquet, _) = self.read(&format!("{}.parquet", T::TABLE))?;
        Ok((rows, TableFiles { parquet, csv }))
    }

    /// Reads one of the producer's tables as checked CSV bytes, to be decoded by the stage,
    /// and its path as errors show it.
    pub fn csv<T: Row>(&mut self) -> Result<(Vec<u8>, String), PipelineError> {
        self.read(&format!("{}.csv", T::TABLE))
    }

    /// The CSV files of a table the producer stores in parts (`<table>/<part>.csv`), as its
    /// lock lists them, relative to its directory and in the order of their documents' ids.
    fn part_files(&self, table: &str) -> Vec<String> {
        let dir = format!(
            "{}/",
            self.cfg.display_path(&stage_dir(self.cfg, self.producer))
        );
        let mut files: Vec<(Vec<u8>, String)> = self
            .lock
            .outputs
            .iter()
            .filter_map(|o| {
                let file = o.path.strip_prefix(&dir)?;
                let name = file
                    .strip_prefix(table)?
                    .strip_prefix('/')?
                    .strip_suffix(".csv")?;
                Some((stage::parts::order_key(name), file.to_string()))
            })
            .collect();
        files.sort();
        files.into_iter().map(|(_, f)| f).collect()
    }

    /// The parts of a table the producer stores in parts, in the order of their documents'
    /// ids, unread: each one's name, CSV file as errors show it and digest (remembered while
    /// the file is unchanged), checked against the producer's lock.
    pub fn part_digests<T: Row>(&mut self) -> Result<Vec<stage::parts::PartFile>, PipelineError> {
        let mut out = Vec::new();
        for file in self.part_files(T::TABLE) {
            let entry = self.entry(&file)?;
            if let Some(reason) = self.unlocked(&entry.path, &entry.digest) {
                return Err(PipelineError::CorruptInput {
                    stage: self.stage.name(),
                    producer: self.producer.name(),
                    path: entry.path,
                    reason,
                });
            }
            let name = file
                .strip_prefix(&format!("{}/", T::TABLE))
                .and_then(|f| f.strip_suffix(".csv"))
                .unwrap_or(&file)
                .to_string();
            out.push(stage::parts::PartFile {
                name,
                file: entry.path.clone(),
                digest: entry.digest.clone(),
            });
            self.entries.push(entry);
        }
        Ok(out)
    }
}

/// Reads and hashes a file `producer` wrote for `stage`, shown in errors as `shown`;
/// `mismatch(digest)` says what is wrong with its digest, if anything.
fn read_checked(
    stage: Stage,
    producer: Stage,
    path: &Path,
    shown: &str,
    mismatch: impl FnOnce(&str) -> Option<String>,
) -> Result<(Vec<u8>, String), PipelineError> {
    let corrupt = |reason: String| PipelineError::CorruptInput {
        stage: stage.name(),
        producer: producer.name(),
        path: shown.to_string(),
        reason,
    };
    let (bytes, digest) =
        crate::digest::read_hashed(path, Algo::Blake3).map_err(|e| corrupt(e.to_string()))?;
    match mismatch(&digest) {
        Some(reason) => Err(corrupt(reason)),
        None => Ok((bytes, digest)),
    }
}

/// The CSV bytes of one part of a table `producer` stores in parts, read for `stage` when it
/// needs them and checked against the digest the producer's lock gave the file when `stage`
/// gathered its inputs.
pub fn read_part(
    cfg: &Config,
    stage: Stage,
    producer: Stage,
    part: &stage::parts::PartFile,
) -> Result<Vec<u8>, PipelineError> {
    let (bytes, _) = read_checked(
        stage,
        producer,
        &cfg.root.join(&part.file),
        &part.file,
        |digest| (digest != part.digest).then(|| "digest differs".to_string()),
    )?;
    Ok(bytes)
}

/// The texts of one of ingest's parts for normalise ([`read_part`], decoded).
pub fn read_text_part(
    cfg: &Config,
    part: &stage::parts::PartFile,
) -> Result<Vec<crate::table::DocumentText>, PipelineError> {
    let bytes = read_part(cfg, Stage::Normalise, Stage::Ingest, part)?;
    Ok(decode_csv(&bytes, &part.file)?)
}

/// Gathers a stage's inputs (reading and hashing them, or taking them from `carry`) and its
/// cache key.
pub fn gather(
    cfg: &Config,
    stage: Stage,
    progress: &Progress,
    carry: &mut Carry,
) -> Result<Gathered, PipelineError> {
    let (config_digest, reference_digest) = settings_digests(cfg, stage)?;
    let (inputs, data) = match stage {
        Stage::Ingest => {
            let (inputs, input) = crate::corpus::read(cfg, progress, carry.listing.take())?;
            (inputs, StageInput::Ingest(input))
        }
        Stage::Normalise => {
            let mut up = Upstream::open(cfg, stage, Stage::Ingest)?;
            let documents = up.table()?;
            // Read by the stage, part by part, only where it normalises.
            let texts = up.part_digests::<crate::table::DocumentText>()?;
            let path = cfg.reference_dir.join(ABBREVIATIONS);
            let bytes = fs::read(&path).map_err(|e| PipelineError::io(&path, e))?;
            let text = String::from_utf8_lossy(&bytes);
            let abbreviations = stage::normalise::Abbreviations::from_toml(&text).map_err(|e| {
                PipelineError::Reference(crate::error::ReferenceError::Invalid {
                    line: e
                        .span()
                        .map_or(1, |s| text[..s.start].matches('\n').count() + 1),
                    path: path.clone(),
                    message: e.message().to_string(),
                })
            })?;
            (
                up.entries,
                StageInput::Normalise(stage::normalise::Input {
                    documents,
                    texts,
                    abbreviations,
                }),
            )
        }
        Stage::Extract => {
            let mut norm = Upstream::open(cfg, stage, Stage::Normalise)?;
            let documents = norm.table()?;
            // Read by the stage, part by part, only where it does not remember the keys.
            let parts = norm.part_digests::<crate::table::Sentence>()?;
            (
                norm.entries,
                StageInput::Extract(stage::extract::Input {
                    documents,
                    sentences: stage::extract::Sentences { parts },
                }),
            )
        }
        Stage::Reconcile => {
            let mut ext = Upstream::open(cfg, stage, Stage::Extract)?;
            let documents = ext.table_carried(carry)?;
            let incidents = ext.table_carried(carry)?;
            let claims = ext.table_carried(carry)?;
            (
                ext.entries,
                StageInput::Reconcile(stage::reconcile::Input {
                    documents,
                    incidents,
                    claims,
                }),
            )
        }
        Stage::Export => {
            let (inputs, input) = stage::export::gather(cfg, carry)?;
            (inputs, StageInput::Export(Box::new(input)))
        }
    };
    Ok(Gathered {
        fingerprint: Fingerprint {
            inputs,
            config_digest,
            reference_digest,
        },
        data,
    })
}

/// The digests of a stage's config section and of the reference data it reads (for
/// normalise, the abbreviations alone; ingest reads none).
fn settings_digests(cfg: &Config, stage: Stage) -> Result<(String, String), PipelineError> {
    let raw = &cfg.raw;
    let reference = || tree_digest(cfg, &cfg.reference_dir);
    Ok(match stage {
        Stage::Ingest => (section_digest(&raw.ingest), String::new()),
        Stage::Normalise => {
            let path = cfg.reference_dir.join(ABBREVIATIONS);
            let (_, digest) = crate::digest::file_digest(&path, Algo::Blake3)
                .map_err(|e| PipelineError::io(&path, e))?;
            (section_digest(&raw.normalise), digest)
        }
        Stage::Extract => (section_digest(&raw.extract), reference()?),
        Stage::Reconcile => (section_digest(&raw.reconcile), reference()?),
        Stage::Export => (section_digest(&(&raw.export, &raw.paths)), reference()?),
    })
}

/// The upstream tables each stage reads whole (producer, file name), as `gather` reads them;
/// those it reads in parts are [`upstream_parts`].
fn upstream_files(stage: Stage) -> &'static [(Stage, &'static str)] {
    match stage {
        Stage::Ingest => &[],
        Stage::Normalise => &[(Stage::Ingest, "documents.csv")],
        Stage::Extract => &[(Stage::Normalise, "documents.csv")],
        Stage::Reconcile => &[
            (Stage::Extract, "documents.csv"),
            (Stage::Extract, "incidents.csv"),
            (Stage::Extract, "claims.csv"),
        ],
        // Export carries both files of each table into the release.
        Stage::Export => &[
            (Stage::Extract, "documents.csv"),
            (Stage::Extract, "documents.parquet"),
            (Stage::Extract, "claims.csv"),
            (Stage::Extract, "claims.parquet"),
            (Stage::Reconcile, "events.csv"),
            (Stage::Reconcile, "events.parquet"),
            (Stage::Reconcile, "event_claims.csv"),
            (Stage::Reconcile, "event_claims.parquet"),
            (Stage::Reconcile, "event_documents.csv"),
            (Stage::Reconcile, "event_documents.parquet"),
            (Stage::Reconcile, "event_counts.csv"),
            (Stage::Reconcile, "event_counts.parquet"),
        ],
    }
}

/// The upstream tables each stage reads in parts (producer, table), after its whole ones.
fn upstream_parts(stage: Stage) -> &'static [(Stage, &'static str)] {
    match stage {
        Stage::Normalise => &[(Stage::Ingest, "texts")],
        Stage::Extract => &[(Stage::Normalise, "sentences")],
        _ => &[],
    }
}

/// A stage's fingerprint from the digests of its inputs alone, without reading or decoding
/// them: remembered digests (see [`crate::digest`]) where the files are unchanged, else hashed.
/// `None` when the stage's inputs must be read to be known (a corpus file with no stamp).
/// The upstream checks are those of [`gather`]: a missing or corrupt producer is an error.
pub(super) fn fingerprint(
    cfg: &Config,
    stage: Stage,
    carry: &mut Carry,
) -> Result<Option<Fingerprint>, PipelineError> {
    let inputs = match stage {
        Stage::Ingest => {
            // When a file is not remembered, ingest will run: the listing is kept for it.
            match crate::corpus::remembered_entries(cfg)? {
                (Some(entries), _) => entries,
                (None, listing) => {
                    carry.listing = Some(listing);
                    return Ok(None);
                }
            }
        }
        _ => {
            let mut inputs = Vec::new();
            let mut up: Option<Upstream> = None;
            let whole = upstream_files(stage).iter().map(|&(p, f)| (p, f, false));
            let parted = upstream_parts(stage).iter().map(|&(p, t)| (p, t, true));
            for (producer, file, in_parts) in whole.chain(parted) {
                let from = match up.take() {
                    Some(u) if u.producer == producer => u,
                    _ => Upstream::open(cfg, stage, producer)?,
                };
                if in_parts {
                    for part in from.part_files(file) {
                        inputs.push(from.entry(&part)?);
                    }
                } else {
                    inputs.push(from.entry(file)?);
                }
                up = Some(from);
            }
            inputs
        }
    };
    let (config_digest, reference_digest) = settings_digests(cfg, stage)?;
    Ok(Some(Fingerprint {
        inputs,
        config_digest,
        reference_digest,
    }))
}

/// Why a stage's lock no longer describes what it would produce now; empty if up to date.
pub(super) fn staleness(
    cfg: &Config,
    stage: Stage,
    lock: &StageLock,
    g: &Fingerprint,
) -> Vec<String> {
    let mut why = Vec::new();
    if lock.code_version != stage.code_version() {
        why.push(format!(
            "code changed ({} -> {})",
            lock.code_version,
            stage.code_version()
        ));
    }
    if lock.config_digest != g.config_digest {
        why.push(format!("setting changed in [{}]", section_name(stage)));
    }
    if lock.reference_digest != g.reference_digest {
        why.push("reference data changed".into());
    }
    let old: BTreeMap<&str, &FileEntry> =
        lock.inputs.iter().map(|f| (f.path.as_str(), f)).collect();
    let new: BTreeMap<&str, &FileEntry> = g.inputs.iter().map(|f| (f.path.as_str(), f)).collect();
    for (path, f) in &new {
        match old.get(path) {
            None => why.push(format!("input added: {path}")),
            Some(o) if o.digest != f.digest => why.push(format!("input changed: {path}")),
            _ => {}
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        why.push(format!("input removed: {path}"));
    }
    why.extend(check_outputs(cfg, lock));
    why
}

fn section_name(stage: Stage) -> &'static str {
    match stage {
        Stage::Export => "export] / [paths",
        s => s.name(),
    }
}
