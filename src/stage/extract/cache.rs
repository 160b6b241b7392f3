//! The per-document extraction cache: adding one article to a large corpus re-extracts only
//! that article.
//!
//! Extraction is a pure function of one document's row, its sentences, the `[extract]` config,
//! the reference data and the code. The cache key is the BLAKE3 digest of all of these (the last three
//! as the stage's salt), so an entry can never be served for inputs that differ from the ones
//! that made it. The cache lives in `<data>/cache/extract/`, outside every stage directory: it
//! is not an output, `verify` does not vouch for it, and deleting it only costs time.
//!
//! Entries are packed, not one file per document (at 100,000 articles, creating and renaming
//! a file per entry cost more than extracting most articles): a run appends the entries it
//! computes to numbered pack files (`000007.pack`), and `index` lists every live entry as
//! `<key> <pack> <offset> <rows length> <xxh64 of the rows> <mentions length> <xxh64 of the
//! mentions>`, sorted by key. An entry is two parts: the document, incident and claim rows
//! and the number of mention rows, in postcard's binary form (exact, and several times faster
//! to read back than CSV: every document of a corpus is served from the cache on each
//! incremental run), then the mention rows as the CSV lines the mentions table holds. A
//! document whose mentions are not needed (its part of the mentions table is kept, see
//! `stage::extract`) is served from the first part alone, neither read nor decoded past it.
//! A part whose checksum fails counts as a miss. Packs are synced before the index is
//! replaced (write and rename), so a killed run leaves at worst a pack no index refers to,
//! which the next run deletes. A pack less than half of which is still live is compacted: its
//! live entries are copied into the run's new pack. The directory also holds `keys`, the
//! keys of the last run by the sentences they were computed from (`memo`).

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::{BufWriter, Cursor, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::DocExtract;
use crate::table::{rows_to_csv, Claim, Document, Incident, Mention, Row, Sentence};

const INDEX_HEADER: &str = "concord-extract-cache 6";

/// A pack is closed and a new one started beyond this size.
const PACK_BYTES: u64 = 256 << 20;

/// Where an entry is: its rows part at `offset`, its mentions part right after it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Location {
    pack: u32,
    offset: u64,
    rows_len: u64,
    rows_check: u64,
    mentions_len: u64,
    mentions_check: u64,
}

impl Location {
    fn len(&self) -> u64 {
        self.rows_len + self.mentions_len
    }
}

/// An extraction encoded for the cache ([`encode`]).
pub struct Entry {
    bytes: Vec<u8>,
    /// Where the rows part ends and the mentions part begins.
    rows_len: usize,
}

/// The rows part of an entry, as read.
#[derive(serde::Deserialize)]
struct Rows {
    document: Option<Document>,
    incidents: Vec<Incident>,
    claims: Vec<Claim>,
    mentions: u64,
}

/// The rows part of an entry, as written: the same postcard bytes as [`Rows`] (an option of a
/// reference and a slice are written as an option and a vector are), without copying the rows.
#[derive(serde::Serialize)]
struct RowsOf<'a> {
    document: Option<&'a Document>,
    incidents: &'a [Incident],
    claims: &'a [Claim],
    mentions: u64,
}

/// The pack being appended to.
struct Writer {
    pack: u32,
    file: BufWriter<File>,
    offset: u64,
    /// Packs finished by this run, to be synced before the index names them.
    written: Vec<(u32, File)>,
    broken: bool,
}

/// A cache directory and the salt every key includes.
pub struct Cache {
    dir: PathBuf,
    salt: String,
    index: HashMap<String, Location>,
    packs: Mutex<HashMap<u32, Arc<File>>>,
    writer: Mutex<Option<Writer>>,
    added: Mutex<HashMap<String, Location>>,
    next_pack: u32,
}

/// What one run did with the cache.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub hits: usize,
    pub misses: usize,
}

fn pack_name(pack: u32) -> String {
    format!("{pack:06}.pack")
}

fn checksum(bytes: &[u8]) -> u64 {
    twox_hash::XxHash64::oneshot(0, bytes)
}

/// Parses an index; any malformed line makes the whole index unusable (an empty cache).
fn parse_index(text: &str) -> Option<HashMap<String, Location>> {
    let mut lines = text.lines();
    if lines.next()? != INDEX_HEADER {
        return None;
    }
    let mut out = HashMap::new();
    for line in lines {
        let f: Vec<&str> = line.split(' ').collect();
        let [key, pack, offset, rows_len, rows_check, mentions_len, mentions_check] = f.as_slice()
        else {
            return None;
        };
        out.insert(
            key.to_string(),
            Location {
                pack: pack.parse().ok()?,
                offset: offset.parse().ok()?,
                rows_len: rows_len.parse().ok()?,
                rows_check: u64::from_str_radix(rows_check, 16).ok()?,
                mentions_len: mentions_len.parse().ok()?,
                mentions_check: u64::from_str_radix(mentions_check, 16).ok()?,
            },
        );
    }
    Some(out)
}

impl Cache {
    /// The cache in `dir`. `salt` must change whenever anything but the document changes the
    /// result (code version, config, reference data). With `read` false entries are written
    /// but never served (`--force`: a true rebuild that also refreshes the cache).
    pub fn new(dir: PathBuf, salt: String, read: bool) -> Cache {
        let index = fs::read_to_string(dir.join("index"))
            .ok()
            .and_then(|t| parse_index(&t))
            .unwrap_or_default();
        let next_pack = existing_packs(&dir)
            .into_iter()
            .chain(index.values().map(|l| l.pack))
            .max()
            .map_or(1, |p| p + 1);
        Cache {
            dir,
            salt,
            index: if read { index } else { HashMap::new() },
            packs: Mutex::new(HashMap::new()),
            writer: Mutex::new(None),
            added: Mutex::new(HashMap::new()),
            next_pack,
        }
    }

    /// The key of one document, given as its [`row_csv`], and its sentences (in index order).
    pub fn key(&self, row_csv: &[u8], sentences: &[Sentence]) -> String {
        let mut bytes = Vec::with_capacity(4096);
        bytes.extend_from_slice(self.salt.as_bytes());
        bytes.push(0x1e);
        bytes.extend_from_slice(row_csv);
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
        blake3::hash(&bytes).to_hex().to_string()
    }

    /// The directory the cache lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The salt every key includes.
    pub fn salt(&self) -> &str {
        &self.salt
    }

    /// Whether the index lists an entry for `key` (it may still fail its checksum when read).
    pub fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    fn pack(&self, pack: u32) -> Option<Arc<File>> {
        let mut packs = self.packs.lock().ok()?;
        if let Some(f) = packs.get(&pack) {
            return Some(f.clone());
        }
        let f = Arc::new(File::open(self.dir.join(pack_name(pack))).ok()?);
        packs.insert(pack, f.clone());
        Some(f)
    }

    /// An entry's bytes, each part read checked against its checksum: the rows part alone,
    /// or with `mentions` the whole entry.
    fn read_entry(&self, loc: &Location, mentions: bool) -> Option<Entry> {
        let file = self.pack(loc.pack)?;
        let rows_len = usize::try_from(loc.rows_len).ok()?;
        let len = if mentions { loc.len() } else { loc.rows_len };
        let mut bytes = vec![0; usize::try_from(len).ok()?];
        read_at(&file, &mut bytes, loc.offset)?;
        let (rows, rest) = bytes.split_at(rows_len);
        let intact =
            checksum(rows) == loc.rows_check && (!mentions || checksum(rest) == loc.mentions_check);
        intact.then_some(Entry { bytes, rows_len })
    }

    /// The cached extraction for `key`, if present and intact, and its mention rows as
    /// [`csv_body`] encodes them.
    pub fn get(&self, key: &str) -> Option<(DocExtract, Vec<u8>)> {
        let loc = self.index.get(key)?;
        decode_entry(self.read_entry(loc, true)?, true)
    }

    /// [`get`](Self::get) without the mentions: the document, incident and claim rows alone,
    /// read from the entry's first part.
    pub fn get_rows(&self, key: &str) -> Option<DocExtract> {
        let loc = self.index.get(key)?;
        decode_entry(self.read_entry(loc, false)?, false).map(|(value, _)| value)
    }

    /// Appends an entry to the current pack; `None` once writing has failed.
    fn append(&self, entry: &Entry) -> Option<Location> {
        let bytes = entry.bytes.as_slice();
        let mut guard = self.writer.lock().ok()?;
        if guard.is_none() {
            fs::create_dir_all(&self.dir).ok()?;
            let pack = self.next_pack;
            let file = File::create(self.dir.join(pack_name(pack))).ok()?;
            *guard = Some(Writer {
                pack,
                file: BufWriter::with_capacity(1 << 20, file),
                offset: 0,
                written: Vec::new(),
                broken: false,
            });
        }
        let w = guard.as_mut()?;
        if w.broken {
            return None;
        }
        if w.offset > 0 && w.offset + bytes.len() as u64 > PACK_BYTES {
            let next = w.pack + 1;
            let file = File::create(self.dir.join(pack_name(next)));
            let done =
                std::mem::replace(&mut w.file, BufWriter::with_capacity(1 << 20, file.ok()?));
            match done.into_inner() {
                Ok(f) => w.written.push((w.pack, f)),
                Err(_) => {
                    w.broken = true;
                    return None;
                }
            }
            w.pack = next;
            w.offset = 0;
        }
        if w.file.write_all(bytes).is_err() {
            w.broken = true;
            return None;
        }
        let (rows, mentions) = bytes.split_at(entry.rows_len);
        let loc = Location {
            pack: w.pack,
            offset: w.offset,
            rows_len: rows.len() as u64,
            rows_check: checksum(rows),
            mentions_len: mentions.len() as u64,
            mentions_check: checksum(mentions),
        };
        w.offset += bytes.len() as u64;
        Some(loc)
    }

    /// Stores an extraction [`encode`]d. Entries are appended in call order: a caller that
    /// puts in a fixed order gets the same pack bytes with any number of threads. Failures
    /// are not errors: the cache only saves time.
    pub fn put_encoded(&self, key: &str, entry: &Entry) {
        if let Some(loc) = self.append(entry) {
            if let Ok(mut added) = self.added.lock() {
                added.insert(key.to_string(), loc);
            }
        }
    }

    /// Ends the run: packs are synced, the index is replaced by one listing exactly the
    /// entries of `keep` (the current corpus), sparse packs are compacted and packs no
    /// longer listed are deleted. Failures leave the previous index, or no index, in place.
    pub fn finish(self, keep: &BTreeSet<String>) {
        let Cache {
            dir,
            index,
            writer,
            added,
            ..
        } = &self;
        let mut added = added.lock().map(|a| a.clone()).unwrap_or_default();
        let mut live: BTreeMap<&str, Location> = BTreeMap::new();
        for key in keep {
            if let Some(loc) = added
                .remove(key.as_str())
                .or_else(|| index.get(key).cloned())
            {
                live.insert(key, loc);
            }
        }
        // Compaction: entries of packs this run did not write, in packs mostly dead.
        let mut live_bytes: HashMap<u32, u64> = HashMap::new();
        for loc in live.values() {
            *live_bytes.entry(loc.pack).or_default() += loc.len();
        }
        let sparse: BTreeSet<u32> = live_bytes
            .iter()
            .filter(|(p, n)| {
                **p < self.next_pack
                    && fs::metadata(dir.join(pack_name(**p))).is_ok_and(|m| **n * 2 < m.len())
            })
            .map(|(p, _)| *p)
            .collect();
        for loc in live.values_mut() {
            if !sparse.contains(&loc.pack) {
                continue;
            }
            match self.read_entry(loc, true).and_then(|e| self.append(&e)) {
                Some(moved) => *loc = moved,
                // Unreadable or not copied: dropped below.
                None => loc.pack = u32::MAX,
            }
        }
        live.retain(|_, loc| loc.pack != u32::MAX);
        // Sync every pack this run wrote before an index names it.
        if let Ok(mut guard) = writer.lock() {
            if let Some(w) = guard.take() {
                let mut files = w.written;
                match w.file.into_inner() {
                    Ok(f) if !w.broken => files.push((w.pack, f)),
                    _ => {
                        // Entries of a pack that could not be completed are not listed.
                        live.retain(|_, loc| loc.pack != w.pack);
                    }
                }
                for (pack, f) in files {
                    if f.sync_all().is_err() {
                        live.retain(|_, loc| loc.pack != pack);
                    }
                }
            }
        }
        let mut text = String::with_capacity(live.len() * 100 + 32);
        text.push_str(INDEX_HEADER);
        text.push('\n');
        for (key, l) in &live {
            text.push_str(&format!(
                "{key} {} {} {} {:016x} {} {:016x}\n",
                l.pack, l.offset, l.rows_len, l.rows_check, l.mentions_len, l.mentions_check
            ));
        }
        if crate::pipeline::write_atomic(&dir.join("index"), text.as_bytes()).is_err() {
            return;
        }
        let listed: BTreeSet<u32> = live.values().map(|l| l.pack).collect();
        prune_except(dir, &listed);
    }
}

/// Numbers of the pack files in `dir`.
fn existing_packs(dir: &Path) -> Vec<u32> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".pack")?.parse().ok())
        .collect()
}

/// Deletes everything in `dir` but the index, the key memo and the listed packs: unlisted packs, stray
/// temporary files, and the one-file-per-entry shards of earlier versions.
fn prune_except(dir: &Path, listed: &BTreeSet<u32>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let keep = name == "index"
            || name == super::memo::FILE
            || name
                .strip_suffix(".pack")
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|p| listed.contains(&p));
        if keep {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            let _ = fs::remove_dir_all(&path);
        } else {
            let _ = fs::remove_file(&path);
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> Option<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset).ok()
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> Option<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = file.try_clone().ok()?;
    f.seek(SeekFrom::Start(offset)).ok()?;
    f.read_exact(buf).ok()
}

/// A document's row as a cache key includes it: the row as CSV, header first (nothing for a
/// row that does not encode, which no row does).
pub fn row_csv(doc: &Document) -> Vec<u8> {
    rows_to_csv(std::slice::from_ref(doc)).unwrap_or_default()
}

/// The cache directory for a data directory.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("cache").join("extract")
}

/// The cache entry of an extraction: its document, incident and claim rows and the number
/// of its mention rows in postcard's form, then `mentions`, which must be
/// [`csv_body`](crate::table::csv_body)`(&value.mentions)`, the lines the caller also writes
/// to the stage's table.
pub fn encode(value: &DocExtract, mentions: &[u8]) -> Option<Entry> {
    let rows = RowsOf {
        document: value.document.as_ref(),
        incidents: &value.incidents,
        claims: &value.claims,
        mentions: value.mentions.len() as u64,
    };
    let mut bytes = postcard::to_stdvec(&rows).ok()?;
    let rows_len = bytes.len();
    bytes.extend_from_slice(mentions);
    Some(Entry { bytes, rows_len })
}

thread_local! {
    /// One CSV reader per thread, moved from entry to entry: building a reader (its parser's
    /// tables) costs more than reading most entries.
    static READER: RefCell<csv::Reader<Cursor<Vec<u8>>>> = RefCell::new(
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(Cursor::new(Vec::new())),
    );
}

/// An entry's extraction, and its mention rows as [`crate::table::csv_body`] encodes them;
/// without `mentions` (the entry read without its second part), no mention rows and no bytes.
fn decode_entry(entry: Entry, mentions: bool) -> Option<(DocExtract, Vec<u8>)> {
    let Entry {
        mut bytes,
        rows_len,
    } = entry;
    let rows: Rows = postcard::from_bytes(&bytes[..rows_len]).ok()?;
    let mut value = DocExtract {
        document: rows.document,
        mentions: Vec::new(),
        incidents: rows.incidents,
        claims: rows.claims,
    };
    if !mentions {
        return Some((value, Vec::new()));
    }
    bytes.drain(..rows_len);
    let n = usize::try_from(rows.mentions).ok()?;
    READER.with(|cell| {
        let mut r = cell.try_borrow_mut().ok()?;
        *r.get_mut() = Cursor::new(bytes);
        r.seek_raw(SeekFrom::Start(0), csv::Position::new()).ok()?;
        let header = csv::StringRecord::from(
            Mention::columns()
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>(),
        );
        value.mentions = rows_of::<Mention, _>(&mut r, &header, n)?;
        // Exactly `n` rows, and nothing after them.
        let mut extra = csv::StringRecord::new();
        let ended = !r.read_record(&mut extra).ok()?;
        let bytes = std::mem::take(r.get_mut()).into_inner();
        ended.then_some((value, bytes))
    })
}

/// Reads `n` rows of `T` with `header`'s column names.
fn rows_of<T: Row, R: std::io::Read>(
    r: &mut csv::Reader<R>,
    header: &csv::StringRecord,
    n: usize,
) -> Option<Vec<T>> {
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::with_capacity(n);
    for _ in 0..n {
        if !r.read_record(&mut record).ok()? {
            return None;
        }
        rows.push(record.deserialize(Some(header)).ok()?);
    }
    Some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Cache {
        fn put(&self, key: &str, value: &DocExtract) {
            let mentions = crate::table::csv_body(&value.mentions).expect("encodes");
            self.put_encoded(key, &encode(value, &mentions).expect("encodes"));
        }
    }

    #[test]
    fn entries_are_served_until_damaged_and_dead_packs_go() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("extract");
        let keep: BTreeSet<String> = ["a", "b"].iter().map(|s| s.to_string()).collect();
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        cache.put("a", &DocExtract::default());
        cache.put("b", &DocExtract::default());
        cache.put("gone", &DocExtract::default());
        cache.finish(&keep);
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        assert!(cache.get("a").is_some() && cache.get("b").is_some());
        assert!(
            cache.get("gone").is_none(),
            "an entry not kept is not listed"
        );
        assert_eq!(cache.index.len(), 2);
        // A damaged byte in the pack: the entry it falls in is a miss, not garbage.
        let pack = dir.join(pack_name(1));
        let mut bytes = fs::read(&pack).expect("pack");
        bytes[0] ^= 0x01;
        fs::write(&pack, bytes).expect("write");
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        let served = ["a", "b"].iter().filter(|k| cache.get(k).is_some()).count();
        assert_eq!(served, 1, "exactly the damaged entry is refused");
        let served = ["a", "b"]
            .iter()
            .filter(|k| cache.get_rows(k).is_some())
            .count();
        assert_eq!(
            served, 1,
            "an entry served without its mentions is still checked (its rows part)"
        );
        // Rewritten entries go to a new pack; the old one, no longer listed, is deleted.
        cache.put("a", &DocExtract::default());
        cache.put("b", &DocExtract::default());
        cache.put("c", &DocExtract::default());
        cache.finish(&keep);
        assert_eq!(
            existing_packs(&dir),
            vec![2],
            "the first pack is no longer listed"
        );
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        assert!(cache.get("a").is_some() && cache.get("b").is_some());
        // A corpus reduced to one of the pack's three entries: the pack is compacted.
        let only_a: BTreeSet<String> = ["a".to_string()].into();
        cache.finish(&only_a);
        assert_eq!(existing_packs(&dir), vec![3]);
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        assert!(cache.get("a").is_some() && cache.get("b").is_none());
        // An unreadable index is an empty cache, not an error.
        fs::write(dir.join("index"), "garbage").expect("write");
        assert!(Cache::new(dir, "salt".into(), true).get("a").is_none());
    }

    #[test]
    fn damaged_mention_lines_refuse_the_whole_entry_but_not_its_rows() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("extract");
        let mention = Mention {
            doc_id: "d1".into(),
            sentence: 0,
            char_start: 0,
            char_end: 4,
            kind: "quantity".into(),
            surface: "deux".into(),
            value: Some("2".into()),
            rule_id: "q-words".into(),
        };
        let value = DocExtract {
            mentions: vec![mention],
            ..DocExtract::default()
        };
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        cache.put("a", &value);
        cache.finish(&["a".to_string()].into());
        // The pack's last byte is the end of the mention lines.
        let pack = dir.join(pack_name(1));
        let mut bytes = fs::read(&pack).expect("pack");
        let last = bytes.len() - 2;
        bytes[last] ^= 0x01;
        fs::write(&pack, bytes).expect("write");
        let cache = Cache::new(dir, "salt".into(), true);
        assert!(cache.get("a").is_none(), "damaged mention lines are a miss");
        assert!(
            cache.get_rows("a").is_some(),
            "the rows part, intact, is still served"
        );
    }

    #[test]
    fn a_served_entry_brings_its_rows_and_their_exact_csv_lines() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("extract");
        let mention = |start: i64, surface: &str, value: Option<&str>| Mention {
            doc_id: "d1".into(),
            sentence: 0,
            char_start: start,
            char_end: start + surface.chars().count() as i64,
            kind: "quantity".into(),
            surface: surface.into(),
            value: value.map(|v| v.to_string().into()),
            rule_id: "q-words".into(),
        };
        let value = DocExtract {
            mentions: vec![
                mention(0, "une \"vingtaine\", au moins", Some("approx 20")),
                mention(40, "deux\nlignes", None),
            ],
            ..DocExtract::default()
        };
        let cache = Cache::new(dir.clone(), "salt".into(), true);
        cache.put("a", &DocExtract::default());
        cache.put("b", &value);
        cache.finish(&["a", "b"].iter().map(|s| s.to_string()).collect());
        let cache = Cache::new(dir, "salt".into(), true);
        // Twice, in either order: the reader kept per thread carries nothing over.
        for key in ["b", "a", "b"] {
            let (served, csv) = cache.get(key).expect("served");
            let want = if key == "b" {
                &value
            } else {
                &DocExtract::default()
            };
            assert_eq!(csv, crate::table::csv_body(&want.mentions).expect("csv"));
            assert_eq!(served.mentions, want.mentions);
            let rows = cache.get_rows(key).expect("served without mentions");
            assert!(rows.mentions.is_empty() && rows.claims.is_empty());
        }
    }
}
