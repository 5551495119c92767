//! Command-line definitions (the contract in DESIGN.md: extend, never break).

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "trialint",
    version,
    about = "Lint clinical-trial registry records: find where a record contradicts itself"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check records (files, directories walked recursively, or - for stdin)
    Check(CheckArgs),
    /// Show the documentation of one check
    Explain {
        /// The check's name
        check: String,
        #[arg(long = "checks", value_name = "DIR")]
        checks: Vec<String>,
        /// Configuration file (default: the nearest trialint.toml)
        #[arg(long, value_name = "FILE")]
        config: Option<String>,
    },
    /// List the catalogue: name, severity, summary
    Checks {
        #[arg(long = "checks", value_name = "DIR")]
        checks: Vec<String>,
        /// Configuration file (default: the nearest trialint.toml)
        #[arg(long, value_name = "FILE")]
        config: Option<String>,
    },
    /// Write one correction request (Markdown) per record with findings, and requests.csv
    Request(RequestArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// JUnit XML: one test case per record
    Junit,
    /// One self-contained HTML page for curators
    Html,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check; - reads standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutputFormat,
    /// Fix "today" for time-dependent checks (YYYY-MM-DD); output is then reproducible
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Extra directories of user check files
    #[arg(long = "checks", value_name = "DIR")]
    pub checks: Vec<String>,
    /// Run only these checks (names or groups)
    #[arg(long, value_name = "CHECK")]
    pub select: Vec<String>,
    /// Skip these checks (names or groups)
    #[arg(long, value_name = "CHECK")]
    pub ignore: Vec<String>,
    /// Lowest severity that makes the exit code 1 [default: fail-on in trialint.toml, else error]
    #[arg(long = "fail-on", value_enum)]
    pub fail_on: Option<FailOn>,
    /// Worker threads (default: one per core)
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// Only the findings: no summary line
    #[arg(long)]
    pub quiet: bool,
    /// Configuration file; turns off the search for trialint.toml in the
    /// current directory and its parents
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
    /// Report only findings that are not in this baseline file
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<String>,
    /// Record the findings of this run in a baseline file (then report as
    /// if it were given with --baseline)
    #[arg(long = "write-baseline", value_name = "FILE")]
    pub write_baseline: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct RequestArgs {
    /// Files or directories to check; - reads standard input
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<String>,
    /// Directory to write the requests and requests.csv into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: String,
    /// Fix "today" for time-dependent checks (YYYY-MM-DD); output is then reproducible
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Extra directories of user check files
    #[arg(long = "checks", value_name = "DIR")]
    pub checks: Vec<String>,
    /// Run only these checks (names or groups)
    #[arg(long, value_name = "CHECK")]
    pub select: Vec<String>,
    /// Skip these checks (names or groups)
    #[arg(long, value_name = "CHECK")]
    pub ignore: Vec<String>,
    /// Worker threads (default: one per core)
    #[arg(long, default_value_t = 0)]
    pub jobs: usize,
    /// Configuration file; turns off the search for trialint.toml in the
    /// current directory and its parents
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,
}
