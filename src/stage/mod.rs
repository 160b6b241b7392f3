//! The stages, in pipeline order. Each is a pure function from typed tables to typed tables;
//! `pipeline/` does all file I/O around them.

pub mod export;
pub mod extract;
pub mod ingest;
pub mod normalise;
pub mod reconcile;

/// A pipeline stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Stage {
    Ingest,
    Normalise,
    Extract,
    Reconcile,
    Export,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Ingest,
        Stage::Normalise,
        Stage::Extract,
        Stage::Reconcile,
        Stage::Export,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Ingest => "ingest",
            Stage::Normalise => "normalise",
            Stage::Extract => "extract",
            Stage::Reconcile => "reconcile",
            Stage::Export => "export",
        }
    }

    /// The stage's logic version: bump it whenever the stage's output for the same input
    /// changes, so that `run` knows its cached outputs are stale.
    pub fn logic_version(self) -> u32 {
        match self {
            Stage::Ingest => ingest::LOGIC_VERSION,
            Stage::Normalise => normalise::LOGIC_VERSION,
            Stage::Extract => extract::LOGIC_VERSION,
            Stage::Reconcile => reconcile::LOGIC_VERSION,
            Stage::Export => export::LOGIC_VERSION,
        }
    }

    /// Logic version plus crate version, as recorded in the stage lock.
    pub fn code_version(self) -> String {
        format!(
            "{}/{}+concord-{}",
            self.name(),
            self.logic_version(),
            env!("CARGO_PKG_VERSION")
        )
    }
}
