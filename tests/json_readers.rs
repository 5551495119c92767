//! Tests of the JSON readers: ClinicalTrials.gov API v2 JSON (`ctgov_json`)
//! and the retired v1 JSON (`ctgov_json_v1`), and of `json_text::decode`.

use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;
use trialint::record::{keys, EntityKind, Record};
use trialint::source::{self, ctgov_json, ctgov_json_v1, json_text, SourceFile};
use trialint::span::Span;

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn slice(input: &str, s: Span) -> &str {
    &input[s.start..s.end]
}

fn ids(recs: &[Record]) -> Vec<&str> {
    recs.iter().map(|r| r.display_id()).collect()
}

fn texts<'a>(r: &'a Record, key: &'a str) -> Vec<&'a str> {
    r.all(key).map(|f| f.text.as_str()).collect()
}

/// Reference decoding, independent of `json_text`: serde_json decodes the
/// JSON escapes of a string body, then markdown backslash escapes before
/// ASCII punctuation are removed.
fn reference_decode(body: &str, markdown: bool) -> String {
    let s: String = serde_json::from_str(&format!("\"{body}\"")).expect("a JSON string body");
    if !markdown {
        return s;
    }
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_punctuation() {
                    out.push(n);
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// Every field (and qualifier) of every record: its span is exactly the body
/// of a JSON string (or a number / boolean literal), and decoding those source
/// bytes gives the field's text. Spans lie inside the record's span.
fn check_field_spans(input: &str, recs: &[Record], markdown: bool) -> usize {
    let mut n = 0;
    for r in recs {
        assert!(r.span.end <= input.len());
        let rec_src = slice(input, r.span);
        assert!(
            rec_src.starts_with('{') && rec_src.ends_with('}'),
            "{}: record span is not an object",
            r.display_id()
        );
        serde_json::from_str::<serde_json::Value>(rec_src).expect("record span is one JSON value");
        let all = r.fields.iter().map(|f| (&f.key, &f.text)).chain(
            r.fields
                .iter()
                .filter_map(|f| f.qualifier.as_ref().map(|q| (&f.key, q))),
        );
        for (key, text) in all {
            let s = text.whole_span();
            assert!(
                s.start >= r.span.start && s.end <= r.span.end,
                "{key}: span outside the record"
            );
            let body = slice(input, s);
            if input.as_bytes()[s.start - 1] == b'"' {
                assert_eq!(
                    input.as_bytes()[s.end],
                    b'"',
                    "{key}: span does not end at the closing quote"
                );
                assert_eq!(
                    reference_decode(body, markdown),
                    text.text,
                    "{key} at {s:?}"
                );
            } else {
                // a number or boolean literal, taken as written
                assert!(
                    body == "true" || body == "false" || body.parse::<f64>().is_ok(),
                    "{key}: {body:?}"
                );
                assert_eq!(body, text.text);
            }
            n += 1;
        }
    }
    n
}

// ---------------------------------------------------------------------------
// API v2 shapes

#[test]
fn v2_single_study() {
    let input = fixture("ctgov-json/NCT02992574.json");
    let recs = ctgov_json::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT02992574"]);
    let r = &recs[0];
    assert_eq!(r.format, "ctgov-json");
    assert_eq!(r.span, Span::new(0, input.trim_end().len()));
    assert_eq!(texts(r, keys::ID), ["NCT02992574"]);
    assert_eq!(texts(r, keys::STATUS), ["RECRUITING"]);
    let start = r.get(keys::START_DATE).unwrap();
    assert_eq!(start.text.as_str(), "2016-05-27");
    assert_eq!(start.qualifier.as_ref().unwrap().as_str(), "ACTUAL");
    let enrollment = r.get(keys::ENROLLMENT).unwrap();
    assert_eq!(enrollment.text.as_str(), "1022");
    assert_eq!(slice(&input, enrollment.span()), "1022");
    assert_eq!(enrollment.qualifier.as_ref().unwrap().as_str(), "ESTIMATED");
    assert_eq!(texts(r, keys::PHASE), ["NA"]);
    assert_eq!(texts(r, keys::HEALTHY_VOLUNTEERS), ["false"]);
    assert_eq!(texts(r, keys::AGE_GROUP), ["ADULT", "OLDER_ADULT"]);

    // markdown escapes are undone in the criteria, spans keep the backslashes
    let crit = r.get(keys::ELIGIBILITY).unwrap();
    let i = crit
        .text
        .text
        .find("age < 35")
        .expect("`age \\< 35` in the criteria")
        + 4;
    assert!(!crit.text.text.contains('\\'));
    assert_eq!(slice(&input, crit.text.span(i, i + 1)), "\\\\<");

    // site contacts hang off their location
    let sites: Vec<usize> = (0..r.entities.len())
        .filter(|&e| r.entities[e].kind == EntityKind::Location)
        .collect();
    assert!(!sites.is_empty());
    let site_contacts: Vec<_> = r
        .entities
        .iter()
        .filter(|e| {
            e.role
                .as_deref()
                .is_some_and(|s| s.starts_with("site contact"))
        })
        .collect();
    assert!(!site_contacts.is_empty());
    for c in &site_contacts {
        let p = c.parent.expect("a site contact has its location");
        assert_eq!(r.entities[p].kind, EntityKind::Location);
        let facility = r.entity_get(p, keys::LOCATION_FACILITY).unwrap();
        assert_eq!(
            c.role.as_deref().unwrap(),
            format!("site contact: {}", facility.value())
        );
    }
    let rp = r.get(keys::RESPONSIBLE_PARTY).unwrap();
    assert_eq!(rp.text.as_str(), "Dr. Tabassum Wadasadawala");
    let e = rp.entity.unwrap();
    assert_eq!(r.entities[e].role.as_deref(), Some("responsible party"));
    assert!(r.entity_get(e, keys::CONTACT_AFFILIATION).is_some());
    // every arm has a label, every outcome a measure
    for (e, ent) in r.entities.iter().enumerate() {
        match ent.kind {
            EntityKind::Arm => assert!(r.entity_get(e, keys::ARM_LABEL).is_some()),
            EntityKind::PrimaryOutcome | EntityKind::SecondaryOutcome => {
                assert!(r.entity_get(e, keys::OUTCOME_MEASURE).is_some())
            }
            _ => {}
        }
    }
    check_field_spans(&input, &recs, true);
}

/// The records of a multi-study file are the records of each study read on
/// its own, with spans shifted by where the study starts.
fn same_as_read_alone(input: &str, recs: &[Record]) {
    for r in recs {
        let alone = ctgov_json::read(slice(input, r.span)).unwrap();
        assert_eq!(alone.len(), 1);
        let a = &alone[0];
        assert_eq!(a.id, r.id);
        assert_eq!(a.entities, r.entities);
        assert_eq!(a.fields.len(), r.fields.len());
        for (fa, fr) in a.fields.iter().zip(&r.fields) {
            assert_eq!(fa.key, fr.key);
            assert_eq!(fa.text.text, fr.text.text);
            let (sa, sr) = (fa.span(), fr.span());
            assert_eq!(
                (sa.start + r.span.start, sa.end + r.span.start),
                (sr.start, sr.end)
            );
        }
    }
}

#[test]
fn v2_top_level_array() {
    let input = fixture("ctgov-json/array-of-2__NCT01815593__NCT04002661.json");
    let recs = ctgov_json::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT01815593", "NCT04002661"]);
    assert!(recs[0].span.end < recs[1].span.start);
    check_field_spans(&input, &recs, true);
    same_as_read_alone(&input, &recs);
}

#[test]
fn v2_studies_page() {
    let input = fixture("ctgov-json/studies-page-of-2__NCT06934928__NCT03681392.json");
    let recs = ctgov_json::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT06934928", "NCT03681392"]);
    check_field_spans(&input, &recs, true);
    same_as_read_alone(&input, &recs);
}

#[test]
fn v2_json_lines() {
    let input = fixture("ctgov-json/jsonl-of-2__NCT01054001__NCT05842057.jsonl");
    let recs = ctgov_json::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT01054001", "NCT05842057"]);
    let second_line = input.find('\n').unwrap() + 1;
    assert_eq!(recs[0].span.start, 0);
    assert_eq!(recs[1].span.start, second_line);
    assert_eq!(recs[1].span.end, input.trim_end().len());
    check_field_spans(&input, &recs, true);
    same_as_read_alone(&input, &recs);
}

#[test]
fn v2_unicode_escapes_decode_and_map_to_the_escape() {
    let escaped = fixture("ctgov-json/hand-made__NCT06332300__ascii-escaped.json");
    assert!(escaped.is_ascii());
    let recs = ctgov_json::read(&escaped).unwrap();
    assert_eq!(ids(&recs), ["NCT06332300"]);
    check_field_spans(&escaped, &recs, true);
    // some field has a non-ASCII char whose span is a `\uXXXX` escape
    let mut seen = 0;
    for f in &recs[0].fields {
        for (i, c) in f.text.text.char_indices() {
            if !c.is_ascii() {
                let s = f.text.span(i, i + c.len_utf8());
                let src = slice(&escaped, s);
                assert!(
                    src.starts_with("\\u") && (src.len() == 6 || src.len() == 12),
                    "{src:?}"
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0);
}

#[test]
fn v2_through_detection() {
    for name in [
        "ctgov-json/NCT02992574.json",
        "ctgov-json/array-of-2__NCT01815593__NCT04002661.json",
        "ctgov-json/studies-page-of-2__NCT06934928__NCT03681392.json",
        "ctgov-json/jsonl-of-2__NCT01054001__NCT05842057.jsonl",
    ] {
        let src = SourceFile::new(name, fixture(name));
        let recs = source::read(&src).unwrap();
        assert!(recs.iter().all(|r| r.format == "ctgov-json"), "{name}");
    }
    // a byte-order mark is skipped, offsets stay those of the file
    let text = format!("\u{feff}{}", fixture("ctgov-json/NCT02992574.json"));
    let recs = ctgov_json::read(&text).unwrap();
    assert_eq!(recs[0].span.start, 3);
    check_field_spans(&text, &recs, true);
}

#[test]
fn v2_empty_string_is_kept_absent_is_not() {
    let input = r#"{"protocolSection": {"identificationModule": {"nctId": "NCT01234567", "briefTitle": ""},
        "eligibilityModule": {"healthyVolunteers": true, "maximumAge": null}}}"#;
    let r = &ctgov_json::read(input).unwrap()[0];
    let t = r.get(keys::TITLE).unwrap();
    assert_eq!(t.text.as_str(), "");
    let at = input.find("\"briefTitle\": \"\"").unwrap() + "\"briefTitle\": \"".len();
    assert_eq!(t.span(), Span::new(at, at));
    assert!(r.get(keys::OFFICIAL_TITLE).is_none());
    assert!(r.get(keys::MAX_AGE).is_none());
    let hv = r.get(keys::HEALTHY_VOLUNTEERS).unwrap();
    assert_eq!(hv.text.as_str(), "true");
    assert_eq!(slice(input, hv.span()), "true");
}

// ---------------------------------------------------------------------------
// v1

#[test]
fn v1_bare_study() {
    let input = fixture("ctgov-json-v1/NCT04780373.json");
    let recs = ctgov_json_v1::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT04780373"]);
    let r = &recs[0];
    assert_eq!(r.format, "ctgov-json-v1");
    assert_eq!(r.span, Span::new(0, input.trim_end().len()));
    let enrollment = r.get(keys::ENROLLMENT).unwrap();
    assert!(enrollment.text.text.parse::<u32>().is_ok());
    assert!(enrollment.qualifier.is_some());
    assert!(r.get(keys::START_DATE).is_some());
    assert!(r.get(keys::STATUS).is_some());
    assert!(r.get(keys::ELIGIBILITY).is_some());
    assert_eq!(texts(r, keys::AGE_GROUP), ["Adult", "Older Adult"]);
    let groups: Vec<&str> = r
        .all(keys::AGE_GROUP)
        .map(|f| slice(&input, f.span()))
        .collect();
    assert_eq!(groups, ["Adult", "Older Adult"]);
    check_field_spans(&input, &recs, false);
    let src = SourceFile::new("x", input.clone());
    assert_eq!(source::read(&src).unwrap()[0].format, "ctgov-json-v1");
}

#[test]
fn v1_wrapped_study() {
    let input = fixture("ctgov-json-v1/wrapped__NCT04780386.json");
    let recs = ctgov_json_v1::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT04780386"]);
    let study_at = input.find("\"Study\": ").unwrap() + "\"Study\": ".len();
    assert_eq!(recs[0].span.start, study_at);
    check_field_spans(&input, &recs, false);
}

#[test]
fn v1_full_studies_response() {
    let input = fixture("ctgov-json-v1/full-studies-response-of-2__NCT04780100__NCT04780113.json");
    let recs = ctgov_json_v1::read(&input).unwrap();
    assert_eq!(ids(&recs), ["NCT04780100", "NCT04780113"]);
    let n = check_field_spans(&input, &recs, false);
    assert!(n > 40);
    for r in &recs {
        // the span is the Study object, which reads on its own
        let alone = ctgov_json_v1::read(slice(&input, r.span)).unwrap();
        assert_eq!(alone[0].fields.len(), r.fields.len());
    }
}

// ---------------------------------------------------------------------------
// Errors

#[test]
fn malformed_json_is_an_error_with_line_and_column() {
    let input = "{\n  \"protocolSection\": {\n    \"statusModule\": {\"overallStatus\": \"RECRUITING\",}\n  }\n}";
    let e = ctgov_json::read(input).unwrap_err();
    assert!(e.starts_with("malformed JSON: "), "{e}");
    assert!(e.contains("line 3 column"), "{e}");

    let truncated = &fixture("ctgov-json/NCT02992574.json")[..5000];
    let e = ctgov_json::read(truncated).unwrap_err();
    assert!(e.contains("EOF") && e.contains("line"), "{e}");

    // an error inside the second study of an array is placed in the file
    let input = "[\n{\"protocolSection\": {}},\n{\"protocolSection\": {\"designModule\": {\"phases\": 3}}}\n]";
    let e = ctgov_json::read(input).unwrap_err();
    assert!(e.contains("line 3 column"), "{e}");

    let e = ctgov_json_v1::read("{\"ProtocolSection\": [}").unwrap_err();
    assert!(
        e.starts_with("malformed JSON: ") && e.contains("line 1 column"),
        "{e}"
    );

    // JSON Lines: the bad line is named
    let jl = fixture("ctgov-json/jsonl-of-2__NCT01054001__NCT05842057.jsonl");
    let cut = jl.len() - 10;
    let e = ctgov_json::read(&jl[..cut]).unwrap_err();
    assert!(e.contains("line 2 column"), "{e}");
}

#[test]
fn non_study_json_is_a_clear_error() {
    let msg = "JSON document is not a ClinicalTrials.gov API v2 study: no `protocolSection`";
    assert_eq!(ctgov_json::read("{\"foo\": 1}").unwrap_err(), msg);
    assert_eq!(ctgov_json::read("42").unwrap_err(), msg);
    assert!(ctgov_json::read("[{\"protocolSection\": {}}, {\"x\": 1}]")
        .unwrap_err()
        .starts_with(msg));
    assert!(ctgov_json::read("{\"studies\": [1]}")
        .unwrap_err()
        .starts_with(msg));
    assert!(ctgov_json::read("{\"ProtocolSection\": {}}")
        .unwrap_err()
        .contains("v1"));
    assert!(ctgov_json_v1::read("{\"foo\": 1}")
        .unwrap_err()
        .contains("no `ProtocolSection`"));
    // through detection: the path is named
    let src = SourceFile::new("a.json", "{\"foo\": 1}");
    let e = source::read(&src).unwrap_err();
    assert_eq!(e.to_string(), format!("a.json: {msg}"));
    // an empty array or page has no records (source::read says so)
    assert!(ctgov_json::read("[]").unwrap().is_empty());
    assert!(ctgov_json::read("{\"studies\": []}").unwrap().is_empty());
}

// ---------------------------------------------------------------------------
// Properties

/// A JSON string literal for `s`, each char written verbatim, as a short
/// escape or as `\uXXXX` (a surrogate pair outside the BMP), as `how` says.
fn to_literal(s: &str, how: &[u8]) -> String {
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        let mode = how.get(i % how.len().max(1)).copied().unwrap_or(0) % 3;
        let must = c == '"' || c == '\\' || (c as u32) < 0x20;
        match (mode, c) {
            (1, '"') => out.push_str("\\\""),
            (1, '\\') => out.push_str("\\\\"),
            (1, '/') => out.push_str("\\/"),
            (1, '\n') => out.push_str("\\n"),
            (1, '\t') => out.push_str("\\t"),
            (0, _) if !must => out.push(c),
            _ => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

fn text_strategy() -> impl Strategy<Value = String> {
    let chars = prop::sample::select(vec![
        'a',
        'Z',
        ' ',
        '1',
        '\\',
        '"',
        '/',
        '<',
        '>',
        '=',
        '*',
        '_',
        '[',
        ']',
        '(',
        ')',
        '#',
        '-',
        '+',
        '.',
        '!',
        '~',
        '|',
        '`',
        '&',
        '^',
        'm',
        '\n',
        '\t',
        '\u{1}',
        'é',
        '≥',
        '中',
        '😀',
        '\u{10FFFF}',
    ]);
    prop::collection::vec(chars, 0..40).prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_maps_every_char_to_source_that_decodes_to_it(
        s in text_strategy(),
        how in prop::collection::vec(any::<u8>(), 1..8),
        pad in 0usize..20,
        markdown in any::<bool>(),
    ) {
        let lit = to_literal(&s, &how);
        let prefix = format!("{}{{\"k\": ", " ".repeat(pad));
        let file = format!("{prefix}{lit}}}");
        let at = prefix.len();
        let t = if markdown { json_text::decode(&lit, at) } else { json_text::decode_json(&lit, at) };
        let body = &file[at + 1..at + lit.len() - 1];
        prop_assert_eq!(&t.text, &reference_decode(body, markdown));
        if !markdown {
            prop_assert_eq!(&t.text, &s);
        }
        let mut next = at + 1;
        for (i, c) in t.text.char_indices() {
            let sp = t.span(i, i + c.len_utf8());
            // spans tile the body, in order
            prop_assert_eq!(sp.start, next);
            prop_assert!(sp.end > sp.start);
            next = sp.end;
            let src = &file[sp.start..sp.end];
            prop_assert_eq!(reference_decode(src, markdown), c.to_string(), "char {:?} from {:?}", c, src);
        }
        prop_assert_eq!(next, at + lit.len() - 1);
        let whole = t.whole_span();
        prop_assert_eq!(whole, Span::new(at + 1, at + lit.len() - 1));
    }

    #[test]
    fn readers_never_panic_on_damaged_input(cut in 0usize..15248, byte in any::<u8>(), at in 0usize..15248) {
        let input = fixture("ctgov-json/NCT02992574.json");
        let mut bytes = input.into_bytes();
        let at = at.min(bytes.len() - 1);
        bytes[at] = byte & 0x7f;
        bytes.truncate(cut.max(1));
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = ctgov_json::read(&text);
        let _ = ctgov_json_v1::read(&text);
    }
}

// ---------------------------------------------------------------------------
// The corpus

fn corpus_dir(name: &str) -> Option<PathBuf> {
    let p = Path::new("/work/shared/corpus").join(name);
    p.is_dir().then_some(p)
}

fn read_corpus(name: &str, read: fn(&str) -> Result<Vec<Record>, String>, markdown: bool) {
    let Some(dir) = corpus_dir(name) else {
        eprintln!("corpus {name} not found: skipped");
        return;
    };
    let t = Instant::now();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut records, mut fields, mut errors) = (0, 0, Vec::new());
    for p in &files {
        let text = std::fs::read_to_string(p).unwrap();
        match read(&text) {
            Ok(recs) => {
                records += recs.len();
                let stem = p.file_stem().unwrap().to_str().unwrap();
                assert_eq!(ids(&recs), [stem], "{}", p.display());
                fields += check_field_spans(&text, &recs, markdown);
            }
            Err(e) => errors.push(format!("{}: {e}", p.display())),
        }
    }
    eprintln!(
        "{name}: {} files, {records} records, {fields} fields and qualifiers checked, {} errors, {:?}",
        files.len(),
        errors.len(),
        t.elapsed()
    );
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(records, files.len());
}

#[test]
fn corpus_v2_reads_without_errors() {
    read_corpus("ctgov-json", ctgov_json::read, true);
}

#[test]
fn corpus_v1_reads_without_errors() {
    read_corpus("ctgov-json-v1", ctgov_json_v1::read, false);
}

#[test]
fn a_later_json_lines_document_that_is_not_a_study_is_named() {
    let jl = "{\"protocolSection\": {}}\n{\"foo\": 1}\n";
    let e = ctgov_json::read(jl).unwrap_err();
    assert!(
        e.contains("document 2 of the file, at line 2 column 1"),
        "{e}"
    );
    let e = ctgov_json_v1::read("{\"ProtocolSection\": {}}\n[1]\n").unwrap_err();
    assert!(
        e.contains("element 1 of the top-level array, at line 2 column 2"),
        "{e}"
    );
}
