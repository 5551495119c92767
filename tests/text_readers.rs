//! Integration tests for the page-text readers on the seed fixtures.

use trialint::record::{keys, EntityKind, Record};
use trialint::source::text::read_text;

fn seed(name: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/seeds");
    let entry = std::fs::read_dir(dir)
        .expect("fixtures/seeds")
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().starts_with(name))
        .expect("seed file");
    std::fs::read_to_string(entry.path()).expect("utf-8 seed")
}

fn dump(r: &Record) -> String {
    let mut out = format!("format {} id {:?}\n", r.format, r.id);
    for f in &r.fields {
        let ent = f.entity.map(|e| {
            let en = &r.entities[e];
            format!("[{}:{:?}:{}:{:?}]", e, en.kind, en.role.clone().unwrap_or_default(), en.parent)
        });
        out.push_str(&format!(
            "{:<28} {:<40} q={:?} {:?}\n",
            f.key,
            ent.unwrap_or_default(),
            f.qualifier.as_ref().map(|q| q.text.clone()),
            f.text.text.chars().take(90).collect::<String>()
        ));
    }
    out
}

#[test]
#[ignore]
fn print_seeds() {
    for n in ["000", "001", "002", "003", "004"] {
        println!("==== {n}\n{}", dump(&read_text(&seed(n))));
    }
}
