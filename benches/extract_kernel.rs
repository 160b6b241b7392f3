//! Extraction proper, without the extract stage's table reading, cache and table writing:
//! every document of a data directory's normalise tables is extracted in memory, on all
//! cores, three times; the best round is reported in MB/s of corpus bytes. It tells how much
//! of the stage's time is the extractor itself and how much is moving tables.
//!
//! Usage (after `concord run` or `concord normalise` on that config):
//!
//! ```sh
//! cargo bench --bench extract_kernel -- target/bench/n10000/pipeline.toml
//! ```

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use concord::config::Config;
use concord::reference::Reference;
use concord::stage::extract::extract_document;
use concord::table::{decode_csv, Document, Sentence};

const ROUNDS: usize = 3;

/// The allocator `concord` itself uses, so that the figures compare.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // `cargo bench` passes `--bench`; the one other argument is the config.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let [config] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench extract_kernel -- PIPELINE_TOML");
        std::process::exit(2);
    };
    if let Err(e) = run(Path::new(config)) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(config: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let cfg = Config::load(config)?;
    let dir = cfg.data_dir.join("normalise");
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path)
            .map_err(|e| format!("{}: {e} (run `concord normalise` first)", path.display()))
    };
    let documents: Vec<Document> = decode_csv(&read("documents.csv")?, "documents.csv")?;
    // The sentences table's parts (see `stage::parts`), any order: rows are grouped below.
    let mut sentences: Vec<Sentence> = Vec::new();
    let parts = dir.join("sentences");
    let entries = std::fs::read_dir(&parts)
        .map_err(|e| format!("{}: {e} (run `concord normalise` first)", parts.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "csv") {
            let shown = path.display().to_string();
            sentences.extend(decode_csv::<Sentence>(&std::fs::read(&path)?, &shown)?);
        }
    }
    let refs = Reference::load(&cfg.reference_dir)?;
    let mut by_doc: BTreeMap<&str, Vec<&Sentence>> = BTreeMap::new();
    for s in &sentences {
        by_doc.entry(s.doc_id.as_str()).or_default().push(s);
    }
    for list in by_doc.values_mut() {
        list.sort_by_key(|s| s.index);
    }
    let megabytes = documents.iter().map(|d| d.bytes.max(0) as f64).sum::<f64>() / 1e6;
    let mut best = f64::INFINITY;
    let mut rows = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        rows = documents
            .par_iter()
            .map(|doc| {
                let own = by_doc
                    .get(doc.doc_id.as_str())
                    .map_or(&[][..], Vec::as_slice);
                let r = extract_document(&cfg.raw.extract, &refs, doc, own);
                r.mentions.len() + r.incidents.len() + r.claims.len()
            })
            .sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "extract_document: {} documents, {megabytes:.1} MB, {rows} rows; best of {ROUNDS} rounds \
         {best:.2} s on {} threads = {:.2} MB/s, {:.0} documents/s",
        documents.len(),
        rayon::current_num_threads(),
        megabytes / best,
        documents.len() as f64 / best
    );
    Ok(())
}
