//! Print the facts trialint reads from a file (a debugging aid for check
//! authors): `cargo run --example facts -- FILE [FACT-NAME-PREFIX]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: facts FILE [FACT-NAME-PREFIX]");
        std::process::exit(2);
    };
    let prefix = args.get(1).cloned().unwrap_or_default();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let src = match trialint::source::decode(path, bytes) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let records = match trialint::source::read(&src) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    for r in &records {
        println!("# {} ({})", r.display_id(), r.format);
        for f in trialint::extract::extract(r) {
            if !f.name.starts_with(prefix.as_str()) {
                continue;
            }
            let how = f
                .how
                .as_deref()
                .map(|h| format!("  [{h}]"))
                .unwrap_or_default();
            println!(
                "{:<32} {:<28} {:?}{}",
                f.name,
                f.value.to_string(),
                src.snippet(f.span),
                how
            );
        }
    }
}
