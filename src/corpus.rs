//! Reads the corpus for `ingest`: lists every file below the corpus directory (sorted, hidden
//! files and symbolic links skipped, and so are concord's own data and reports directories when
//! they lie inside it), hashes each, and reads the manifest. Files over the size limit are
//! hashed by streaming and not held in memory. Nothing outside the corpus directory is read:
//! manifest rows only annotate files found by listing, they never open a path. Each file is
//! recorded under its escaped path ([`crate::config::escaped_path`]), so that names differing
//! only in bytes that are not UTF-8 stay distinct inputs.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{escaped_path, Config};
use crate::digest::{hex, Algo};
use crate::error::PipelineError;
use crate::pipeline::{list_files_skipping, FileEntry};
use crate::progress::Progress;
use crate::stage::ingest::{Input, ManifestFile, RawFile};

/// The corpus files (sorted, the manifest excluded).
fn list(cfg: &Config) -> Result<Vec<std::path::PathBuf>, PipelineError> {
    let dir = &cfg.corpus_dir;
    if !dir.is_dir() {
        return Err(PipelineError::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "corpus directory not found"),
        ));
    }
    // concord's outputs are not articles, even when the corpus holds them (`corpus = "."`):
    // reading them back would change the corpus with every run.
    let own: Vec<_> = [&cfg.data_dir, &cfg.reports_dir]
        .into_iter()
        .filter_map(|d| fs::canonicalize(d).ok())
        .collect();
    let mut paths = Vec::new();
    list_files_skipping(dir, &own, &mut paths)?;
    paths.retain(|p| Some(p) != cfg.manifest.as_ref());
    Ok(paths)
}

/// The corpus as listed once for a run: every file (sorted, the manifest excluded) and, for
/// each, its size and digest if its stamp remembers them. [`remembered_entries`] lists the
/// corpus to decide whether ingest is up to date; when it is not, [`read`] takes that listing
/// rather than listing and stat-ing the corpus again (100,000 files at 100k articles).
pub struct Listing {
    dir: PathBuf,
    paths: Vec<PathBuf>,
    known: Vec<Option<(u64, String)>>,
}

impl Listing {
    fn new(cfg: &Config) -> Result<Listing, PipelineError> {
        let paths = list(cfg)?;
        let known = paths
            .par_iter()
            .map(|p| crate::digest::remembered(p, Algo::Sha256))
            .collect();
        Ok(Listing {
            dir: cfg.corpus_dir.clone(),
            paths,
            known,
        })
    }
}

/// The lock entries of the corpus from the stamps of files hashed before (see
/// [`crate::digest`]), without reading any file; `None` if a file has no valid stamp. The
/// listing made for them is returned either way, for [`read`].
pub fn remembered_entries(
    cfg: &Config,
) -> Result<(Option<Vec<FileEntry>>, Listing), PipelineError> {
    let listing = Listing::new(cfg)?;
    let manifest = cfg
        .manifest
        .as_ref()
        .map(|p| (p, crate::digest::remembered(p, Algo::Sha256)));
    let entries = listing
        .paths
        .iter()
        .zip(&listing.known)
        .map(|(p, known)| (p, known.clone()))
        .chain(manifest)
        .map(|(p, known)| {
            let (bytes, digest) = known?;
            Some(FileEntry {
                bytes,
                path: cfg.input_path(p),
                digest,
            })
        })
        .collect::<Option<Vec<_>>>();
    let entries = entries.map(|mut entries| {
        entries.sort_by(|a, b| a.path.cmp(&b.path));
        entries
    });
    Ok((entries, listing))
}

/// Lists (unless `listing` is given, made by [`remembered_entries`] for this corpus moments
/// before), reads and hashes the corpus; returns the lock entries and the ingest input. A
/// file whose digest is remembered from an earlier command (its stamp unchanged, see
/// [`crate::digest`]) is not read: ingest [`load`]s it if it needs its text.
pub fn read(
    cfg: &Config,
    progress: &Progress,
    listing: Option<Listing>,
) -> Result<(Vec<FileEntry>, Input), PipelineError> {
    let dir = &cfg.corpus_dir;
    let Listing { paths, known, .. } = match listing {
        Some(l) if l.dir == *dir => l,
        _ => Listing::new(cfg)?,
    };
    let manifest_path = cfg.manifest.clone();
    let max = cfg.raw.ingest.max_bytes;
    let bar = progress.bar("ingest", "files", paths.len() as u64);
    let files: Vec<RawFile> = paths
        .par_iter()
        .zip(known)
        .map(|(p, known)| {
            let file = read_one(dir, p, max, known);
            bar.inc(1);
            file
        })
        .collect::<Result<_, _>>()?;
    bar.finish_and_clear();
    let mut entries: Vec<FileEntry> = paths
        .iter()
        .zip(&files)
        .map(|(p, f)| FileEntry {
            bytes: f.len,
            path: cfg.input_path(p),
            digest: Algo::Sha256.named(&f.sha256),
        })
        .collect();
    let manifest = match manifest_path {
        None => None,
        Some(p) => {
            let (bytes, digest) = crate::digest::read_hashed(&p, Algo::Sha256)
                .map_err(|e| PipelineError::io(&p, e))?;
            entries.push(FileEntry {
                bytes: bytes.len() as u64,
                path: cfg.input_path(&p),
                digest,
            });
            Some(ManifestFile {
                path: cfg.display_path(&p),
                bytes,
            })
        }
    };
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((entries, Input { files, manifest }))
}

/// One corpus file: not read when its stamp remembers its digest (`known`; [`load`] reads it
/// if needed), hashed by streaming when over the size limit, else read and hashed.
fn read_one(
    root: &Path,
    path: &Path,
    max: u64,
    known: Option<(u64, String)>,
) -> Result<RawFile, PipelineError> {
    let rel = escaped_path(path.strip_prefix(root).unwrap_or(path));
    if let Some((len, digest)) = known {
        if len <= max {
            return Ok(RawFile {
                path: rel,
                len,
                sha256: hex(&digest).to_string(),
                bytes: None,
                unread: Some(path.to_path_buf()),
            });
        }
    }
    let io = |e| PipelineError::io(path, e);
    let len = fs::metadata(path).map_err(io)?.len();
    if len > max {
        // Hashed by streaming (and remembered), never held in memory.
        let (len, digest) = crate::digest::file_digest(path, Algo::Sha256).map_err(io)?;
        return Ok(RawFile {
            path: rel,
            len,
            sha256: hex(&digest).to_string(),
            bytes: None,
            unread: None,
        });
    }
    let (bytes, digest) = crate::digest::read_hashed(path, Algo::Sha256).map_err(io)?;
    Ok(RawFile {
        path: rel,
        len: bytes.len() as u64,
        sha256: hex(&digest).to_string(),
        bytes: Some(bytes),
        unread: None,
    })
}

/// The bytes of a file [`read`] did not read, checked against the digest it was listed with: a
/// file changed since its stamp was taken is an error naming it, never a silent mix.
pub fn load(file: &RawFile) -> Result<Option<Vec<u8>>, PipelineError> {
    let Some(path) = &file.unread else {
        return Ok(None);
    };
    let (bytes, digest) =
        crate::digest::read_hashed(path, Algo::Sha256).map_err(|e| PipelineError::io(path, e))?;
    if hex(&digest) != file.sha256 {
        return Err(PipelineError::io(
            path,
            std::io::Error::other("the file changed while the corpus was read; run again"),
        ));
    }
    Ok(Some(bytes))
}
