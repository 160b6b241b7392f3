//! The driver's side of tables stored in parts (see [`crate::stage::parts`]): each part
//! streamed to its own files, and parts kept from the previous run.
//!
//! Guarantees: a part is kept only when the previous lock recorded the same signature for it
//! and every one of its files (one pair per table) still matches that lock; a kept part's lock
//! entries are carried into the new lock as they were, after a second check at the end of the
//! stage, so a lock never vouches for a file it has not seen intact.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{check_output, OutputEntry, StageLock};
use crate::config::Config;
use crate::error::{PipelineError, TableError};
use crate::stage::parts::Part;
use crate::table::{Closed, Row, Staged, TableStream};

/// Writes one table stored in parts, `<stage dir>/<table>/<part>.{parquet,csv}`, a part at a
/// time: rows go to the part last started. A part's files are synced and hashed by a thread
/// of their own while the next part is written: synced one after the other by the writer,
/// 256 parts' syncs stalled the stage (100k `normalise --force`: 1.8 s longer than one table).
pub(super) struct PartWriter<T: Row> {
    dir: PathBuf,
    current: Option<TableStream<T>>,
    finisher: Option<Finisher>,
}

/// The thread that syncs and hashes closed parts, and the channel that feeds it.
type Finisher = (
    std::sync::mpsc::Sender<Closed>,
    std::thread::JoinHandle<Result<Vec<Staged>, TableError>>,
);

impl<T: Row> PartWriter<T> {
    pub fn new(stage_dir: &Path) -> PartWriter<T> {
        PartWriter {
            dir: stage_dir.join(T::TABLE),
            current: None,
            finisher: None,
        }
    }

    /// Hands a closed part to the finishing thread, started with the first.
    fn hand_on(&mut self, closed: Closed) -> Result<(), TableError> {
        let (tx, _) = self.finisher.get_or_insert_with(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Closed>();
            let thread = std::thread::spawn(move || {
                let mut staged = Vec::new();
                for closed in rx {
                    staged.extend(closed.finish()?);
                }
                Ok(staged)
            });
            (tx, thread)
        });
        // A send fails only when the thread stopped on an error, which `finish` returns.
        let _ = tx.send(closed);
        Ok(())
    }

    /// Closes the part being written, if any, and starts the part `name`.
    pub fn start(&mut self, name: &str) -> Result<(), TableError> {
        if let Some(done) = self.current.take() {
            self.hand_on(done.close()?)?;
        }
        self.current = Some(TableStream::create_as(&self.dir, name)?);
        Ok(())
    }

    /// Appends rows (with their CSV lines when already encoded) to the part last started.
    pub fn push(&mut self, rows: Vec<T>, csv: Option<&[u8]>) -> Result<(), TableError> {
        let stream = self.current.as_mut().ok_or(TableError::DuplicateKey {
            table: T::TABLE,
            key: "rows before any part was started".into(),
        })?;
        match csv {
            Some(csv) => stream.push_encoded(rows, csv),
            None => stream.push(rows),
        }
    }

    /// The files of every part written, each synced.
    pub fn finish(mut self) -> Result<Vec<Staged>, TableError> {
        if let Some(done) = self.current.take() {
            self.hand_on(done.close()?)?;
        }
        match self.finisher.take() {
            None => Ok(Vec::new()),
            Some((tx, thread)) => {
                drop(tx);
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            }
        }
    }
}

/// Decides which parts of a stage's tables stored in parts are kept from the previous run.
pub(super) struct Keeper<'a> {
    cfg: &'a Config,
    previous: Option<&'a StageLock>,
    /// The directory of each table stored in parts (all parted alike).
    dirs: Vec<PathBuf>,
}

impl<'a> Keeper<'a> {
    /// For the tables `tables` of the stage whose directory is `stage_dir`; with no previous
    /// lock (a first run, `--force`) nothing is kept.
    pub fn new(
        cfg: &'a Config,
        previous: Option<&'a StageLock>,
        stage_dir: &Path,
        tables: &[&str],
    ) -> Keeper<'a> {
        Keeper {
            cfg,
            previous,
            dirs: tables.iter().map(|t| stage_dir.join(t)).collect(),
        }
    }

    /// The part's path without extension in each table, as locks show paths.
    fn stems(&self, name: &str) -> impl Iterator<Item = String> + '_ {
        let name = name.to_string();
        self.dirs
            .iter()
            .map(move |d| self.cfg.display_path(&d.join(&name)))
    }

    /// The previous lock's entries for the part's files in every table, if that lock recorded
    /// `signature` for it and every file still matches.
    fn entries(&self, name: &str, signature: &str) -> Option<Vec<OutputEntry>> {
        let previous = self.previous?;
        let mut out = Vec::new();
        for stem in self.stems(name) {
            if previous.parts.get(&stem).map(String::as_str) != Some(signature) {
                return None;
            }
            for ext in ["parquet", "csv"] {
                let path = format!("{stem}.{ext}");
                let entry = previous.outputs.iter().find(|o| o.path == path)?;
                if check_output(self.cfg, entry).is_some() {
                    return None;
                }
                out.push(entry.clone());
            }
        }
        Some(out)
    }

    /// Whether the part `name` with `signature` can be kept as the previous run wrote it.
    pub fn keeps(&self, name: &str, signature: &str) -> bool {
        self.entries(name, signature).is_some()
    }

    /// The lock entries of the kept parts and every part's signature by stem, for the new
    /// lock. A kept part whose files changed while the stage ran is an error.
    pub fn settle(
        &self,
        parts: &[Part],
    ) -> Result<(Vec<OutputEntry>, BTreeMap<String, String>), PipelineError> {
        let mut kept = Vec::new();
        let mut signatures = BTreeMap::new();
        for part in parts {
            if part.kept {
                let entries = self.entries(&part.name, &part.signature).ok_or_else(|| {
                    PipelineError::io(
                        self.dirs.first().map_or(Path::new("."), PathBuf::as_path),
                        std::io::Error::other(format!(
                            "the files of part {} changed while the stage ran",
                            part.name
                        )),
                    )
                })?;
                kept.extend(entries);
            }
            for stem in self.stems(&part.name) {
                signatures.insert(stem, part.signature.clone());
            }
        }
        Ok((kept, signatures))
    }
}
