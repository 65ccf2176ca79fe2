//! Progress bars on stderr, shown only on a terminal and never with `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar with its length and the percentage and ETA of `qalam index` and `qalam train`.
pub const BAR: &str = "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% ETA {eta} {msg}";

/// A bar of `len` steps (`None`: a spinner) drawn with `template`, if stderr is a terminal and
/// the command is not quiet.
pub fn bar(len: Option<u64>, template: &str, quiet: bool) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(len, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template(template).expect("valid template"));
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}
