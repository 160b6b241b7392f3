//! The cache keys of the last run, remembered by the sentences they were computed from, so
//! that an incremental run neither reads nor decodes the sentences of parts that did not
//! change.
//!
//! A document's cache key is a digest of its row and its sentences (see `cache`). Sentences
//! come in parts, and a part's file digest (from normalise's lock) stands for every sentence
//! in it: while the digest and a document's row are unchanged, so is the document's key. The
//! memo lists, per part digest, every document the part holds rows of, with the digest of its
//! row and its key. A part is skipped only when every document it lists is in the documents
//! table with the same row and its key is in the cache index; a document of the table the
//! part does not list has no sentences in it. Anything else (a changed row, an entry missing,
//! another salt, a memo that does not read back whole) means reading the part, as without a
//! memo. Stored as `keys` in the cache directory, in postcard's form after a header and an
//! XXH64 checksum of the rest; it is written whole after each run.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The memo's file in the cache directory.
pub const FILE: &str = "keys";

const HEADER: &[u8] = b"concord-extract-keys 1\n";

/// One document with rows in a part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed {
    pub doc_id: String,
    /// The digest of its row and its key; `None` for rows of a document the documents table
    /// did not hold, which therefore had no key.
    pub known: Option<([u8; 32], String)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    /// Digest of the stage's salt: keys of another salt are other keys.
    salt: [u8; 32],
    /// Per sentences-part file digest, the documents it holds rows of, in id order.
    parts: Vec<(String, Vec<Listed>)>,
}

/// The memo of the last run, by part digest.
#[derive(Debug, Default)]
pub struct Memo {
    parts: HashMap<String, Vec<Listed>>,
}

impl Memo {
    /// The memo in `dir` made with `salt`; empty when there is none, it was made with another
    /// salt, or it does not read back whole.
    pub fn load(dir: &Path, salt: &str) -> Memo {
        let parts = std::fs::read(dir.join(FILE))
            .ok()
            .and_then(|bytes| {
                let rest = bytes.strip_prefix(HEADER)?;
                let (check, body) = rest.split_first_chunk::<8>()?;
                if u64::from_le_bytes(*check) != twox_hash::XxHash64::oneshot(0, body) {
                    return None;
                }
                postcard::from_bytes::<Stored>(body).ok()
            })
            .filter(|s| s.salt == *blake3::hash(salt.as_bytes()).as_bytes())
            .map(|s| s.parts.into_iter().collect())
            .unwrap_or_default();
        Memo { parts }
    }

    /// The documents the part with file digest `digest` held rows of when it was last read.
    pub fn part(&self, digest: &str) -> Option<&[Listed]> {
        self.parts.get(digest).map(Vec::as_slice)
    }

    /// Writes the memo of this run, whose parts (file digest, documents listed) are given in
    /// part order. Failures are not errors: the memo only saves time, and the next run reads
    /// the parts it cannot vouch for.
    pub fn save(dir: &Path, salt: &str, parts: Vec<(String, Vec<Listed>)>) {
        let stored = Stored {
            salt: *blake3::hash(salt.as_bytes()).as_bytes(),
            parts,
        };
        let Ok(body) = postcard::to_stdvec(&stored) else {
            return;
        };
        let mut bytes = Vec::with_capacity(HEADER.len() + 8 + body.len());
        bytes.extend_from_slice(HEADER);
        bytes.extend_from_slice(&twox_hash::XxHash64::oneshot(0, &body).to_le_bytes());
        bytes.extend_from_slice(&body);
        if std::fs::create_dir_all(dir).is_ok() {
            let _ = crate::pipeline::write_atomic(&dir.join(FILE), &bytes);
        }
    }
}

/// The digest of a document's row as a memo records it.
pub fn row_digest(row_csv: &[u8]) -> [u8; 32] {
    *blake3::hash(row_csv).as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(id: &str, key: Option<&str>) -> Listed {
        Listed {
            doc_id: id.into(),
            known: key.map(|k| (row_digest(id.as_bytes()), k.to_string())),
        }
    }

    #[test]
    fn a_memo_reads_back_only_whole_and_with_its_salt() {
        let dir = tempfile::tempdir().expect("tempdir");
        let parts = vec![
            (
                "blake3:aa".to_string(),
                vec![listed("a1", Some("k1")), listed("a2", None)],
            ),
            ("blake3:bb".to_string(), vec![]),
        ];
        Memo::save(dir.path(), "salt", parts.clone());
        let memo = Memo::load(dir.path(), "salt");
        assert_eq!(memo.part("blake3:aa"), Some(&parts[0].1[..]));
        assert_eq!(memo.part("blake3:bb"), Some(&[][..]));
        assert_eq!(memo.part("blake3:cc"), None);
        // Another salt: nothing remembered.
        assert!(Memo::load(dir.path(), "other").part("blake3:aa").is_none());
        // A damaged byte: nothing remembered.
        let path = dir.path().join(FILE);
        let mut bytes = std::fs::read(&path).expect("read");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert!(Memo::load(dir.path(), "salt").part("blake3:aa").is_none());
        // No file: nothing remembered.
        assert!(Memo::load(&dir.path().join("none"), "salt")
            .part("blake3:aa")
            .is_none());
    }
}
