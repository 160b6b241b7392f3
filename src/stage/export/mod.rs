//! export: the reconciled tables -> a citable release (`data/release/` and a versioned copy
//! `data/releases/<version>/`) and the Markdown report with SVG figures (`reports/`).
//!
//! A release holds the six tables of docs/CODEBOOK.md as Parquet and CSV, `datapackage.json`
//! (Frictionless, with sizes, sha256 hashes and Table Schemas), `SHA256SUMS`, `CITATION.cff`,
//! `CHANGELOG.md` (the diff against the release it replaces) and the report. The content id,
//! a digest of every table's digest, is recorded beside the version so that two contents never
//! carry one label unnoticed. Nothing here reads a clock: the release date comes from config.

mod datapackage;
mod figures;
mod report;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diff::{self, Tables};
use crate::error::PipelineError;
use crate::pipeline::{
    read_lock, sha256_hex, stage_dir, Carry, FileEntry, OutputFile, StageLock, TableFiles, Upstream,
};
use crate::stage::Stage;
use crate::table::{Claim, Document, Event, EventClaim, EventCount, EventDocument, Row};

pub const LOGIC_VERSION: u32 = 1;

/// The boundaries file, relative to the reference directory.
pub const BOUNDARIES: &str = "boundaries/naturalearth_lowres.geojson";

/// What the release replaces: its tables and changelog, read from `data/release/`.
pub struct Previous {
    pub content_id: Option<String>,
    pub version: Option<String>,
    pub tables: Tables,
    pub changelog: String,
}

/// A table as its producer wrote it, which the release carries unchanged: the producer's
/// lock vouches for the bytes, and the table writer is deterministic, so encoding the rows
/// again gave these very bytes (and cost 40 % of the stage's CPU at 100,000 articles).
pub struct Written {
    pub table: &'static str,
    pub rows: u64,
    pub files: TableFiles,
}

pub struct Input {
    /// The six release tables' files, in the order of the fields below.
    pub written: Vec<Written>,
    pub documents: Vec<Document>,
    pub claims: Vec<Claim>,
    pub events: Vec<Event>,
    pub event_claims: Vec<EventClaim>,
    pub event_documents: Vec<EventDocument>,
    pub event_counts: Vec<EventCount>,
    pub locks: Vec<StageLock>,
    pub boundaries: serde_json::Value,
    pub previous: Option<Previous>,
}

/// The current release directory.
pub fn release_dir(cfg: &Config) -> PathBuf {
    cfg.data_dir.join("release")
}

fn versioned_dir(cfg: &Config) -> PathBuf {
    cfg.data_dir.join("releases").join(&cfg.raw.export.version)
}

fn read_previous(dir: &Path) -> Option<Previous> {
    let tables = diff::read_release(dir).ok()?;
    let dp: serde_json::Value = fs::read(dir.join("datapackage.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())?;
    Some(Previous {
        content_id: dp
            .get("content_id")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        version: dp
            .get("version")
            .and_then(|v| v.as_str())
            .map(str::to_string),
        tables,
        changelog: fs::read_to_string(dir.join("CHANGELOG.md")).unwrap_or_default(),
    })
}

/// Reads the export's inputs. The previous release is state, not an input: it shapes the
/// changelog but does not make the stage stale.
pub fn gather(cfg: &Config, carry: &mut Carry) -> Result<(Vec<FileEntry>, Input), PipelineError> {
    let mut written = Vec::new();
    let mut ext = Upstream::open(cfg, Stage::Export, Stage::Extract)?;
    let documents = read_table(&mut ext, &mut written, carry)?;
    let claims = read_table(&mut ext, &mut written, carry)?;
    let mut rec = Upstream::open(cfg, Stage::Export, Stage::Reconcile)?;
    let events = read_table(&mut rec, &mut written, carry)?;
    let event_claims = read_table(&mut rec, &mut written, carry)?;
    let event_documents = read_table(&mut rec, &mut written, carry)?;
    let event_counts = read_table(&mut rec, &mut written, carry)?;
    let mut inputs = ext.entries;
    inputs.extend(rec.entries);
    let mut locks = Vec::new();
    for stage in [
        Stage::Ingest,
        Stage::Normalise,
        Stage::Extract,
        Stage::Reconcile,
    ] {
        if let Some(l) = read_lock(cfg, stage)? {
            locks.push(l);
        }
    }
    let bpath = cfg.reference_dir.join(BOUNDARIES);
    let boundaries = fs::read(&bpath)
        .map_err(|e| PipelineError::io(&bpath, e))
        .and_then(|b| {
            serde_json::from_slice(&b).map_err(|e| PipelineError::Release {
                path: bpath.clone(),
                message: e.to_string(),
            })
        })?;
    Ok((
        inputs,
        Input {
            written,
            documents,
            claims,
            events,
            event_claims,
            event_documents,
            event_counts,
            locks,
            boundaries,
            previous: read_previous(&release_dir(cfg)),
        },
    ))
}

/// Builds every output file of the release, its versioned copy and the report.
pub fn run(cfg: &Config, mut input: Input) -> Result<Vec<OutputFile>, PipelineError> {
    let release = release_dir(cfg);
    let rel = release.as_path();
    // The six tables, as their producers wrote them, with the sha256 checksums the codebook
    // asks for; the outputs keep this order.
    let tables: Vec<OutputFile> = std::mem::take(&mut input.written)
        .into_iter()
        .flat_map(|w| {
            [
                OutputFile::new(
                    rel.join(format!("{}.parquet", w.table)),
                    w.files.parquet,
                    Some(w.rows),
                ),
                OutputFile::new(
                    rel.join(format!("{}.csv", w.table)),
                    w.files.csv,
                    Some(w.rows),
                ),
            ]
        })
        .collect();
    tables.par_iter().for_each(|f| {
        f.sha256();
    });
    let digests: BTreeMap<String, String> = tables
        .iter()
        .map(|f| (file_name(&f.path), f.sha256()))
        .collect();
    let content_id = sha256_hex(
        digests
            .iter()
            .map(|(n, d)| format!("{n} {d}\n"))
            .collect::<String>()
            .as_bytes(),
    );
    // The changelog (a diff of the release against the previous one), the report and the two
    // figures are independent of each other.
    let (changelog, (report_md, (timeline, map))) = rayon::join(
        || changelog(cfg, &content_id, &tables, input.previous.as_ref()),
        || {
            rayon::join(
                || report::render(cfg, &input, &content_id),
                || {
                    rayon::join(
                        || figures::timeline(&input.events),
                        || figures::map(&input.events, &input.boundaries),
                    )
                },
            )
        },
    );
    let changelog = changelog?;
    let citation = citation(cfg, &content_id);
    let mut files = tables;
    files.push(OutputFile::new(
        rel.join("CHANGELOG.md"),
        changelog.into_bytes(),
        None,
    ));
    files.push(OutputFile::new(
        rel.join("CITATION.cff"),
        citation.into_bytes(),
        None,
    ));
    files.push(OutputFile::new(
        rel.join("report.md"),
        report_md.clone().into_bytes(),
        None,
    ));
    files.push(OutputFile::new(
        rel.join("figures/timeline.svg"),
        timeline.clone().into_bytes(),
        None,
    ));
    files.push(OutputFile::new(
        rel.join("figures/map.svg"),
        map.clone().into_bytes(),
        None,
    ));
    let dp = datapackage::build(cfg, &files, &content_id);
    files.push(OutputFile::new(
        rel.join("datapackage.json"),
        dp.into_bytes(),
        None,
    ));
    let mut sums: Vec<(String, String)> = files
        .iter()
        .map(|f| (relative(rel, &f.path), f.sha256()))
        .collect();
    sums.sort();
    let sums_text: String = sums.iter().map(|(p, d)| format!("{d}  {p}\n")).collect();
    files.push(OutputFile::new(
        rel.join("SHA256SUMS"),
        sums_text.into_bytes(),
        None,
    ));
    // The versioned copy, and the report in reports/.
    let versioned = versioned_dir(cfg);
    let copies: Vec<OutputFile> = files
        .iter()
        .map(|f| f.copy_to(versioned.join(relative(rel, &f.path))))
        .collect();
    files.extend(copies);
    let reports = &cfg.reports_dir;
    files.push(OutputFile::new(
        reports.join("report.md"),
        report_md.into_bytes(),
        None,
    ));
    files.push(OutputFile::new(
        reports.join("figures/timeline.svg"),
        timeline.into_bytes(),
        None,
    ));
    files.push(OutputFile::new(
        reports.join("figures/map.svg"),
        map.into_bytes(),
        None,
    ));
    input.free();
    Ok(files)
}

impl Input {
    /// Frees the rows (millions of strings, allocated by other stages' threads) on every core:
    /// dropped on one thread they held it for half a second at 100k articles, before the
    /// release could be written. (Freed beside the writes instead, they slowed them more.)
    fn free(self) {
        fn rows<T: Send>(v: Vec<T>) {
            v.into_par_iter().for_each(drop);
        }
        rows(self.claims);
        rows(self.event_claims);
        rows(self.documents);
        rows(self.events);
        rows(self.event_documents);
        rows(self.event_counts);
    }
}

/// Reads one of the release tables from its producer, keeping its files for the release.
fn read_table<T: Row + 'static>(
    up: &mut Upstream,
    written: &mut Vec<Written>,
    carry: &mut Carry,
) -> Result<Vec<T>, PipelineError> {
    let (rows, files) = up.table_and_files::<T>(carry)?;
    written.push(Written {
        table: T::TABLE,
        rows: rows.len() as u64,
        files,
    });
    Ok(rows)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn relative(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn changelog(
    cfg: &Config,
    content_id: &str,
    tables: &[OutputFile],
    previous: Option<&Previous>,
) -> Result<String, PipelineError> {
    let version = &cfg.raw.export.version;
    let heading = format!("## {version} (content {})", &content_id[..16]);
    let Some(prev) = previous else {
        return Ok(format!("# Changelog\n\n{heading}\n\nInitial release.\n"));
    };
    if prev.content_id.as_deref() == Some(content_id)
        && prev.version.as_deref() == Some(version.as_str())
    {
        // Same content, same label: the release is unchanged.
        return Ok(prev.changelog.clone());
    }
    // Only the compared tables' CSV, and only when there is something to compare with.
    let new: Tables = tables
        .iter()
        .filter_map(|f| {
            let name = file_name(&f.path);
            let table = name.strip_suffix(".csv")?;
            diff::DIFFED
                .iter()
                .any(|(d, _)| *d == table)
                .then(|| (table.to_string(), std::sync::Arc::clone(&f.bytes)))
        })
        .collect();
    let d = diff::diff_tables(&prev.tables, &new)?;
    let mut section = format!("{heading}\n\n");
    if let Some(old) = &prev.content_id {
        section.push_str(&format!(
            "Compared with {} (content {}).\n\n",
            prev.version.as_deref().unwrap_or("the previous release"),
            &old[..16.min(old.len())]
        ));
    }
    if prev.version.as_deref() == Some(version.as_str())
        && prev.content_id.as_deref() != Some(content_id)
    {
        section.push_str("**Warning:** the content changed but `export.version` did not; bump the version before publishing.\n\n");
    }
    section.push_str(&diff::render(&d));
    let rest = prev
        .changelog
        .strip_prefix("# Changelog\n\n")
        .unwrap_or(&prev.changelog);
    Ok(format!("# Changelog\n\n{section}\n{rest}"))
}

fn citation(cfg: &Config, content_id: &str) -> String {
    let e = &cfg.raw.export;
    let mut s = String::from("cff-version: 1.2.0\nmessage: \"If you use this dataset, please cite it as below.\"\ntype: dataset\n");
    s.push_str(&format!("title: \"{}\"\n", e.title.replace('"', "'")));
    s.push_str(&format!("version: \"{}\"\n", e.version));
    if let Some(d) = &e.release_date {
        s.push_str(&format!("date-released: \"{d}\"\n"));
    }
    s.push_str(&format!("license: {}\n", e.licence));
    s.push_str("authors:\n");
    for a in &e.authors {
        s.push_str(&format!("  - name: \"{}\"\n", a.replace('"', "'")));
    }
    s.push_str(&format!("identifiers:\n  - type: other\n    value: \"sha256:{content_id}\"\n    description: \"content id: digest of every table's sha256\"\n"));
    s.push_str("references:\n  - type: data\n    title: \"GeoNames gazetteer\"\n    authors:\n      - name: \"GeoNames\"\n    url: \"https://www.geonames.org\"\n    license: CC-BY-4.0\n");
    s
}

/// Checks a release directory against its SHA256SUMS: one message per modified, missing or
/// unlisted file.
pub fn verify_release(cfg: &Config) -> Result<Vec<String>, PipelineError> {
    let rel = release_dir(cfg);
    let sums_path = rel.join("SHA256SUMS");
    let Ok(text) = fs::read_to_string(&sums_path) else {
        // SHA256SUMS is written last: release files without it are an export cut short.
        let mut files = Vec::new();
        let _ = crate::pipeline::list_files(&rel, &mut files);
        if files.is_empty() {
            return Ok(Vec::new());
        }
        return Ok(vec![format!(
            "{}: incomplete release: {} is missing (an export was cut short?); run `concord run`",
            cfg.display_path(&rel),
            cfg.display_path(&sums_path)
        )]);
    };
    let mut problems = Vec::new();
    let mut listed = std::collections::BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let Some((digest, name)) = line.split_once("  ") else {
            problems.push(format!(
                "{}:{}: malformed line",
                cfg.display_path(&sums_path),
                i + 1
            ));
            continue;
        };
        listed.insert(name.to_string());
        match fs::read(rel.join(name)) {
            Err(_) => problems.push(format!(
                "release file missing: {}",
                cfg.display_path(&rel.join(name))
            )),
            Ok(b) if sha256_hex(&b) != digest => problems.push(format!(
                "release file modified: {} (differs from SHA256SUMS)",
                cfg.display_path(&rel.join(name))
            )),
            Ok(_) => {}
        }
    }
    let mut files = Vec::new();
    crate::pipeline::list_files(&rel, &mut files)?;
    for f in files {
        let name = relative(&rel, &f);
        if name != "SHA256SUMS" && !listed.contains(&name) {
            problems.push(format!(
                "release file not in SHA256SUMS: {}",
                cfg.display_path(&f)
            ));
        }
    }
    let _ = stage_dir;
    Ok(problems)
}
