//! Compares two releases by primary key: which events were added, removed or changed (field by
//! field), which documents were added or removed. Used by `concord diff OLD NEW` and by export
//! to write CHANGELOG.md. Reads the CSV tables only, so any two release directories compare.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::error::PipelineError;

/// One table read as rows keyed by its primary key. Rows stay compact CSV records (one buffer
/// each) with the header shared, so a release of hundreds of thousands of claims diffs in a
/// few hundred megabytes.
struct Keyed {
    headers: Vec<String>,
    rows: BTreeMap<String, csv::ByteRecord>,
}

fn keyed(bytes: &[u8], path: &Path, key: &[&str]) -> Result<Keyed, PipelineError> {
    let mut r = Rows::open(bytes, path, key)?;
    let mut rows = BTreeMap::new();
    while let Some((k, rec)) = r.next()? {
        rows.insert(k, rec);
    }
    Ok(Keyed {
        headers: r.headers,
        rows,
    })
}

/// The CSV bytes of the tables a diff compares, by table name (shared with the files that
/// hold them, so that export compares without a copy).
pub type Tables = BTreeMap<String, std::sync::Arc<Vec<u8>>>;

/// The tables a diff compares, with their primary keys.
pub const DIFFED: [(&str, &[&str]); 3] = [
    ("events", &["event_id"]),
    ("documents", &["doc_id"]),
    ("claims", &["claim_id"]),
];

/// Reads the compared tables of a release directory.
pub fn read_release(dir: &Path) -> Result<Tables, PipelineError> {
    let mut t = Tables::new();
    for (table, _) in DIFFED {
        let path = dir.join(format!("{table}.csv"));
        let bytes = std::fs::read(&path).map_err(|e| PipelineError::Release {
            path: path.clone(),
            message: e.to_string(),
        })?;
        t.insert(table.to_string(), std::sync::Arc::new(bytes));
    }
    Ok(t)
}

/// A field that changed between two versions of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Differences of one table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<(String, Vec<FieldChange>)>,
}

impl TableDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

fn diff_table(old: &Keyed, new: &Keyed) -> TableDiff {
    let mut d = TableDiff::default();
    for (k, row) in &new.rows {
        let Some(o) = old.rows.get(k) else {
            d.added.push(k.clone());
            continue;
        };
        let fields = changes(&old.headers, o, &new.headers, row);
        if !fields.is_empty() {
            d.changed.push((k.clone(), fields));
        }
    }
    d.removed = old
        .rows
        .keys()
        .filter(|k| !new.rows.contains_key(*k))
        .cloned()
        .collect();
    d
}

/// The differences between two releases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReleaseDiff {
    pub events: TableDiff,
    pub documents: TableDiff,
    pub claims: TableDiff,
}

impl ReleaseDiff {
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.documents.is_empty() && self.claims.is_empty()
    }
}

/// A table's rows in file order, each with its key. Rows are compared as bytes: only keys
/// (checked to be UTF-8) and the fields that changed are read as text.
struct Rows<'a> {
    headers: Vec<String>,
    key_at: Vec<Option<usize>>,
    reader: csv::Reader<&'a [u8]>,
    path: &'a Path,
}

impl<'a> Rows<'a> {
    fn open(bytes: &'a [u8], path: &'a Path, key: &[&str]) -> Result<Rows<'a>, PipelineError> {
        let mut reader = csv::Reader::from_reader(bytes);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| release_error(path, e))?
            .iter()
            .map(str::to_string)
            .collect();
        let key_at = key
            .iter()
            .map(|k| headers.iter().position(|h| h == k))
            .collect();
        Ok(Rows {
            headers,
            key_at,
            reader,
            path,
        })
    }

    /// The next row and its key (the key columns joined by `|`).
    fn next(&mut self) -> Result<Option<(String, csv::ByteRecord)>, PipelineError> {
        let mut rec = csv::ByteRecord::new();
        let mut key = String::new();
        Ok(self.read_into(&mut rec, &mut key)?.then_some((key, rec)))
    }

    /// Reads the next row into `rec` and its key into `key`; `false` at the end.
    fn read_into(
        &mut self,
        rec: &mut csv::ByteRecord,
        key: &mut String,
    ) -> Result<bool, PipelineError> {
        key.clear();
        if !self
            .reader
            .read_byte_record(rec)
            .map_err(|e| release_error(self.path, e))?
        {
            return Ok(false);
        }
        for (n, i) in self.key_at.iter().enumerate() {
            if n > 0 {
                key.push('|');
            }
            let field = i.and_then(|i| rec.get(i)).unwrap_or_default();
            let text = std::str::from_utf8(field).map_err(|e| PipelineError::Release {
                path: self.path.to_path_buf(),
                message: format!(
                    "line {}: key is not UTF-8: {e}",
                    rec.position().map_or(0, |p| p.line())
                ),
            })?;
            key.push_str(text);
        }
        Ok(true)
    }
}

fn release_error(path: &Path, e: csv::Error) -> PipelineError {
    PipelineError::Release {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// The fields that differ between two versions of a row, over every column of either.
fn changes(
    old: &[String],
    o: &csv::ByteRecord,
    new: &[String],
    n: &csv::ByteRecord,
) -> Vec<FieldChange> {
    let field = |headers: &[String], row: &csv::ByteRecord, name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .and_then(|i| row.get(i))
            .map(|v| String::from_utf8_lossy(v).into_owned())
    };
    let mut columns: Vec<&str> = new.iter().map(String::as_str).collect();
    for h in old {
        if !columns.contains(&h.as_str()) {
            columns.push(h);
        }
    }
    columns
        .iter()
        .filter_map(|c| {
            let (was, now) = (field(old, o, c), field(new, n, c));
            (was != now).then(|| FieldChange {
                field: c.to_string(),
                old: was.unwrap_or_default(),
                new: now.unwrap_or_default(),
            })
        })
        .collect()
}

/// One side of [`diff_sorted`]: the current row and its key, and the key before it. The
/// record and the key strings are reused from row to row.
struct Side<'a> {
    rows: Rows<'a>,
    rec: csv::ByteRecord,
    key: String,
    last: String,
    started: bool,
    has: bool,
}

impl<'a> Side<'a> {
    fn open(bytes: &'a [u8], path: &'a Path, key: &[&str]) -> Result<Side<'a>, PipelineError> {
        Ok(Side {
            rows: Rows::open(bytes, path, key)?,
            rec: csv::ByteRecord::new(),
            key: String::new(),
            last: String::new(),
            started: false,
            has: false,
        })
    }

    /// Reads the next row; `Ok(false)` if its key does not follow the previous one.
    fn advance(&mut self) -> Result<bool, PipelineError> {
        std::mem::swap(&mut self.key, &mut self.last);
        self.has = self.rows.read_into(&mut self.rec, &mut self.key)?;
        let ordered = !(self.has && self.started && self.last >= self.key);
        self.started |= self.has;
        Ok(ordered)
    }
}

/// Diffs two tables sorted by key in one pass over both, holding one row of each: a release's
/// tables are written in key order. `Ok(None)` when either is not strictly in key order.
fn diff_sorted(
    old: &[u8],
    new: &[u8],
    path: &Path,
    key: &[&str],
) -> Result<Option<TableDiff>, PipelineError> {
    let (mut o, mut n) = (Side::open(old, path, key)?, Side::open(new, path, key)?);
    let mut d = TableDiff::default();
    let same_headers = o.rows.headers == n.rows.headers;
    let (a, b) = (o.advance()?, n.advance()?);
    if !(a && b) {
        return Ok(None);
    }
    loop {
        let (advance_old, advance_new) = match (o.has, n.has) {
            (false, false) => return Ok(Some(d)),
            (true, false) => {
                d.removed.push(o.key.clone());
                (true, false)
            }
            (false, true) => {
                d.added.push(n.key.clone());
                (false, true)
            }
            (true, true) => match o.key.cmp(&n.key) {
                std::cmp::Ordering::Less => {
                    d.removed.push(o.key.clone());
                    (true, false)
                }
                std::cmp::Ordering::Greater => {
                    d.added.push(n.key.clone());
                    (false, true)
                }
                std::cmp::Ordering::Equal => {
                    // Most rows of a new release are as they were: compared field by field
                    // in place before any column is looked up by name.
                    let same = same_headers && o.rec.iter().eq(n.rec.iter());
                    if !same {
                        let fields = changes(&o.rows.headers, &o.rec, &n.rows.headers, &n.rec);
                        if !fields.is_empty() {
                            d.changed.push((n.key.clone(), fields));
                        }
                    }
                    (true, true)
                }
            },
        };
        // Both sides are read before either's order is judged, as a read error outranks it.
        let a = if advance_old { o.advance()? } else { true };
        let b = if advance_new { n.advance()? } else { true };
        if !(a && b) {
            return Ok(None);
        }
    }
}

/// Compares two releases' tables.
pub fn diff_tables(old: &Tables, new: &Tables) -> Result<ReleaseDiff, PipelineError> {
    use rayon::prelude::*;
    // The tables are independent: compared at once, reported in DIFFED's order.
    let diffs: Vec<Result<TableDiff, PipelineError>> = DIFFED
        .par_iter()
        .map(|&(table, key)| {
            let path = Path::new(table);
            let empty: &[u8] = &[];
            let (old, new) = (
                old.get(table).map_or(empty, |b| b.as_slice()),
                new.get(table).map_or(empty, |b| b.as_slice()),
            );
            Ok(match diff_sorted(old, new, path, key)? {
                Some(d) => d,
                // Tables not in key order (not written by concord): compared through maps.
                None => diff_table(&keyed(old, path, key)?, &keyed(new, path, key)?),
            })
        })
        .collect();
    let mut out = ReleaseDiff::default();
    for ((table, _), d) in DIFFED.iter().zip(diffs) {
        let d = d?;
        match *table {
            "events" => out.events = d,
            "documents" => out.documents = d,
            _ => out.claims = d,
        }
    }
    Ok(out)
}

/// Compares two release directories.
pub fn diff_releases(old: &Path, new: &Path) -> Result<ReleaseDiff, PipelineError> {
    diff_tables(&read_release(old)?, &read_release(new)?)
}

/// The diff as Markdown, for CHANGELOG.md and the terminal.
pub fn render(d: &ReleaseDiff) -> String {
    let mut s = String::new();
    if d.is_empty() {
        s.push_str("No changes to documents, claims or events.\n");
        return s;
    }
    let list = |s: &mut String, title: &str, ids: &[String]| {
        if !ids.is_empty() {
            let _ = writeln!(
                s,
                "- {title} ({}): {}",
                ids.len(),
                ids.iter()
                    .map(|i| format!("`{i}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    };
    list(&mut s, "Events added", &d.events.added);
    list(&mut s, "Events removed", &d.events.removed);
    for (id, fields) in &d.events.changed {
        let _ = writeln!(s, "- Event changed `{id}`:");
        for f in fields {
            let _ = writeln!(s, "  - `{}`: `{}` -> `{}`", f.field, f.old, f.new);
        }
    }
    list(&mut s, "Documents added", &d.documents.added);
    list(&mut s, "Documents removed", &d.documents.removed);
    for (id, fields) in &d.documents.changed {
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        let _ = writeln!(s, "- Document changed `{id}`: {}", names.join(", "));
    }
    list(&mut s, "Claims added", &d.claims.added);
    list(&mut s, "Claims removed", &d.claims.removed);
    if !d.claims.changed.is_empty() {
        let _ = writeln!(s, "- Claims changed ({})", d.claims.changed.len());
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables(events: &str) -> Tables {
        let mut t = Tables::new();
        t.insert(
            "events".into(),
            std::sync::Arc::new(events.as_bytes().to_vec()),
        );
        t
    }

    /// The events diff of two tables, checked to equal the diff through maps.
    #[track_caller]
    fn events_diff(old: &str, new: &str) -> TableDiff {
        let d = diff_tables(&tables(old), &tables(new)).expect("diff");
        let path = Path::new("events");
        let by_maps = diff_table(
            &keyed(old.as_bytes(), path, &["event_id"]).expect("old"),
            &keyed(new.as_bytes(), path, &["event_id"]).expect("new"),
        );
        assert_eq!(d.events, by_maps);
        d.events
    }

    #[test]
    fn the_one_pass_diff_equals_the_map_diff_and_unsorted_tables_still_compare() {
        let old = "event_id,fatalities_best\na,1\nb,2\nd,4\n";
        let new = "event_id,fatalities_best,notes\nb,3,x\nc,5,\nd,4,\n";
        let d = events_diff(old, new);
        assert_eq!(d.added, vec!["c".to_string()]);
        assert_eq!(d.removed, vec!["a".to_string()]);
        assert_eq!(d.changed.len(), 2, "b's count and d's new empty column");
        // The same rows out of key order: compared through maps, same result.
        let shuffled = "event_id,fatalities_best,notes\nd,4,\nc,5,\nb,3,x\n";
        assert_eq!(events_diff(old, shuffled), d);
    }

    #[test]
    fn rows_left_as_they_were_are_no_change_and_one_changed_field_is_named() {
        let old = "event_id,fatalities_best,notes\na,1,x\nb,2,\"y, z\"\nc,3,\n";
        let new = "event_id,fatalities_best,notes\na,1,x\nb,2,\"y, z!\"\nc,3,\nd,4,\n";
        let d = events_diff(old, new);
        assert_eq!(d.added, vec!["d".to_string()]);
        assert!(d.removed.is_empty());
        assert_eq!(
            d.changed,
            vec![(
                "b".to_string(),
                vec![FieldChange {
                    field: "notes".into(),
                    old: "y, z".into(),
                    new: "y, z!".into(),
                }]
            )]
        );
        // Identical tables: nothing at all.
        let same = diff_tables(&tables(new), &tables(new)).expect("diff");
        assert!(same.is_empty());
    }
}
