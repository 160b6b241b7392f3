//! Progress bars for long stages: drawn on stderr only when it is a terminal and `--quiet` is
//! off, so they never reach logs, pipes or outputs.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A handle the stages tick; a no-op when hidden.
pub struct Progress {
    visible: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        Progress {
            visible: !quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A hidden handle, for tests and library callers.
    pub fn hidden() -> Progress {
        Progress { visible: false }
    }

    /// A bar for `len` items of one step, e.g. `("extract", "documents")`.
    pub fn bar(&self, stage: &str, unit: &str, len: u64) -> ProgressBar {
        if !self.visible || len < 2 {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        let template =
            format!("{stage:>9} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{per_sec}}, eta {{eta}})");
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }
}
