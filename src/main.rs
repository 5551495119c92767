//! The `trialint` binary: parse arguments, run, exit with the code.

use clap::Parser;

// glibc's malloc was a sixth of a run's time (records allocate many small
// strings and vectors and free them at once); mimalloc's thread-local
// free lists halve that.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match trialint::cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // help and version are not errors
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    std::process::exit(trialint::app::main(cli));
}
