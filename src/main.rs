//! The `concord` command line: parse arguments, load the config, call the pipeline, map errors
//! to exit codes. All logic lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use concord::config::Config;
use concord::error::PipelineError;
use concord::lock::DataLock;
use concord::pipeline::{self, Options, Outcome, Status};
use concord::stage::Stage;

/// mimalloc instead of the system allocator: extraction builds and drops millions of small
/// strings and rows, and glibc's malloc and free were a quarter of the extract stage's CPU.
/// Built without transparent huge pages (Cargo.toml: the `no_thp` feature): the kernel then
/// zeroes only the 4 KiB pages a growing buffer touches, not whole 2 MiB ones.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit code when nothing is built yet (`verify` on a data directory no run ever wrote).
const EXIT_NOT_BUILT: u8 = 3;
/// Exit code when `verify` finds a mismatch.
const EXIT_VERIFY_FAILED: u8 = 4;
/// Exit code when another concord process holds the data directory.
const EXIT_BUSY: u8 = 5;

/// concord codes French news reports of armed violence into a versioned conflict-event
/// dataset: ingest -> normalise -> extract -> reconcile -> export.
///
/// Every stage writes content-hashed Parquet and CSV tables under the data directory and a
/// stage.lock recording its inputs, settings and code version; a stage whose lock still
/// matches is skipped. Same inputs, config and program give byte-identical outputs.
#[derive(Parser)]
#[command(name = "concord", version, about, long_about)]
struct Cli {
    /// The pipeline configuration; relative paths in it are resolved against its directory.
    #[arg(long, global = true, default_value = "pipeline.toml")]
    config: PathBuf,
    /// Rerun stages even if their inputs, settings and code are unchanged; extract then
    /// re-extracts every document instead of reusing its per-document cache (<data>/cache/).
    #[arg(long, global = true)]
    force: bool,
    /// Worker threads (default: one per core). Outputs are identical for any value.
    #[arg(long, global = true, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bars or per-stage messages; errors are still printed.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read the corpus into `documents` (every file accounted for) and `texts`.
    Ingest,
    /// Normalise typography and split documents into `sentences`.
    Normalise,
    /// Extract casualty claims, places, actors and dates into `claims`, `incidents`, `mentions`.
    Extract,
    /// Group claims across articles into `events` with reconciled low/best/high figures.
    Reconcile,
    /// Write the release (tables, datapackage.json, SHA256SUMS, CITATION.cff, CHANGELOG.md)
    /// and the Markdown report.
    Export,
    /// Run every stage in order, skipping those that are up to date.
    Run,
    /// Show each stage as up to date, stale (and why) or never run.
    Status,
    /// Rehash every output against the stage locks and the release's SHA256SUMS, and check
    /// that no killed run left a stage, the release or a temporary file half done; exit 4 on
    /// any problem, naming the file or stage, and 3 if nothing was ever built.
    Verify,
    /// Compare two release directories by primary key: events added, removed and changed
    /// (field by field), documents and claims added or removed.
    Diff {
        /// The older release directory (e.g. data/releases/0.1.0).
        old: PathBuf,
        /// The newer release directory (e.g. data/release).
        new: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.jobs {
        if n == 0 {
            eprintln!("error: --jobs must be at least 1");
            return ExitCode::from(2);
        }
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            eprintln!("error: cannot start {n} worker threads: {e}");
            return ExitCode::FAILURE;
        }
    }
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                PipelineError::NothingBuilt { .. } => EXIT_NOT_BUILT,
                PipelineError::Busy { .. } => EXIT_BUSY,
                _ => 1,
            })
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode, PipelineError> {
    if let Command::Diff { old, new } = &cli.command {
        let d = concord::diff::diff_releases(old, new)?;
        print!("{}", concord::diff::render(&d));
        return Ok(ExitCode::SUCCESS);
    }
    let cfg = Config::load(&cli.config)?;
    let opts = Options {
        force: cli.force,
        quiet: cli.quiet,
    };
    let say = |stage: Stage, outcome: &Outcome| {
        if cli.quiet {
            return;
        }
        match outcome {
            Outcome::UpToDate => eprintln!("{:>9}: up to date", stage.name()),
            Outcome::Ran { files, rows } => {
                eprintln!(
                    "{:>9}: wrote {files} files (largest table {rows} rows)",
                    stage.name()
                )
            }
        }
    };
    // Whoever holds the data directory first clears what a killed writer left behind.
    let hold = || -> Result<DataLock, PipelineError> {
        let lock = DataLock::acquire(&cfg)?;
        for removed in pipeline::remove_temporaries(&cfg) {
            if !cli.quiet {
                eprintln!("{removed}");
            }
        }
        Ok(lock)
    };
    let single = |stage: Stage| -> Result<ExitCode, PipelineError> {
        let _lock = hold()?;
        let outcome = pipeline::run_stage(&cfg, stage, opts)?;
        say(stage, &outcome);
        Ok(ExitCode::SUCCESS)
    };
    match cli.command {
        Command::Ingest => single(Stage::Ingest),
        Command::Normalise => single(Stage::Normalise),
        Command::Extract => single(Stage::Extract),
        Command::Reconcile => single(Stage::Reconcile),
        Command::Export => single(Stage::Export),
        Command::Run => {
            let _lock = hold()?;
            pipeline::run_all(&cfg, opts, say)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Status => {
            for (stage, status) in pipeline::status(&cfg) {
                match status {
                    Status::UpToDate => println!("{:>9}: up to date", stage.name()),
                    Status::NeverRun => println!("{:>9}: never run", stage.name()),
                    Status::Blocked(why) => println!("{:>9}: cannot check: {why}", stage.name()),
                    Status::Stale(why) => {
                        println!("{:>9}: stale", stage.name());
                        for w in why {
                            println!("{:>11}{w}", "- ");
                        }
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff { .. } => Ok(ExitCode::SUCCESS),
        Command::Verify => {
            let verified = concord::verify::verify(&cfg)?;
            if verified.problems.is_empty() {
                if !cli.quiet {
                    let names: Vec<&str> = verified.built.iter().map(|s| s.name()).collect();
                    if names.is_empty() {
                        println!("verify: no stage is built (the last run stopped on an error before any stage completed); nothing to check");
                    } else {
                        println!(
                            "verify: every output matches its lock ({})",
                            names.join(", ")
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            } else {
                for p in &verified.problems {
                    println!("verify: {p}");
                }
                Ok(ExitCode::from(EXIT_VERIFY_FAILED))
            }
        }
    }
}
