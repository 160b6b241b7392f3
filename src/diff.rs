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
    rows: BTreeMap<String, csv::StringRecord>,
}

impl Keyed {
    fn field<'a>(&self, row: &'a csv::StringRecord, name: &str) -> Option<&'a str> {
        let i = self.headers.iter().position(|h| h == name)?;
        row.get(i)
    }
}

fn keyed(bytes: &[u8], path: &Path, key: &[&str]) -> Result<Keyed, PipelineError> {
    let err = |e: csv::Error| PipelineError::Release {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut r = csv::Reader::from_reader(bytes);
    let headers: Vec<String> = r
        .headers()
        .map_err(err)?
        .iter()
        .map(str::to_string)
        .collect();
    let key_at: Vec<Option<usize>> = key
        .iter()
        .map(|k| headers.iter().position(|h| h == k))
        .collect();
    let mut rows = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(err)?;
        let k = key_at
            .iter()
            .map(|i| i.and_then(|i| rec.get(i)).unwrap_or(""))
            .collect::<Vec<_>>()
            .join("|");
        rows.insert(k, rec);
    }
    Ok(Keyed { headers, rows })
}

/// The CSV bytes of the tables a diff compares, by table name.
pub type Tables = BTreeMap<String, Vec<u8>>;

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
        t.insert(table.to_string(), bytes);
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
    // Every column of either version, the new order first.
    let mut columns: Vec<&str> = new.headers.iter().map(String::as_str).collect();
    for h in &old.headers {
        if !columns.contains(&h.as_str()) {
            columns.push(h);
        }
    }
    for (k, row) in &new.rows {
        let Some(o) = old.rows.get(k) else {
            d.added.push(k.clone());
            continue;
        };
        let fields: Vec<FieldChange> = columns
            .iter()
            .filter_map(|c| {
                let (was, now) = (old.field(o, c), new.field(row, c));
                (was != now).then(|| FieldChange {
                    field: c.to_string(),
                    old: was.unwrap_or_default().to_string(),
                    new: now.unwrap_or_default().to_string(),
                })
            })
            .collect();
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

/// Compares two releases' tables.
pub fn diff_tables(old: &Tables, new: &Tables) -> Result<ReleaseDiff, PipelineError> {
    let mut out = ReleaseDiff::default();
    for (table, key) in DIFFED {
        let path = Path::new(table);
        let empty = Vec::new();
        let o = keyed(old.get(table).unwrap_or(&empty), path, key)?;
        let n = keyed(new.get(table).unwrap_or(&empty), path, key)?;
        let d = diff_table(&o, &n);
        match table {
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
