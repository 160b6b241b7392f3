//! `verify`: reads, never writes. Rehashes every output against its stage lock and the release
//! against its `SHA256SUMS`, and checks that what is built is whole: no stage unbuilt below a
//! built one, no stage unbuilt after a run that was cut short, no release without its export
//! lock or `SHA256SUMS`, no file a lock does not list, no temporary file of an interrupted
//! write.
//!
//! Guarantee: when `verify` passes, every output on disk is the one its lock vouches for and
//! nothing a run began is left half done, so `concord run` with unchanged inputs writes nothing.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::PipelineError;
use crate::lock::{last_run, LastRun};
use crate::pipeline::{
    check_outputs, list_files, lock_path, read_lock, stage_dir, temporary_files,
};
use crate::stage::{self, Stage};

/// What `verify` found.
#[derive(Debug)]
pub struct Verified {
    /// One message per problem, each naming the file, directory or stage.
    pub problems: Vec<String>,
    /// The stages with a lock, whose outputs were rehashed.
    pub built: Vec<Stage>,
}

/// Checks the data directory. Fails with `NothingBuilt` when no concord process ever wrote
/// to it (there is nothing to vouch for), and with `Busy` while another process holds it.
pub fn verify(cfg: &Config) -> Result<Verified, PipelineError> {
    // Every byte is hashed: no digest remembered by this process or saved in the stamps.
    crate::digest::forget();
    let last = last_run(cfg)?;
    let mut locks = Vec::new();
    for stage in Stage::ALL {
        locks.push((stage, read_lock(cfg, stage)?));
    }
    let built: Vec<Stage> = locks
        .iter()
        .filter(|(_, lock)| lock.is_some())
        .map(|(stage, _)| *stage)
        .collect();
    let release = stage::export::release_dir(cfg);
    let release_files = has_files(&release);
    let temporaries = temporary_files(cfg);
    let untouched = last == LastRun::Never
        && built.is_empty()
        && !release_files
        && temporaries.is_empty()
        && !Stage::ALL.iter().any(|&s| has_entries(&stage_dir(cfg, s)));
    if untouched {
        return Err(PipelineError::NothingBuilt {
            dir: cfg.data_dir.clone(),
        });
    }

    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    let mut dirs = BTreeSet::new();
    let mut cut_short = Vec::new();
    for (i, (stage, lock)) in locks.iter().enumerate() {
        let Some(lock) = lock else {
            let dir = stage_dir(cfg, *stage);
            if has_entries(&dir) {
                problems.push(format!(
                    "{}: outputs without a stage lock (interrupted run?)",
                    cfg.display_path(&dir)
                ));
            }
            if let Some((later, _)) = locks[i + 1..].iter().find(|(_, l)| l.is_some()) {
                problems.push(format!(
                    "stage {} is not built, but {} is: run `concord run`",
                    stage.name(),
                    later.name()
                ));
            } else if matches!(last, LastRun::Interrupted { .. }) {
                cut_short.push(stage.name());
            }
            continue;
        };
        problems.extend(check_outputs(cfg, lock));
        listed.insert(cfg.display_path(&lock_path(cfg, *stage)));
        for out in &lock.outputs {
            listed.insert(out.path.clone());
            if let Some(parent) = Path::new(&out.path).parent() {
                dirs.insert(parent.to_path_buf());
            }
        }
    }
    if let LastRun::Interrupted { pid } = last {
        if !cut_short.is_empty() {
            let who = pid.map_or("its pid unknown".into(), |p| format!("pid {p}"));
            let stages = match cut_short.as_slice() {
                [one] => format!("stage {one} is"),
                many => format!("stages {} are", many.join(", ")),
            };
            problems.push(format!(
                "{stages} not built: the last concord process on {} ({who}) was cut short; run \
                 `concord run`",
                cfg.display_path(&cfg.data_dir)
            ));
        }
    }
    if release_files && !built.contains(&Stage::Export) {
        problems.push(format!(
            "{}: release files without an export lock ({}): an export was cut short; run \
             `concord run`",
            cfg.display_path(&release),
            cfg.display_path(&lock_path(cfg, Stage::Export))
        ));
    }
    for dir in dirs {
        let mut files = Vec::new();
        if list_files(&cfg.root.join(&dir), &mut files).is_ok() {
            for f in files {
                let shown = cfg.display_path(&f);
                if !listed.contains(&shown) {
                    problems.push(format!("file not in any stage lock: {shown}"));
                }
            }
        }
    }
    problems.extend(unexpected_entries(cfg));
    problems.extend(stage::export::verify_release(cfg)?);
    for t in temporaries {
        problems.push(format!(
            "temporary file of an interrupted write: {} (the next `concord run` removes it)",
            cfg.display_path(&t)
        ));
    }
    Ok(Verified { problems, built })
}

/// Whether a directory exists and holds anything at all (hidden entries included).
fn has_entries(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// Whether a directory holds a file that is not hidden, at any depth.
fn has_files(dir: &Path) -> bool {
    let mut files: Vec<PathBuf> = Vec::new();
    list_files(dir, &mut files).is_ok() && !files.is_empty()
}

/// Entries at the top of the data directory that no part of concord writes: the stage
/// directories, the release and its versioned copies, the extract cache (not vouched for: a
/// damaged entry is recomputed, see `stage::extract::cache`), the process lock file, the
/// stamps of hashed files (`digest`, never trusted by `verify`), and the
/// reference data when it lives there.
fn unexpected_entries(cfg: &Config) -> Vec<String> {
    let mut known: BTreeSet<String> = Stage::ALL
        .iter()
        .map(|s| s.name().to_string())
        .chain(
            [
                "release",
                "releases",
                "cache",
                ".concord.pid",
                ".concord.stamps",
            ]
            .map(String::from),
        )
        .collect();
    if let Ok(rel) = cfg.reference_dir.strip_prefix(&cfg.data_dir) {
        if let Some(first) = rel.components().next() {
            known.insert(first.as_os_str().to_string_lossy().into_owned());
        }
    }
    let Ok(entries) = fs::read_dir(&cfg.data_dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter(|e| !known.contains(e.file_name().to_string_lossy().as_ref()))
        .map(|e| format!("not written by concord: {}", cfg.display_path(&e.path())))
        .collect();
    out.sort();
    out
}
