//! `pipeline.toml`: the raw file as written (unknown keys rejected, every field documented with
//! its default) and the validated [`Config`] the stages receive. Each stage's section is part of
//! that stage's cache key, so changing a setting reruns exactly the stages that read it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::ConfigError;

/// The whole `pipeline.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RawConfig {
    /// Where tables, reports and reference data live.
    pub paths: PathsConfig,
    /// The `ingest` stage.
    pub ingest: IngestConfig,
    /// The `normalise` stage.
    pub normalise: NormaliseConfig,
    /// The `extract` stage.
    pub extract: ExtractConfig,
    /// The `reconcile` stage.
    pub reconcile: ReconcileConfig,
    /// The `export` stage.
    pub export: ExportConfig,
}

/// `[paths]`: directories, relative to the directory holding `pipeline.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PathsConfig {
    /// Stage outputs go to `<data>/<stage>/`. Default `"data"`.
    pub data: PathBuf,
    /// The Markdown report and its figures. Default `"reports"`.
    pub reports: PathBuf,
    /// Lexicons, actors and gazetteer. Default `"data/reference"`.
    pub reference: PathBuf,
}

impl Default for PathsConfig {
    fn default() -> Self {
        PathsConfig {
            data: "data".into(),
            reports: "reports".into(),
            reference: "data/reference".into(),
        }
    }
}

/// `[ingest]`: which articles to read.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct IngestConfig {
    /// The corpus directory; every file below it (recursively, hidden files excepted) is an
    /// input. Default `"seeds"`.
    pub corpus: PathBuf,
    /// Optional metadata CSV with columns `file,url,publisher,published,language,title`; `file`
    /// is relative to the corpus. Default `"<corpus>/manifest.csv"`, used only if it exists.
    pub manifest: Option<PathBuf>,
    /// Files larger than this many bytes are recorded with status `too_large` and not decoded.
    /// Default 10 000 000.
    pub max_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            corpus: "seeds".into(),
            manifest: None,
            max_bytes: 10_000_000,
        }
    }
}

/// `[normalise]`: typography and sentence segmentation.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct NormaliseConfig {
    /// Longest sentence kept whole, in characters; longer runs are cut at the last space before
    /// the limit so that one pathological line cannot dominate later stages. Default 2000.
    pub max_sentence_chars: usize,
}

impl Default for NormaliseConfig {
    fn default() -> Self {
        NormaliseConfig {
            max_sentence_chars: 2000,
        }
    }
}

/// `[extract]`: claims, places, actors and dates.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ExtractConfig {
    /// Documents in other languages are recorded but yield no claims. Default `["fr"]`.
    pub languages: Vec<String>,
    /// How many sentences before and after a claim are searched for its event type, place and
    /// date when its own sentence names none. Default 2.
    pub context_sentences: usize,
    /// Counts above this are treated as not a casualty figure (years, budgets). Default 100000.
    pub max_count: i64,
}

impl Default for ExtractConfig {
    fn default() -> Self {
        ExtractConfig {
            languages: vec!["fr".into()],
            context_sentences: 2,
            max_count: 100_000,
        }
    }
}

/// `[reconcile]`: grouping claims into events.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReconcileConfig {
    /// Two claims whose places are at most this far apart may be one event. Default 10.0.
    pub max_distance_km: f64,
    /// Two claims whose date spans are at most this many days apart may be one event. Default 1.
    pub date_tolerance_days: i64,
}

impl Default for ReconcileConfig {
    fn default() -> Self {
        ReconcileConfig {
            max_distance_km: 10.0,
            date_tolerance_days: 1,
        }
    }
}

/// `[export]`: the published release.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ExportConfig {
    /// Data package name (lowercase, `-` separated). Default `"concord-sahel"`.
    pub name: String,
    /// Human title of the dataset.
    pub title: String,
    /// Dataset version, semver. Default `"0.1.0"`.
    pub version: String,
    /// Release date written into CITATION.cff, ISO date; never taken from the clock. Optional.
    pub release_date: Option<String>,
    /// Licence of the released tables (SPDX id). Default `"CC-BY-4.0"`.
    pub licence: String,
    /// Authors for CITATION.cff. Default `["concord contributors"]`.
    pub authors: Vec<String>,
}

impl Default for ExportConfig {
    fn default() -> Self {
        ExportConfig {
            name: "concord-sahel".into(),
            title: "concord: conflict events in the Sahel coded from French news reports".into(),
            version: "0.1.0".into(),
            release_date: None,
            licence: "CC-BY-4.0".into(),
            authors: vec!["concord contributors".into()],
        }
    }
}

/// The validated configuration, with paths resolved against the config file's directory.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// The directory holding it; every relative path is resolved against it.
    pub root: PathBuf,
    pub raw: RawConfig,
    pub data_dir: PathBuf,
    pub reports_dir: PathBuf,
    pub reference_dir: PathBuf,
    pub corpus_dir: PathBuf,
    pub manifest: Option<PathBuf>,
}

impl Config {
    /// Reads and validates `pipeline.toml`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_toml(path, &text)
    }

    /// Parses and validates config text; `path` is used for messages and relative paths.
    pub fn from_toml(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let invalid = |key, reason: &str| ConfigError::Invalid {
            path: path.to_path_buf(),
            key,
            reason: reason.to_string(),
        };
        if raw.ingest.max_bytes == 0 {
            return Err(invalid("ingest.max_bytes", "must be greater than 0"));
        }
        if raw.normalise.max_sentence_chars < 80 {
            return Err(invalid(
                "normalise.max_sentence_chars",
                "must be at least 80",
            ));
        }
        if !(raw.reconcile.max_distance_km >= 0.0 && raw.reconcile.max_distance_km.is_finite()) {
            return Err(invalid(
                "reconcile.max_distance_km",
                "must be a finite number >= 0",
            ));
        }
        if raw.reconcile.date_tolerance_days < 0 {
            return Err(invalid("reconcile.date_tolerance_days", "must be >= 0"));
        }
        if raw.extract.max_count < 1 {
            return Err(invalid("extract.max_count", "must be >= 1"));
        }
        if !is_semver(&raw.export.version) {
            return Err(invalid(
                "export.version",
                "must be a semantic version such as 1.2.0",
            ));
        }
        if let Some(d) = &raw.export.release_date {
            if d.parse::<jiff::civil::Date>().is_err() {
                return Err(invalid(
                    "export.release_date",
                    "must be an ISO date YYYY-MM-DD",
                ));
            }
        }
        if raw.export.name.is_empty()
            || !raw
                .export
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-._".contains(c))
        {
            return Err(invalid(
                "export.name",
                "must be lowercase letters, digits, - . _",
            ));
        }
        let corpus_dir = root.join(&raw.ingest.corpus);
        let manifest = match &raw.ingest.manifest {
            Some(m) => Some(root.join(m)),
            None => Some(corpus_dir.join("manifest.csv")).filter(|p| p.is_file()),
        };
        Ok(Config {
            path: path.to_path_buf(),
            data_dir: root.join(&raw.paths.data),
            reports_dir: root.join(&raw.paths.reports),
            reference_dir: root.join(&raw.paths.reference),
            corpus_dir,
            manifest,
            root,
            raw,
        })
    }

    /// Paths as recorded in locks and tables: relative to the config directory, `/`-separated.
    pub fn display_path(&self, p: &Path) -> String {
        let rel = p.strip_prefix(&self.root).unwrap_or(p);
        rel.components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Paths of corpus files as recorded in the ingest lock: like [`Config::display_path`], but
    /// written with [`escaped_path`], so that two files never share one recorded path.
    pub fn input_path(&self, p: &Path) -> String {
        escaped_path(p.strip_prefix(&self.root).unwrap_or(p))
    }
}

/// A path as text that tells every file apart: components joined by `/`, each byte that is not
/// part of valid UTF-8 written `%XX` (upper-case hex) and a literal `%` written `%25`.
/// Escaping `%` is what keeps the mapping one-to-one: otherwise a file named `caf%E8.txt` and
/// one named `caf\xe8.txt` would read the same. Every other name is unchanged.
pub fn escaped_path(p: &Path) -> String {
    let mut out = String::new();
    for (i, c) in p.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        escape_name(c.as_os_str(), &mut out);
    }
    out
}

fn escape_name(name: &std::ffi::OsStr, out: &mut String) {
    for chunk in name.as_encoded_bytes().utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '%' {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn parse_err(text: &str) -> String {
        Config::from_toml(Path::new("pipeline.toml"), text)
            .expect_err("config should be rejected")
            .to_string()
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let e = parse_err("[ingest]\ncorpus = \"seeds\"\nmax_bites = 3\n");
        assert!(e.starts_with("pipeline.toml:3:"), "{e}");
        assert!(e.contains("max_bites"), "{e}");
    }

    #[test]
    fn wrong_type_names_line() {
        let e = parse_err("[reconcile]\nmax_distance_km = \"far\"\n");
        assert!(e.starts_with("pipeline.toml:2:"), "{e}");
    }

    #[test]
    fn invalid_values_are_named() {
        assert!(parse_err("[export]\nversion = \"one\"\n").contains("export.version"));
        assert!(parse_err("[ingest]\nmax_bytes = 0\n").contains("ingest.max_bytes"));
    }

    #[test]
    #[cfg(unix)]
    fn escaped_paths_tell_every_name_apart() {
        use std::os::unix::ffi::OsStrExt;
        #[track_caller]
        fn case(raw: &[u8], want: &str) {
            let p = Path::new(std::ffi::OsStr::from_bytes(raw));
            assert_eq!(escaped_path(p), want);
        }
        case(b"sub/caf\xc3\xa9.txt", "sub/café.txt");
        case(b"caf\xe8.txt", "caf%E8.txt");
        case(b"caf\xe9.txt", "caf%E9.txt");
        case(b"caf%E8.txt", "caf%25E8.txt");
        case(b"100%.txt", "100%25.txt");
        case(b"a\xff\xfe/b", "a%FF%FE/b");
    }

    #[test]
    fn defaults_are_complete() {
        let c = Config::from_toml(Path::new("x/pipeline.toml"), "").expect("empty config is valid");
        assert_eq!(c.corpus_dir, Path::new("x/seeds"));
        assert_eq!(c.raw.reconcile.date_tolerance_days, 1);
    }
}
