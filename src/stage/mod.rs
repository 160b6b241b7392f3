//! The stages, in pipeline order. Each is a pure function from typed tables to typed tables;
//! `pipeline/` does all file I/O around them.

pub mod export;
pub mod extract;
pub mod ingest;
pub mod normalise;
pub mod parts;
pub mod reconcile;

use std::sync::mpsc::SyncSender;
use std::thread::{Scope, ScopedJoinHandle};

/// A sender whose items `sink` takes, in order, on a thread of `scope`, while the sending
/// thread goes on working; the channel holds at most `bound` items, which bounds memory. The
/// thread ends when the sender is dropped or `sink` fails; [`joined`] gives its first error.
/// A send that fails means the sink stopped on an error.
pub(crate) fn sink_thread<'scope, T: Send + 'scope, E: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    bound: usize,
    mut sink: impl FnMut(T) -> Result<(), E> + Send + 'scope,
) -> (SyncSender<T>, ScopedJoinHandle<'scope, Result<(), E>>) {
    let (tx, rx) = std::sync::mpsc::sync_channel(bound);
    (
        tx,
        scope.spawn(move || rx.into_iter().try_for_each(&mut sink)),
    )
}

/// The result of a scoped thread, its panic carried on to the joining thread.
pub(crate) fn joined<R>(thread: ScopedJoinHandle<'_, R>) -> R {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

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
