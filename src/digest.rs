//! sha256 of files, computed at most once per process for a file this process has not
//! changed since.
//!
//! A `run` writes every table once and then checks it twice: the next stage verifies all of
//! its producer's outputs against the producer's lock and then reads the ones it needs. On a
//! CPU without SHA instructions hashing is a sixth of the whole run, so the digest of a file
//! written or hashed by this process is remembered with the file's length, modification time
//! and inode, and served again while all three are unchanged. Nothing is remembered across
//! processes: a separate `concord` command (and `verify`, always) hashes every byte again.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

/// What identifies the state of a file on disk without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
}

fn stamp(path: &Path) -> io::Result<Stamp> {
    let meta = fs::metadata(path)?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Ok(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        inode,
    })
}

fn known() -> &'static Mutex<HashMap<PathBuf, (Stamp, String)>> {
    static KNOWN: OnceLock<Mutex<HashMap<PathBuf, (Stamp, String)>>> = OnceLock::new();
    KNOWN.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(digest: &[u8]) -> String {
    use std::fmt::Write;
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Records that the file now at `path` has digest `sha256` (it was just written, or just
/// hashed, by this process).
pub fn remember(path: &Path, sha256: &str) {
    if let Ok(st) = stamp(path) {
        if let Ok(mut map) = known().lock() {
            map.insert(path.to_path_buf(), (st, sha256.to_string()));
        }
    }
}

/// The remembered digest of `path`, if the file is unchanged since it was remembered.
fn recall(path: &Path) -> Option<String> {
    let st = stamp(path).ok()?;
    let map = known().lock().ok()?;
    map.get(path)
        .filter(|(s, _)| *s == st)
        .map(|(_, sha)| sha.clone())
}

/// Length and digest of the file at `path`, hashed in blocks unless remembered.
pub fn file_sha256(path: &Path) -> io::Result<(u64, String)> {
    if let Some(sha) = recall(path) {
        return Ok((fs::metadata(path)?.len(), sha));
    }
    let mut hasher = Sha256::new();
    let len = io::copy(&mut fs::File::open(path)?, &mut hasher)?;
    let sha = hex(&hasher.finalize());
    remember(path, &sha);
    Ok((len, sha))
}

/// The digest of `bytes`, just read from `path`: the remembered one when the file is
/// unchanged since, else computed (and remembered).
pub fn read_sha256(path: &Path, bytes: &[u8]) -> String {
    match recall(path) {
        Some(sha) => sha,
        None => {
            let sha = sha256_hex(bytes);
            remember(path, &sha);
            sha
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_is_hashed_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.csv");
        fs::write(&path, b"a,b\n1,2\n").expect("write");
        let (_, first) = file_sha256(&path).expect("hash");
        assert_eq!(first, sha256_hex(b"a,b\n1,2\n"));
        // Same length, different bytes: the memo must not serve the old digest.
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(&path, b"a,b\n1,3\n").expect("write");
        let (_, second) = file_sha256(&path).expect("hash");
        assert_eq!(second, sha256_hex(b"a,b\n1,3\n"));
        assert_eq!(read_sha256(&path, b"a,b\n1,3\n"), second);
    }
}
