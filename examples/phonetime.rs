fn main() {
    let t = std::time::Instant::now();
    let db = &*phonenumber::metadata::DATABASE;
    println!(
        "crate DATABASE: {:?} ({} regions?)",
        t.elapsed(),
        db.iter().count()
    );
    let t = std::time::Instant::now();
    let xml = include_str!("../data/phonenumber/PhoneNumberMetadata.xml");
    let d = phonenumber::metadata::Database::parse(xml.replace("\\d", "[0-9]")).unwrap();
    println!("xml parse: {:?} {}", t.elapsed(), d.iter().count());
    let t = std::time::Instant::now();
    let n = phonenumber::parse_with(db, None, "+47 918 71 292");
    println!("parse with crate db: {:?} {:?}", t.elapsed(), n.is_ok());
    let t = std::time::Instant::now();
    let n = phonenumber::parse_with(&d, None, "+47 918 71 292");
    println!("parse with xml db: {:?} {:?}", t.elapsed(), n.is_ok());
}
