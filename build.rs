//! Embeds every `checks/*.toml` in the binary, so the shipped catalogue is
//! exactly the folder's content (adding a check is adding a file).

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=checks");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap()).join("checks");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = String::from("/// (file name, content) of each shipped check.\npub static SHIPPED: &[(&str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            f.file_name().unwrap().to_string_lossy(),
            f.display().to_string()
        ));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("shipped_checks.rs"),
        out,
    )
    .unwrap();
}
