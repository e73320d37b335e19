//! Where the log goes and in what form: text on stderr, coloured only when
//! stderr is a terminal (a file or a pipe gets no escape codes), or one JSON
//! object per line (`LOG_FORMAT=json`) for log collectors. `RUST_LOG` picks
//! what is logged; request lines have their own target, [`REQUEST_TARGET`],
//! so they can be turned down without losing errors.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The target of the one line per request (status and latency). Server
/// errors (5xx) on it are logged at ERROR (503 "busy" at WARN), so
/// `RUST_LOG=info,sqlx=warn,trip_planner::request=warn` keeps only those.
pub const REQUEST_TARGET: &str = "trip_planner::request";

/// The filter when `RUST_LOG` is unset.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn";

/// How log lines are written (`LOG_FORMAT`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// What [`init`] sets up, decided from the format and where stderr goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Output {
    /// Text, with colours when `ansi`.
    Text { ansi: bool },
    /// JSON lines, never coloured.
    Json,
}

/// The output for a format when stderr is (or is not) a terminal.
pub fn choose(format: LogFormat, stderr_is_terminal: bool) -> Output {
    match format {
        LogFormat::Text => Output::Text {
            ansi: stderr_is_terminal,
        },
        LogFormat::Json => Output::Json,
    }
}

/// Installs the global subscriber: `RUST_LOG` (or [`DEFAULT_FILTER`]) on stderr,
/// so commands that print data keep stdout clean.
pub fn init(format: LogFormat) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match choose(format, std::io::stderr().is_terminal()) {
        Output::Text { ansi } => builder.with_ansi(ansi).init(),
        Output::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_on_a_terminal_and_never_in_json() {
        assert_eq!(choose(LogFormat::Text, true), Output::Text { ansi: true });
        assert_eq!(choose(LogFormat::Text, false), Output::Text { ansi: false });
        assert_eq!(choose(LogFormat::Json, true), Output::Json);
        assert_eq!(choose(LogFormat::Json, false), Output::Json);
    }

    #[test]
    fn log_format_parses_from_its_names() {
        use clap::ValueEnum;
        assert_eq!(LogFormat::from_str("json", true), Ok(LogFormat::Json));
        assert_eq!(LogFormat::from_str("TEXT", true), Ok(LogFormat::Text));
        assert!(LogFormat::from_str("xml", true).is_err());
    }
}
