//! A progress bar on stderr for long runs, only for a person watching: never
//! when stderr is not a terminal (piped, redirected, CI logs) or when the
//! `CI` environment variable is set.

use crate::engine::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Runs with fewer inputs than this show no bar.
pub const MIN_INPUTS: usize = 20;

pub struct Bar {
    bar: ProgressBar,
    enabled: bool,
    /// Whether the bar is drawn (set by `start`). A hidden indicatif bar
    /// still takes its lock and reads the clock on every `inc`: 0.4% of a
    /// one-thread run's time samples, one tick per input. A bar that is not
    /// drawn counts in `done` instead.
    shown: AtomicBool,
    done: AtomicU64,
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
            shown: AtomicBool::new(false),
            done: AtomicU64::new(0),
        }
    }

    /// How many inputs were counted done (for tests).
    pub fn position(&self) -> u64 {
        if self.shown.load(Ordering::Relaxed) {
            self.bar.position()
        } else {
            self.done.load(Ordering::Relaxed)
        }
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
            self.shown.store(true, Ordering::Relaxed);
        }
    }

    fn tick(&self) {
        if self.shown.load(Ordering::Relaxed) {
            self.bar.inc(1);
        } else {
            self.done.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
