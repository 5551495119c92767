//! The `trialint` binary: parse arguments, run, exit with the code.

use clap::Parser;

// mimalloc, called so that it takes its fast paths (src/allocator.rs).
#[global_allocator]
static GLOBAL: trialint::allocator::MiMalloc = trialint::allocator::MiMalloc;

fn main() {
    trialint::allocator::small_pages();
    trialint::allocator::keep_freed_memory();
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
