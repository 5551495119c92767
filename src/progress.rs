//! A progress bar on stderr for long runs, only for a person watching: never
//! when stderr is not a terminal (piped, redirected, CI logs) or when the
//! `CI` environment variable is set.

use crate::engine::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Runs with fewer inputs than this show no bar.
pub const MIN_INPUTS: usize = 20;

pub struct Bar {
    bar: ProgressBar,
    enabled: bool,
}

/// Whether a bar may be shown here.
pub fn wanted() -> bool {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    std::io::stderr().is_terminal() && !ci
}

impl Bar {
    /// A bar that shows itself when [`wanted`] and the run is long.
    pub fn new() -> Bar {
        Bar::with(wanted())
    }

    /// A bar that may show itself (`enabled`) or never does.
    pub fn with(enabled: bool) -> Bar {
        Bar {
            bar: ProgressBar::hidden(),
            enabled,
        }
    }

    /// How many inputs were counted done (for tests).
    pub fn position(&self) -> u64 {
        self.bar.position()
    }
}

impl Default for Bar {
    fn default() -> Bar {
        Bar::new()
    }
}

impl Progress for Bar {
    fn start(&self, inputs: usize) {
        self.bar.set_length(inputs as u64);
        if self.enabled && inputs >= MIN_INPUTS {
            if let Ok(style) = ProgressStyle::with_template(
                "{spinner} checking {pos}/{len} inputs [{bar:40}] {elapsed} (eta {eta})",
            ) {
                self.bar.set_style(style.progress_chars("=> "));
            }
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn tick(&self) {
        self.bar.inc(1);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
