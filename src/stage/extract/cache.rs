//! The per-document extraction cache: adding one article to a large corpus re-extracts only
//! that article.
//!
//! Extraction is a pure function of one document's row, its sentences, the `[extract]` config,
//! the reference data and the code. The cache key is the sha256 of all of these (the last three
//! as the stage's salt), so an entry can never be served for inputs that differ from the ones
//! that made it. Entries live in `<data>/cache/extract/<k0k1>/<key>`, outside every stage
//! directory: they are not outputs, `verify` does not vouch for them, and deleting the whole
//! `cache/` directory only costs time.
//!
//! An entry is a header line `concord-extract-cache 1 <sha256 of the body>` followed by the
//! four row sets (documents, mentions, incidents, claims) as CSV, each preceded by its byte
//! length. A truncated or altered entry fails its checksum and counts as a miss; entries are
//! written to a temporary file and renamed, so a killed run leaves at worst a stray temporary
//! file, removed by the next prune.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::DocExtract;
use crate::pipeline::sha256_hex;
use crate::table::{decode_csv, rows_to_csv, Claim, Document, Incident, Mention, Row, Sentence};

const MAGIC: &str = "concord-extract-cache 1";

/// A cache directory and the salt every key includes.
pub struct Cache {
    dir: PathBuf,
    salt: String,
    read: bool,
}

/// What one run did with the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub hits: usize,
    pub misses: usize,
}

impl Cache {
    /// A cache in `dir`. `salt` must change whenever anything but the document changes the
    /// result (code version, config, reference data). With `read` false entries are written
    /// but never served (`--force`: a true rebuild that also refreshes the cache).
    pub fn new(dir: PathBuf, salt: String, read: bool) -> Cache {
        Cache { dir, salt, read }
    }

    /// The key of one document and its sentences (in index order).
    pub fn key(&self, doc: &Document, sentences: &[&Sentence]) -> String {
        let mut bytes = Vec::with_capacity(4096);
        bytes.extend_from_slice(self.salt.as_bytes());
        bytes.push(0x1e);
        if let Ok(csv) = rows_to_csv(std::slice::from_ref(doc)) {
            bytes.extend_from_slice(&csv);
        }
        for s in sentences {
            bytes.push(0x1e);
            bytes.extend_from_slice(
                format!(
                    "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}",
                    s.index, s.paragraph, s.char_start, s.char_end
                )
                .as_bytes(),
            );
            bytes.extend_from_slice(s.text.as_bytes());
        }
        sha256_hex(&bytes)
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(key)
    }

    /// The cached extraction for `key`, if present and intact.
    pub fn get(&self, key: &str) -> Option<DocExtract> {
        if !self.read {
            return None;
        }
        let bytes = fs::read(self.path(key)).ok()?;
        decode_entry(&bytes)
    }

    /// Stores an extraction. Failures are not errors: the cache only saves time.
    pub fn put(&self, key: &str, value: &DocExtract) {
        let Some(bytes) = encode_entry(value) else {
            return;
        };
        let path = self.path(key);
        let Some(parent) = path.parent() else {
            return;
        };
        if fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = parent.join(format!(".{key}.tmp-{}", std::process::id()));
        let written = fs::File::create(&tmp).and_then(|mut f| f.write_all(&bytes));
        if written.is_err() || fs::rename(&tmp, &path).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }

    /// Removes every entry (and stray temporary file) whose key is not in `keep`, so the
    /// cache holds exactly the current corpus.
    pub fn prune(&self, keep: &BTreeSet<String>) {
        let Ok(shards) = fs::read_dir(&self.dir) else {
            return;
        };
        for shard in shards.flatten() {
            let Ok(entries) = fs::read_dir(shard.path()) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !keep.contains(&name) {
                    let _ = fs::remove_file(e.path());
                }
            }
            let _ = fs::remove_dir(shard.path()); // only succeeds when empty
        }
    }
}

/// The cache directory for a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("cache").join("extract")
}

fn section<T: Row>(out: &mut Vec<u8>, rows: &[T]) -> Option<()> {
    let csv = rows_to_csv(rows).ok()?;
    out.extend_from_slice(format!("{}\n", csv.len()).as_bytes());
    out.extend_from_slice(&csv);
    Some(())
}

fn encode_entry(value: &DocExtract) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    let docs: Vec<Document> = value.document.iter().cloned().collect();
    section(&mut body, &docs)?;
    section(&mut body, &value.mentions)?;
    section(&mut body, &value.incidents)?;
    section(&mut body, &value.claims)?;
    let mut out = format!("{MAGIC} {}\n", sha256_hex(&body)).into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

/// Splits the next `<len>\n<bytes>` section off `rest`.
fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let nl = rest.iter().position(|&b| b == b'\n')?;
    let len: usize = std::str::from_utf8(&rest[..nl]).ok()?.parse().ok()?;
    let body = rest.get(nl + 1..nl + 1 + len)?;
    *rest = &rest[nl + 1 + len..];
    Some(body)
}

fn decode_entry(bytes: &[u8]) -> Option<DocExtract> {
    let nl = bytes.iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&bytes[..nl]).ok()?;
    let sum = header.strip_prefix(MAGIC)?.trim();
    let body = &bytes[nl + 1..];
    if sha256_hex(body) != sum {
        return None;
    }
    let mut rest = body;
    let docs: Vec<Document> = decode_csv(take(&mut rest)?, "cache").ok()?;
    let mentions: Vec<Mention> = decode_csv(take(&mut rest)?, "cache").ok()?;
    let incidents: Vec<Incident> = decode_csv(take(&mut rest)?, "cache").ok()?;
    let claims: Vec<Claim> = decode_csv(take(&mut rest)?, "cache").ok()?;
    rest.is_empty().then_some(DocExtract {
        document: docs.into_iter().next(),
        mentions,
        incidents,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DocExtract {
        let doc: Vec<Document> = decode_csv(
            format!(
                "{}\n",
                Document::columns()
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(",")
            )
            .as_bytes(),
            "t",
        )
        .expect("header only");
        DocExtract {
            document: doc.into_iter().next(),
            ..Default::default()
        }
    }

    #[test]
    fn entries_round_trip_and_reject_damage() {
        let v = sample();
        let bytes = encode_entry(&v).expect("encodes");
        let back = decode_entry(&bytes).expect("decodes");
        assert_eq!(back.mentions.len(), 0);
        assert!(back.document.is_none());
        let mut cut = bytes.clone();
        cut.truncate(bytes.len() - 1);
        assert!(decode_entry(&cut).is_none(), "a truncated entry is a miss");
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        assert!(
            decode_entry(&flipped).is_none(),
            "an altered entry is a miss"
        );
    }
}
