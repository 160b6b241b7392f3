//! Digests of files, computed once for a file that has not changed since.
//!
//! Two algorithms, each where it belongs. The files concord writes and reads back (stage
//! tables, locks' inputs and outputs, reference data, extract-cache keys) are identified by
//! BLAKE3: on this project's machines, which have no SHA instructions, sha256 runs at about
//! 140 MB/s and BLAKE3 at about 3.5 GB/s, and a run hashes every table it writes. sha256
//! stays where the dataset's contract names it: document ids and the `sha256` column (so
//! corpus files are hashed with it), event and claim ids, and the release's `SHA256SUMS` and
//! `datapackage.json`. A digest string names its algorithm (`blake3:<hex>`, `sha256:<hex>`),
//! as a Frictionless `hash` does, so one can never be compared with the other.
//!
//! A `run` writes every table once and then checks it twice: the next stage verifies all of
//! its producer's outputs against the producer's lock and then reads the ones it needs, and a
//! later `run` checks everything again to see what is up to date. So the digest of a file
//! written or hashed is remembered with the file's length, modification time and inode, and
//! served again while all three are unchanged: within a process, and across the commands that
//! build a data directory through the stamps file `<data>/.concord.stamps` (like git's index),
//! which names files by absolute path, whatever form of path a command was given.
//! `verify` never reads the stamps: it hashes every byte, and is what catches an edit made to
//! look untouched.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

/// A digest algorithm; a digest string is `<name>:<lowercase hex>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algo {
    /// What the files concord writes are identified by.
    Blake3,
    /// What the codebook names: corpus files (document ids), release checksums.
    Sha256,
}

impl Algo {
    fn prefix(self) -> &'static str {
        match self {
            Algo::Blake3 => "blake3:",
            Algo::Sha256 => "sha256:",
        }
    }

    /// The digest string of a digest given in hex.
    pub fn named(self, hex: impl std::fmt::Display) -> String {
        format!("{}{hex}", self.prefix())
    }

    /// The digest string of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> String {
        match self {
            Algo::Blake3 => self.named(blake3::hash(bytes).to_hex()),
            Algo::Sha256 => self.named(sha256_hex(bytes)),
        }
    }

    /// Whether `digest` is a digest string of this algorithm.
    pub fn made(self, digest: &str) -> bool {
        digest
            .strip_prefix(self.prefix())
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
    }

    fn hash_reader(self, mut r: impl io::Read) -> io::Result<(u64, String)> {
        match self {
            Algo::Blake3 => {
                let mut h = blake3::Hasher::new();
                let len = io::copy(&mut r, &mut h)?;
                Ok((len, self.named(h.finalize().to_hex())))
            }
            Algo::Sha256 => {
                let mut h = Sha256::new();
                let len = io::copy(&mut r, &mut h)?;
                Ok((len, self.named(format_args!("{:x}", h.finalize()))))
            }
        }
    }
}

/// The hex of a digest string, without its algorithm.
pub fn hex(digest: &str) -> &str {
    digest.split_once(':').map_or(digest, |(_, hex)| hex)
}

/// The digest string of the bytes of a file concord writes (BLAKE3).
pub fn content_digest(bytes: &[u8]) -> String {
    Algo::Blake3.digest(bytes)
}

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

/// The key a file's digest is remembered under: its absolute path, so that the same file met
/// as `corpus/a.txt` by one command and as `/home/x/proj/corpus/a.txt` by the next (a config
/// given by a relative path, then an absolute one) is one entry, not two that each command
/// saves without the other's.
fn key(path: &Path) -> PathBuf {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    let joined = match CWD.get_or_init(|| std::env::current_dir().ok()) {
        Some(cwd) if path.is_relative() => cwd.join(path),
        _ => path.to_path_buf(),
    };
    // Only `.` components and repeated separators are folded; an absolute path needs no
    // call to the system.
    std::path::absolute(&joined).unwrap_or(joined)
}

/// Remembered digests by [`key`]: the file's stamp, its digest, and whether this process has
/// stamped the file itself (written, hashed or recalled it), which [`save_stamps`] need not
/// check again.
type Known = HashMap<PathBuf, (Stamp, String, bool)>;

fn known() -> &'static Mutex<Known> {
    static KNOWN: OnceLock<Mutex<Known>> = OnceLock::new();
    KNOWN.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Hex sha256 of bytes (ids and release checksums, as the codebook defines them).
pub fn sha256_hex(bytes: &[u8]) -> String {
    // The digest's own lower-hex formatting renders all 32 bytes at once; a `write!` per byte
    // was a tenth of reconcile, which derives an id from a digest for every claim.
    format!("{:x}", Sha256::digest(bytes))
}

/// The id the codebook derives from parts of a row (claims, incidents, events, statements):
/// the first 16 hex digits of the sha256 of the parts joined by U+001F. The parts are hashed
/// as they are, not joined into a new string, and only the 8 bytes kept are rendered: this
/// runs for every claim of every event.
pub fn short_id(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hasher.update([0x1f]);
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    format!("{:016x}", u64::from_be_bytes(first))
}

/// Records that the file now at `path` has the digest string `digest` (it was just written,
/// or just hashed, by this process).
pub fn remember(path: &Path, digest: &str) {
    if let Ok(st) = stamp(path) {
        memo(path, st, digest);
    }
}

/// The length and remembered `algo` digest of `path`, if the file is unchanged since it was
/// remembered; nothing is read.
pub fn remembered(path: &Path, algo: Algo) -> Option<(u64, String)> {
    let st = stamp(path).ok()?;
    recall(path, &st, algo).map(|d| (st.len, d))
}

/// Records `digest` for `path` as stamped `st`.
fn memo(path: &Path, st: Stamp, digest: &str) {
    if let Ok(mut map) = known().lock() {
        map.insert(key(path), (st, digest.to_string(), true));
    }
}

/// The `algo` digest remembered for `path` as stamped `st`, if any.
fn recall(path: &Path, st: &Stamp, algo: Algo) -> Option<String> {
    let mut map = known().lock().ok()?;
    let (s, d, seen) = map.get_mut(&key(path))?;
    if s != st || !algo.made(d) {
        return None;
    }
    *seen = true;
    Some(d.clone())
}

fn since_epoch(t: Option<SystemTime>) -> Option<(u64, u32)> {
    let d = t?.duration_since(SystemTime::UNIX_EPOCH).ok()?;
    Some((d.as_secs(), d.subsec_nanos()))
}

/// Forgets every remembered digest, so that each file is hashed again (`verify`).
pub fn forget() {
    if let Ok(mut map) = known().lock() {
        map.clear();
    }
}

/// The stamps file of a data directory.
pub fn stamps_path(data_dir: &Path) -> PathBuf {
    data_dir.join(".concord.stamps")
}

/// Version 3 records absolute paths; version 2's were as the command was given them.
const STAMPS_HEADER: &str = "concord-stamps 3";

/// Remembers the digests an earlier process saved in `file` (see [`save_stamps`]). Each is
/// served only while its file's length, modification time and inode are unchanged; a
/// missing or malformed stamps file only means hashing again.
pub fn load_stamps(file: &Path) {
    let Ok(text) = fs::read_to_string(file) else {
        return;
    };
    let Some((STAMPS_HEADER, body)) = text.split_once('\n') else {
        return;
    };
    // Parsed on every core, in file order; taken in that order, the first line for a path
    // (and a digest this process already has) wins, as it would line by line.
    let parsed: Vec<(PathBuf, (Stamp, String, bool))> = body
        .par_lines()
        .filter_map(|line| {
            let mut f = line.splitn(6, ' ');
            let (Some(digest), Some(len), Some(secs), Some(nanos), Some(inode), Some(path)) =
                (f.next(), f.next(), f.next(), f.next(), f.next(), f.next())
            else {
                return None;
            };
            let (Ok(len), Ok(secs), Ok(nanos), Ok(inode)) = (
                len.parse::<u64>(),
                secs.parse::<u64>(),
                nanos.parse::<u32>(),
                inode.parse::<u64>(),
            ) else {
                return None;
            };
            if !Algo::Blake3.made(digest) && !Algo::Sha256.made(digest) {
                return None;
            }
            let modified =
                SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::new(secs, nanos));
            let stamp = Stamp {
                len,
                modified,
                inode,
            };
            Some((PathBuf::from(path), (stamp, digest.to_string(), false)))
        })
        .collect();
    let Ok(mut map) = known().lock() else {
        return;
    };
    map.reserve(parsed.len());
    for (path, entry) in parsed {
        map.entry(path).or_insert(entry);
    }
}

/// Saves, sorted by path, the remembered digests of files below one of `roots`: those this
/// process stamped itself as they are, the others only if their files are still as they were
/// (a file since removed is dropped). An entry whose file changed after it was stamped is
/// harmless: it is served only to a file with the same length, modification time and inode.
/// Failure is not an error: the stamps only save time.
pub fn save_stamps(file: &Path, roots: &[&Path]) {
    let roots: Vec<PathBuf> = roots.iter().map(|r| key(r)).collect();
    let Ok(map) = known().lock() else {
        return;
    };
    // On every core: a file not met by this command is stat-ed to see whether its stamp
    // still holds (the 100,000 corpus files, for a command that does not ingest), and each
    // kept line formatted.
    let mut entries: Vec<(&str, &Stamp, &String)> = map
        .par_iter()
        .filter(|(p, _)| roots.iter().any(|r| p.starts_with(r)))
        .filter(|(p, (st, _, seen))| *seen || stamp(p).is_ok_and(|now| now == *st))
        .filter_map(|(p, (st, d, _))| Some((p.to_str().filter(|p| !p.contains('\n'))?, st, d)))
        .collect();
    entries.par_sort_unstable_by_key(|(p, _, _)| *p);
    let lines: Vec<String> = entries
        .into_par_iter()
        .filter_map(|(path, st, digest)| {
            let (secs, nanos) = since_epoch(st.modified)?;
            Some(format!(
                "{digest} {} {secs} {nanos} {} {path}",
                st.len, st.inode
            ))
        })
        .collect();
    drop(map);
    let mut text = String::from(STAMPS_HEADER);
    text.push('\n');
    for l in lines {
        text.push_str(&l);
        text.push('\n');
    }
    let _ = crate::pipeline::write_atomic(file, text.as_bytes());
}

/// Length and `algo` digest of the file at `path`, hashed in blocks (nothing remembered).
pub fn hash_file(path: &Path, algo: Algo) -> io::Result<(u64, String)> {
    algo.hash_reader(fs::File::open(path)?)
}

/// Length and `algo` digest of the file at `path`, hashed in blocks unless remembered.
pub fn file_digest(path: &Path, algo: Algo) -> io::Result<(u64, String)> {
    if let Some(known) = remembered(path, algo) {
        return Ok(known);
    }
    let (len, digest) = hash_file(path, algo)?;
    remember(path, &digest);
    Ok((len, digest))
}

/// Reads a file and its `algo` digest: the remembered one when the file is unchanged since it
/// was hashed, else computed from the bytes read. The file is stamped before it is read and
/// checked after, so a digest is served or remembered only for the bytes actually read: a
/// file rewritten meanwhile is hashed from what was read, and nothing is remembered for it.
pub fn read_hashed(path: &Path, algo: Algo) -> io::Result<(Vec<u8>, String)> {
    let before = stamp(path)?;
    let bytes = fs::read(path)?;
    // The stamp speaks for these bytes only if the file did not change while it was read.
    let steady = before.len == bytes.len() as u64 && stamp(path).ok().as_ref() == Some(&before);
    if let Some(digest) = steady.then(|| recall(path, &before, algo)).flatten() {
        return Ok((bytes, digest));
    }
    // Hashed outside the memo's lock, so that threads reading tables do not wait on each other.
    let digest = algo.digest(&bytes);
    if steady {
        memo(path, before, &digest);
    }
    Ok((bytes, digest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_are_the_first_16_hex_digits_of_the_sha256_of_the_joined_parts() {
        // As docs/CODEBOOK.md defines claim, event and statement ids; released ids must not
        // change. Digests with leading zero digits are among them (the third and fourth).
        for parts in [
            vec!["MLI", "2024-09-08", "2456789", "Attack"],
            vec!["", "", "Léry", ""],
            vec!["only one"],
            vec![],
            vec!["a", "\u{1f}", ""],
        ] {
            let joined = parts.join("\u{1f}");
            assert_eq!(short_id(&parts), sha256_hex(joined.as_bytes())[..16]);
        }
        let zeros = (0..4096)
            .map(|i| short_id(&[&i.to_string()]))
            .filter(|id| id.starts_with('0'))
            .count();
        assert!(zeros > 0);
    }

    #[test]
    fn a_changed_file_is_hashed_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("t.csv");
        fs::write(&path, b"a,b\n1,2\n").expect("write");
        let (_, first) = file_digest(&path, Algo::Blake3).expect("hash");
        assert_eq!(first, content_digest(b"a,b\n1,2\n"));
        // Same length, different bytes: the memo must not serve the old digest.
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(&path, b"a,b\n1,3\n").expect("write");
        let (_, second) = file_digest(&path, Algo::Blake3).expect("hash");
        assert_eq!(second, content_digest(b"a,b\n1,3\n"));
        assert_eq!(
            read_hashed(&path, Algo::Blake3).expect("read"),
            (b"a,b\n1,3\n".to_vec(), second)
        );
    }

    #[test]
    fn a_file_named_relatively_and_absolutely_is_one_entry() {
        let cwd = std::env::current_dir().expect("cwd");
        let dir = tempfile::tempdir_in(&cwd).expect("tempdir");
        let absolute = dir.path().join("t.csv");
        fs::write(&absolute, b"x\n1\n").expect("write");
        let relative = absolute
            .strip_prefix(&cwd)
            .expect("below cwd")
            .to_path_buf();
        assert!(relative.is_relative());
        file_digest(&relative, Algo::Blake3).expect("hash");
        assert!(
            remembered(&absolute, Algo::Blake3).is_some(),
            "hashed by its relative path, served by its absolute one"
        );
        // Saved under a root given relatively, as the absolute path a later command finds.
        let stamps = dir.path().join(".concord.stamps");
        save_stamps(&stamps, &[relative.parent().expect("parent")]);
        let text = fs::read_to_string(&stamps).expect("stamps");
        assert!(
            text.lines()
                .any(|l| l.ends_with(&format!(" {}", absolute.display()))),
            "{text}"
        );
    }

    #[test]
    fn stamps_of_files_removed_since_an_earlier_command_are_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (kept, removed) = (dir.path().join("kept.csv"), dir.path().join("removed.csv"));
        fs::write(&kept, b"x\n1\n").expect("write");
        fs::write(&removed, b"x\n2\n").expect("write");
        file_digest(&kept, Algo::Blake3).expect("hash");
        file_digest(&removed, Algo::Blake3).expect("hash");
        let stamps = dir.path().join(".concord.stamps");
        save_stamps(&stamps, &[dir.path()]);
        // A later command loads both, stamps neither itself, and one file is gone.
        forget();
        load_stamps(&stamps);
        fs::remove_file(&removed).expect("remove");
        save_stamps(&stamps, &[dir.path()]);
        let text = fs::read_to_string(&stamps).expect("stamps");
        assert!(text.contains("kept.csv"), "{text}");
        assert!(!text.contains("removed.csv"), "{text}");
    }

    #[test]
    fn saved_stamps_serve_only_unchanged_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (kept, edited) = (dir.path().join("kept.csv"), dir.path().join("edited.csv"));
        fs::write(&kept, b"x\n1\n").expect("write");
        fs::write(&edited, b"x\n2\n").expect("write");
        file_digest(&kept, Algo::Blake3).expect("hash");
        file_digest(&edited, Algo::Sha256).expect("hash");
        let stamps = dir.path().join(".concord.stamps");
        save_stamps(&stamps, &[dir.path()]);
        let text = fs::read_to_string(&stamps).expect("stamps");
        assert_eq!(text.lines().count(), 3, "{text}");
        // A fresh process: forget, then load what was saved.
        forget();
        load_stamps(&stamps);
        assert!(
            remembered(&kept, Algo::Blake3).is_some(),
            "an unchanged file is served from the stamps"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
        fs::write(&edited, b"x\n3\n").expect("write");
        assert!(
            remembered(&edited, Algo::Sha256).is_none(),
            "an edited file is hashed again"
        );
        assert_eq!(
            file_digest(&edited, Algo::Sha256).expect("hash").1,
            format!("sha256:{}", sha256_hex(b"x\n3\n"))
        );
    }

    #[test]
    fn a_digest_is_served_only_for_the_algorithm_asked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        fs::write(&path, b"trois civils").expect("write");
        let (_, sha) = file_digest(&path, Algo::Sha256).expect("hash");
        assert_eq!(sha, format!("sha256:{}", sha256_hex(b"trois civils")));
        assert!(remembered(&path, Algo::Blake3).is_none());
        let (_, b3) = file_digest(&path, Algo::Blake3).expect("hash");
        assert_eq!(b3, content_digest(b"trois civils"));
        assert!(Algo::Blake3.made(&b3) && !Algo::Sha256.made(&b3));
        assert_eq!(hex(&b3), blake3::hash(b"trois civils").to_hex().as_str());
    }
}
