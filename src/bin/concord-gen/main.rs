//! `concord-gen`: writes a synthetic but realistic corpus of French news reports of armed
//! violence in the Sahel, with its manifest, its ground truth and a `pipeline.toml`, for
//! benchmarking concord at scale (`bench/run.sh`) and for checking what extract finds
//! (`bench/check_truth.py`).
//!
//! ```text
//! concord-gen --articles N --seed S --out DIR [--reference DIR] [--prefix P] [--overwrite]
//! ```
//!
//! writes `DIR/corpus/*.txt` (N articles), `DIR/corpus/manifest.csv`, `DIR/truth.jsonl` (one
//! object per article: the events it reports and every casualty claim it states, with the
//! claim's sentence) and `DIR/pipeline.toml` (corpus, data and reports under DIR, reference
//! data at an absolute path).
//!
//! Guarantees: the same seed, size, prefix and reference data give byte-identical files,
//! whatever the number of threads. Every article is drawn from its own PRNG stream
//! (splitmix64 keyed by seed, story and article number), stories are generated in parallel and
//! written in order. Places come from the gazetteer (`places.csv`), named parties from
//! `actors.toml` (every alias used is checked against it at start-up, so the generator fails
//! loudly if the reference data drifts).
//!
//! The French phrasing lives in these files on purpose: it is test data describing what real
//! reports say (AFP, RFI, Reuters, Malian, Burkinabè and Nigerien outlets), written
//! independently of the extraction lexicons so that the benchmark measures them rather than
//! mirrors them.

mod article;
mod context;
mod counts;
mod event;
mod french;
mod geo;
mod layout;
mod make_event;
mod outlet;
mod output;
mod parties;
mod rng;
mod sources;
mod statements;
mod story;
mod truth;
mod writer;

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use rayon::prelude::*;

use crate::article::Article;
use crate::geo::load_gaz;
use crate::output::write_pipeline_toml;
use crate::parties::check_parties;
use crate::story::{gen_story, plan};

/// Generate a deterministic benchmark corpus of French conflict reports.
#[derive(Parser)]
#[command(name = "concord-gen", version, about, long_about = None)]
struct Args {
    /// Number of articles to write.
    #[arg(long)]
    articles: usize,
    /// PRNG seed; the same seed and size give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output directory (corpus/, truth.jsonl and pipeline.toml are written in it).
    #[arg(long)]
    out: PathBuf,
    /// Reference data directory (places.csv, actors.toml). Default: the repository's
    /// data/reference.
    #[arg(long)]
    reference: Option<PathBuf>,
    /// Prefix of the article file names (to add articles to an existing corpus).
    #[arg(long, default_value = "")]
    prefix: String,
    /// Remove DIR/corpus, DIR/truth.jsonl and DIR/pipeline.toml first if they exist.
    #[arg(long)]
    overwrite: bool,
}

fn run(args: &Args) -> Result<(), String> {
    let reference = match &args.reference {
        Some(r) => r.clone(),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/reference")),
    };
    let reference =
        fs::canonicalize(&reference).map_err(|e| format!("{}: {e}", reference.display()))?;
    let gaz = load_gaz(&reference)?;
    check_parties(&reference)?;

    let corpus = args.out.join("corpus");
    if corpus.exists() {
        if !args.overwrite {
            return Err(format!(
                "{} exists (use --overwrite to replace it)",
                corpus.display()
            ));
        }
        fs::remove_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
    }
    fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;

    let stories = plan(args.seed, args.articles);
    let width = args
        .articles
        .saturating_sub(1)
        .max(1)
        .to_string()
        .len()
        .max(6);
    let mut manifest = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_path(corpus.join("manifest.csv"))
        .map_err(|e| format!("manifest.csv: {e}"))?;
    manifest
        .write_record(["file", "url", "publisher", "published", "language", "title"])
        .map_err(|e| format!("manifest.csv: {e}"))?;
    let truth_path = args.out.join("truth.jsonl");
    let mut truth = std::io::BufWriter::new(
        fs::File::create(&truth_path).map_err(|e| format!("{}: {e}", truth_path.display()))?,
    );
    let mut n_written = 0usize;
    let mut bytes = 0u64;
    // Bounded memory: stories are generated and written in chunks.
    for chunk in stories.chunks(4096) {
        let arts: Vec<Vec<Article>> = chunk
            .par_iter()
            .map(|sp| gen_story(&gaz, args.seed, sp, &args.prefix, width))
            .collect();
        let arts: Vec<Article> = arts.into_iter().flatten().collect();
        arts.par_iter().try_for_each(|a| {
            fs::write(corpus.join(&a.file), &a.text).map_err(|e| format!("{}: {e}", a.file))
        })?;
        for a in &arts {
            manifest
                .write_record([
                    a.file.as_str(),
                    a.url.as_str(),
                    a.publisher,
                    a.published.as_str(),
                    "fr",
                    a.title.as_str(),
                ])
                .map_err(|e| format!("manifest.csv: {e}"))?;
            writeln!(truth, "{}", a.truth).map_err(|e| format!("{}: {e}", truth_path.display()))?;
            bytes += a.text.len() as u64;
        }
        n_written += arts.len();
    }
    manifest.flush().map_err(|e| format!("manifest.csv: {e}"))?;
    truth
        .flush()
        .map_err(|e| format!("{}: {e}", truth_path.display()))?;
    write_pipeline_toml(&args.out, &reference).map_err(|e| format!("pipeline.toml: {e}"))?;
    eprintln!(
        "concord-gen: wrote {n_written} articles ({:.1} MB) in {} stories to {}",
        bytes as f64 / 1e6,
        stories.len(),
        corpus.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("concord-gen: error: {e}");
            ExitCode::FAILURE
        }
    }
}
