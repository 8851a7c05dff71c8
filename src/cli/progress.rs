//! The progress line on standard error (indicatif), shown only when standard error is a
//! terminal. Until the number of files is known it counts files and their rate; once it
//! is (a list or a directory walk counted on the side), it shows a bar with the total,
//! the percentage, the rate and the time left.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Not known yet.
const UNKNOWN: u64 = u64::MAX;

pub struct Progress {
    bar: Option<ProgressBar>,
    /// The total, once counted (`UNKNOWN` until then).
    total: Arc<AtomicU64>,
    has_length: bool,
    /// Whether standard output is the same terminal: the line is cleared before output.
    stdout_terminal: bool,
}

impl Progress {
    pub fn new() -> Self {
        let total = Arc::new(AtomicU64::new(UNKNOWN));
        let stdout_terminal = std::io::stdout().is_terminal();
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None, total, has_length: false, stdout_terminal };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(5));
        let style = ProgressStyle::with_template("metasift: {human_pos} files, {rate}, {elapsed}")
            .map(with_rate)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        Progress { bar: Some(bar), total, has_length: false, stdout_terminal }
    }

    /// Whether the line is shown at all (so counting the total is worth it).
    pub fn shown(&self) -> bool {
        self.bar.is_some()
    }

    /// Where a counter on another thread stores the total once it knows it.
    pub fn total_slot(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.total)
    }

    /// `done` files are written.
    pub fn tick(&mut self, done: u64) {
        let Some(bar) = &self.bar else { return };
        if !self.has_length {
            let total = self.total.load(Ordering::Relaxed);
            if total != UNKNOWN {
                self.has_length = true;
                bar.set_length(total);
                let template =
                    "metasift: [{bar:30}] {human_pos}/{human_len} files ({percent}%), {rate}, ETA {eta}";
                if let Ok(style) = ProgressStyle::with_template(template) {
                    bar.set_style(with_rate(style).progress_chars("=> "));
                }
            }
        }
        bar.set_position(done);
    }

    /// Runs `write` (output to standard output) with the line cleared first when both go
    /// to the terminal, so the output never mixes with the line.
    pub fn around<T>(&self, write: impl FnOnce() -> T) -> T {
        match &self.bar {
            Some(bar) if self.stdout_terminal => bar.suspend(write),
            _ => write(),
        }
    }

    /// Clears the line.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// `style` with a `{rate}` key: whole files a second.
fn with_rate(style: ProgressStyle) -> ProgressStyle {
    style.with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
        let _ = write!(w, "{:.0} files/s", state.per_sec());
    })
}

/// Counts `items` on a new thread and stores the count in `slot` when done. The counting
/// walk only lists names (no file is opened), so it finishes well ahead of the extraction.
pub fn count_in_background(items: impl Iterator + Send + 'static, slot: Arc<AtomicU64>) {
    let _ = std::thread::Builder::new().name("count".into()).spawn(move || {
        let n = items.count() as u64;
        slot.store(n, Ordering::Relaxed);
    });
}
