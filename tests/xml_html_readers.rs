//! Tests for the XML and HTML readers: legacy ClinicalTrials.gov XML, WHO
//! ICTRP XML and saved HTML pages.

use std::path::{Path, PathBuf};
use trialint::record::{keys, EntityKind, Record};
use trialint::source::{self, ctgov_xml, html, ictrp_xml, xml_text};
use trialint::span::{Span, Text};

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/formats")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn value<'a>(r: &'a Record, key: &str) -> &'a str {
    r.get(key)
        .unwrap_or_else(|| panic!("{}: no field {key}", r.display_id()))
        .value()
}

fn values<'a>(r: &'a Record, key: &'a str) -> Vec<&'a str> {
    r.all(key).map(|f| f.value()).collect()
}

fn src_of(src: &str, sp: Span) -> &str {
    &src[sp.start..sp.end]
}

/// Every character of every field maps to source bytes that decode to it
/// (verbatim: the same bytes; an entity: the entity; glue: no bytes). With
/// `whole`, the whole span of a field without glue also decodes to the
/// field's text.
fn check_spans(src: &str, r: &Record, decode: &dyn Fn(&str, usize) -> Text, whole: bool) {
    check_spans_opt(src, r, decode, whole, true)
}

/// [`check_spans`], with the character-by-character check optional (the
/// corpus test does it for a sample of files, to stay fast in debug builds).
fn check_spans_opt(
    src: &str,
    r: &Record,
    decode: &dyn Fn(&str, usize) -> Text,
    whole: bool,
    per_char: bool,
) {
    assert!(r.span.end <= src.len(), "record span out of bounds");
    for f in &r.fields {
        let texts = std::iter::once(&f.text).chain(f.qualifier.as_ref());
        for t in texts {
            let sp = t.whole_span();
            assert!(
                sp.end <= src.len()
                    && src.is_char_boundary(sp.start)
                    && src.is_char_boundary(sp.end)
            );
            assert!(
                sp.start >= r.span.start && sp.end <= r.span.end,
                "{}: field {} outside its record",
                r.display_id(),
                f.key
            );
            let mut glue = false;
            for (i, c) in t.text.char_indices().filter(|_| per_char) {
                let cs = t.span(i, i + c.len_utf8());
                if cs.is_empty() {
                    glue = true;
                    continue;
                }
                let raw = src_of(src, cs);
                if c.is_whitespace() || c == '\u{a0}' {
                    let d = decode(raw, cs.start).text;
                    assert!(
                        raw.chars().all(char::is_whitespace)
                            || d.contains(c)
                            || d.trim().is_empty(),
                        "{}: field {}: white space {:?} maps to {:?}",
                        r.display_id(),
                        f.key,
                        c,
                        raw
                    );
                } else {
                    let d = decode(raw, cs.start).text;
                    assert_eq!(
                        d,
                        c.to_string(),
                        "{}: field {}: char {:?} maps to {:?}",
                        r.display_id(),
                        f.key,
                        c,
                        raw
                    );
                }
            }
            if !per_char {
                // glue (a joining space) maps to no bytes
                glue = t
                    .text
                    .char_indices()
                    .any(|(i, c)| c == ' ' && t.span(i, i + 1).is_empty());
            }
            if t.text.is_empty() {
                assert!(
                    sp.start > r.span.start,
                    "{}: empty field {} placed at its record's start",
                    r.display_id(),
                    f.key
                );
            }
            if whole
                && !glue
                && !src_of(src, sp).contains("<![CDATA[")
                && !src_of(src, sp).contains("]]>")
            {
                let d = decode(src_of(src, sp), sp.start);
                assert_eq!(
                    d.text,
                    t.text,
                    "{}: field {}: span {:?} decodes differently",
                    r.display_id(),
                    f.key,
                    sp
                );
                if !t.text.is_empty() {
                    assert_eq!(d.whole_span(), sp);
                }
            }
        }
    }
}

fn xml_decode(raw: &str, start: usize) -> Text {
    xml_text::decode(raw, start)
}

fn html_decode(raw: &str, start: usize) -> Text {
    xml_text::decode_html(raw, start)
}

// ---------------------------------------------------------------- decoding

#[test]
fn decode_entities_numeric_unknown_and_double_escapes() {
    let src = "x &amp; y &#8805; &#x3C; &amp;lt; &foo; &#xD800; &";
    let t = xml_text::decode(src, 100);
    assert_eq!(t.text, "x & y ≥ < &lt; &foo; &#xD800; &");
    // `&amp;` maps to its five bytes as a unit
    assert_eq!(t.span(2, 3), Span::new(102, 107));
    // `≥` (3 bytes decoded) maps to `&#8805;` (7 bytes)
    let ge = t.text.find('≥').unwrap();
    assert_eq!(t.span(ge, ge + 3), Span::new(110, 117));
    // unknown entities stay verbatim and map one to one
    let foo = t.text.find("&foo;").unwrap();
    let sp = t.span(foo, foo + 5);
    assert_eq!(&src[sp.start - 100..sp.end - 100], "&foo;");
    // HTML names only in the HTML decoder
    assert_eq!(
        xml_text::decode("&nbsp;&ndash;&eacute;", 0).text,
        "&nbsp;&ndash;&eacute;"
    );
    assert_eq!(
        xml_text::decode_html("&nbsp;&ndash;&eacute;&hellip;&plusmn;&micro;", 0).text,
        "\u{a0}–é…±µ"
    );
}

#[test]
fn decode_cdata_is_verbatim() {
    let t = xml_text::decode_cdata("a &amp; <b>", 7);
    assert_eq!(t.text, "a &amp; <b>");
    assert_eq!(t.whole_span(), Span::new(7, 18));
    // and in a document
    let src = "<clinical_study><id_info><nct_id>NCT1</nct_id></id_info><brief_title>x<![CDATA[ &amp; ]]>y</brief_title></clinical_study>";
    let r = &ctgov_xml::read(src).unwrap()[0];
    assert_eq!(value(r, keys::TITLE), "x &amp; y");
}

#[test]
fn decode_html_folds_white_space() {
    let t = xml_text::decode_html_folded("\n  Age&nbsp;&ge;\t\n 18  ", 0);
    assert_eq!(t.text, "Age\u{a0}≥ 18");
    let sp = t.span(t.text.find(' ').unwrap(), t.text.find(' ').unwrap() + 1);
    assert_eq!(sp, Span::new(16, 19));
}

// ---------------------------------------------------------------- ctgov xml

#[test]
fn ctgov_single_study() {
    let src = fixture("ctgov-xml/NCT00001160.xml");
    let recs = source::read(&source::decode("t.xml", src.clone().into_bytes()).unwrap()).unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.format, "ctgov-xml");
    assert_eq!(r.id.as_deref(), Some("NCT00001160"));
    assert_eq!(src_of(&src, r.span), src.trim_end());
    assert_eq!(value(r, keys::TITLE), "Studies on Tumors of the Thyroid");
    assert_eq!(value(r, keys::STATUS), "Recruiting");
    let sd = r.get(keys::START_DATE).unwrap();
    assert_eq!(sd.value(), "June 1, 1977");
    assert_eq!(sd.qualifier.as_ref().unwrap().text, "Actual");
    assert_eq!(
        src_of(&src, sd.qualifier.as_ref().unwrap().whole_span()),
        "Actual"
    );
    let en = r.get(keys::ENROLLMENT).unwrap();
    assert_eq!(
        (en.value(), en.qualifier.as_ref().unwrap().text.as_str()),
        ("2500", "Anticipated")
    );
    assert_eq!(
        r.get(keys::FIRST_POSTED)
            .unwrap()
            .qualifier
            .as_ref()
            .unwrap()
            .text,
        "Estimate"
    );
    assert_eq!(value(r, keys::MIN_AGE), "6 Months");
    assert_eq!(value(r, keys::MAX_AGE), "N/A");
    assert_eq!(value(r, keys::SEX), "All");
    assert_eq!(values(r, keys::CONDITION).len(), 5);
    assert!(value(r, keys::ELIGIBILITY).starts_with("-  INCLUSION CRITERIA:"));
    // textblocks keep their line breaks and indentation
    assert!(value(r, keys::BRIEF_SUMMARY).contains("\r\n      "));
    assert_eq!(
        value(r, keys::LEAD_SPONSOR),
        "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)"
    );
    assert_eq!(
        value(r, keys::ORGANIZATION),
        "National Institutes of Health Clinical Center (CC)"
    );
    // arms, interventions, outcomes
    let arms: Vec<_> = r
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Arm)
        .collect();
    assert_eq!(arms.len(), 2);
    assert_eq!(
        r.entities
            .iter()
            .filter(|e| e.kind == EntityKind::PrimaryOutcome)
            .count(),
        2
    );
    // contacts: central, backup, official, site contact with its location
    let roles: Vec<&str> = r
        .entities
        .iter()
        .filter_map(|e| e.role.as_deref())
        .collect();
    assert_eq!(
        roles,
        [
            "central contact",
            "central contact backup",
            "overall official",
            "site contact"
        ]
    );
    let central = r
        .entities
        .iter()
        .position(|e| e.role.as_deref() == Some("central contact"))
        .unwrap();
    assert_eq!(
        r.entity_get(central, keys::CONTACT_PHONE).unwrap().value(),
        "(301) 451-7710"
    );
    assert_eq!(
        r.entity_get(central, keys::CONTACT_EMAIL).unwrap().value(),
        "padmasree.veeraraghavan@nih.gov"
    );
    let site = r
        .entities
        .iter()
        .position(|e| e.role.as_deref() == Some("site contact"))
        .unwrap();
    let loc = r.entities[site].parent.unwrap();
    assert_eq!(r.entities[loc].kind, EntityKind::Location);
    assert_eq!(
        r.entity_get(loc, keys::LOCATION_CITY).unwrap().value(),
        "Bethesda"
    );
    assert_eq!(
        r.entity_get(site, keys::CONTACT_PHONE).unwrap().value(),
        "800-411-1222"
    );
    assert_eq!(
        r.entity_get(site, "x.contact.phone_ext").unwrap().value(),
        "TTY dial 711"
    );
    check_spans(&src, r, &xml_decode, true);
}

#[test]
fn ctgov_two_concatenated_studies() {
    let src = fixture("ctgov-xml/concatenated_NCT00000122_NCT00000160.xml");
    let recs = ctgov_xml::read(&src).unwrap();
    let ids: Vec<_> = recs.iter().map(|r| r.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["NCT00000122", "NCT00000160"]);
    assert!(recs[0].span.end <= recs[1].span.start);
    for r in &recs {
        let s = src_of(&src, r.span);
        assert!(s.starts_with("<clinical_study") && s.ends_with("</clinical_study>"));
        assert!(s.contains(r.id.as_deref().unwrap()));
        check_spans(&src, r, &xml_decode, true);
    }
}

#[test]
fn ctgov_entities_and_cdata() {
    let src = fixture("ctgov-xml/hand-made_entities_cdata.xml");
    let r = &ctgov_xml::read(&src).unwrap()[0];
    let title = r.get(keys::TITLE).unwrap();
    assert_eq!(
        title.value(),
        "Café & Tea ≥ 2 cups: <safety> &unknown; study"
    );
    let at = title.text.text.find('≥').unwrap();
    assert_eq!(
        src_of(&src, title.text.span(at, at + '≥'.len_utf8())),
        "&#x2265;"
    );
    let at = title.text.text.find('é').unwrap();
    assert_eq!(src_of(&src, title.text.span(at, at + 2)), "&#233;");
    let sum = r.get(keys::BRIEF_SUMMARY).unwrap();
    assert_eq!(
        sum.value(),
        "Raw <b>markup</b> & stuff then \"quoted\" text"
    );
    let at = sum.text.text.find("<b>").unwrap();
    assert_eq!(src_of(&src, sum.text.span(at, at + 3)), "<b>");
    let el = r.get(keys::ELIGIBILITY).unwrap();
    assert!(
        el.value().contains("Age >= 18 years and < 65 years"),
        "{}",
        el.value()
    );
    assert_eq!(
        r.get(keys::START_DATE)
            .unwrap()
            .qualifier
            .as_ref()
            .unwrap()
            .text,
        "Anticipated"
    );
    check_spans(&src, r, &xml_decode, true);
}

#[test]
fn billion_laughs_is_inert() {
    let src = fixture("ctgov-xml/hand-made_billion-laughs.xml");
    let t = std::time::Instant::now();
    let recs = ctgov_xml::read(&src).unwrap();
    assert!(t.elapsed().as_secs() < 2);
    assert_eq!(recs.len(), 1);
    assert_eq!(value(&recs[0], keys::TITLE), "&lol9;");
    check_spans(&src, &recs[0], &xml_decode, true);
}

#[test]
fn external_entities_are_not_resolved() {
    let src = fixture("ctgov-xml/hand-made_external-entity.xml");
    let recs = ctgov_xml::read(&src).unwrap();
    let r = &recs[0];
    assert_eq!(value(r, keys::TITLE), "&xxe;");
    assert_eq!(value(r, keys::OFFICIAL_TITLE), "&remote;");
    assert!(!r.fields.iter().any(|f| f.text.text.contains("root:")));
}

#[test]
fn malformed_xml_is_an_error_with_a_position() {
    let src = "<clinical_study>\n  <brief_title>x</official_title>\n</clinical_study>";
    let e = ctgov_xml::read(src).unwrap_err();
    assert!(e.contains("line 2"), "{e}");
    let e = ctgov_xml::read("<clinical_study><brief_title>x</brief_title>").unwrap_err();
    assert!(e.contains("never closed"), "{e}");
    let e = ictrp_xml::read("<Trial><TrialID>X</TrialID").unwrap_err();
    assert!(e.contains("malformed XML"), "{e}");
    // deep nesting is refused, not a stack overflow
    let deep = "<a>".repeat(100_000);
    assert!(ctgov_xml::read(&deep).is_err());
    // odd input never panics
    for s in [
        "",
        "<",
        "<<>>",
        "<?xml",
        "<!DOCTYPE",
        "<a b='>",
        "<a>&#xFFFFFFFF;</a>",
        "<a>&#;</a>",
        "\u{feff}<clinical_study/>",
    ] {
        let _ = ctgov_xml::read(s);
        let _ = ictrp_xml::read(s);
        let _ = html::read(s);
    }
}

// ---------------------------------------------------------------- ictrp xml

#[test]
fn ictrp_single_trial() {
    let src = fixture("ictrp-xml/DRKS00015863.xml");
    let recs = source::read(&source::decode("t.xml", src.clone().into_bytes()).unwrap()).unwrap();
    assert_eq!(recs.len(), 1);
    let r = &recs[0];
    assert_eq!(r.format, "ictrp-xml");
    assert_eq!(r.id.as_deref(), Some("DRKS00015863"));
    assert_eq!(value(r, keys::TITLE), "Diagnosis of mitochondriopathies and familial Mediterranean fever using nanopore sequencing");
    assert_eq!(value(r, keys::ENROLLMENT), "50");
    assert_eq!(value(r, keys::START_DATE), "18/03/2019");
    assert_eq!(value(r, keys::FIRST_SUBMITTED), "16/11/2018");
    assert_eq!(value(r, keys::SEX), "All");
    assert_eq!(value(r, keys::MIN_AGE), "None");
    assert!(value(r, keys::ELIGIBILITY).starts_with("Inclusion criteria:"));
    assert!(value(r, keys::ELIGIBILITY)
        .contains("miscarriage should be included into the study.\nTo investigate"));
    assert!(value(r, "x.exclusion_criteria").starts_with("Exclusion criteria:"));
    assert_eq!(value(r, keys::LEAD_SPONSOR), "Laborärzte Singen");
    // the contact: first and last name joined, phone and e-mail in the entity
    let c = r
        .entities
        .iter()
        .position(|e| e.kind == EntityKind::Contact)
        .unwrap();
    assert_eq!(
        r.entity_get(c, keys::CONTACT_NAME).unwrap().value(),
        "Jonas Schmidt"
    );
    assert_eq!(
        r.entity_get(c, keys::CONTACT_EMAIL).unwrap().value(),
        "jonas.schmidt@labor-blessing.de"
    );
    assert_eq!(
        r.entity_get(c, keys::CONTACT_PHONE).unwrap().value(),
        "00497731/99560"
    );
    check_spans(&src, r, &ictrp_xml::decode_value, true);
}

#[test]
fn ictrp_lists_and_design() {
    let src = fixture("ictrp-xml/NCT00294671.xml");
    let r = &ictrp_xml::read(&src).unwrap()[0];
    // five identical `;`-separated contacts
    let contacts: Vec<usize> = (0..r.entities.len())
        .filter(|&e| r.entities[e].kind == EntityKind::Contact)
        .collect();
    assert_eq!(contacts.len(), 5);
    for &c in &contacts {
        assert_eq!(
            r.entity_get(c, keys::CONTACT_NAME).unwrap().value(),
            "John L. Berk, MD"
        );
        assert!(r.entity_get(c, keys::CONTACT_EMAIL).is_none());
    }
    check_spans(&src, r, &ictrp_xml::decode_value, true);
}

#[test]
fn ictrp_wrapped_trials() {
    let src = fixture("ictrp-xml/wrapped_NCT01737398_DRKS00015863.xml");
    let recs = source::read(&source::decode("t.xml", src.clone().into_bytes()).unwrap()).unwrap();
    let ids: Vec<_> = recs.iter().map(|r| r.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["NCT01737398", "DRKS00015863"]);
    let r = &recs[0];
    assert_eq!(value(r, keys::ALLOCATION), "Randomized");
    assert_eq!(value(r, keys::INTERVENTION_MODEL), "Parallel Assignment");
    assert!(r.get(keys::MASKING).is_some());
    assert!(r.all(keys::INTERVENTION_TYPE).count() >= 1);
    for r in &recs {
        let s = src_of(&src, r.span);
        assert!(s.starts_with("<Trial>") && s.ends_with("</Trial>"));
        check_spans(&src, r, &ictrp_xml::decode_value, true);
    }
}

// ---------------------------------------------------------------- html

fn read_html(rel: &str) -> (String, Record) {
    let src = fixture(rel);
    assert_eq!(source::detect(&src), source::Format::Html, "{rel}");
    let mut recs = html::read(&src).unwrap();
    assert_eq!(recs.len(), 1);
    let r = recs.remove(0);
    check_spans(&src, &r, &html_decode, false);
    (src, r)
}

#[test]
fn html_ctgov_classic() {
    let (src, r) = read_html("html/NCT03057704.html");
    assert_eq!(r.format, "html:ctgov-classic");
    assert_eq!(r.id.as_deref(), Some("NCT03057704"));
    assert_eq!(
        value(&r, keys::TITLE),
        "Comparison of Two Techniques of IV Lidocaine on Propofol Injection Pain"
    );
    assert_eq!(value(&r, keys::STATUS), "Completed");
    assert_eq!(value(&r, keys::FIRST_POSTED), "February 20, 2017");
    assert_eq!(value(&r, keys::PRIMARY_COMPLETION_DATE), "January 20, 2017");
    assert_eq!(
        value(&r, keys::LEAD_SPONSOR),
        "Wake Forest University Health Sciences"
    );
    let f = r.get(keys::COMPLETION_DATE).unwrap();
    assert_eq!(src_of(&src, f.span()), "January 20, 2017");
}

#[test]
fn html_eu_ctr() {
    let (src, r) = read_html("html/2005-002909-23.html");
    assert_eq!(r.format, "html:eu-ctr");
    assert_eq!(r.id.as_deref(), Some("2005-002909-23"));
    assert_eq!(value(&r, keys::STATUS), "Completed");
    assert_eq!(value(&r, keys::ENROLLMENT), "2420");
    assert_eq!(value(&r, keys::LEAD_SPONSOR), "F Hoffmann La-Roche AG");
    assert_eq!(
        values(&r, keys::PHASE),
        ["Therapeutic confirmatory (Phase III)"]
    );
    assert!(value(&r, keys::OFFICIAL_TITLE).starts_with("Long-term extension study of safety"));
    let el = r.get(keys::ELIGIBILITY).unwrap();
    assert!(el.value().starts_with("1) Completion of treatment"));
    assert!(el
        .value()
        .ends_with("negative urine pregnancy test at baseline."));
    // the ≤ in the criteria is an entity or a character in the HTML; either way it maps back
    let at = el.text.text.find('≤').unwrap();
    let raw = src_of(&src, el.text.span(at, at + '≤'.len_utf8()));
    assert_eq!(xml_text::decode_html(raw, 0).text, "≤");
    assert!(value(&r, "x.exclusion_criteria")
        .starts_with("1) Treatment with any investigational agent"));
}

#[test]
fn html_gsk() {
    let (_src, r) = read_html("html/NCT01435902__gsk-clinical-study-register.html");
    assert_eq!(r.format, "html:gsk");
    assert_eq!(r.id.as_deref(), Some("NCT01435902"));
    assert!(r.get(keys::TITLE).is_some());
    assert!(r.get(keys::ENROLLMENT).is_some());
    assert!(r.get(keys::START_DATE).is_some());
    assert!(value(&r, keys::ELIGIBILITY).contains("Inclusion Criteria"));
    let c = r
        .entities
        .iter()
        .position(|e| e.role.as_deref() == Some("central contact"))
        .unwrap();
    assert!(r.entity_get(c, keys::CONTACT_PHONE).is_some());
}

#[test]
fn html_takeda() {
    let (_src, r) = read_html("html/NCT02024971__takeda-clinical-trials.html");
    assert_eq!(r.format, "html:takeda");
    assert_eq!(r.id.as_deref(), Some("NCT02024971"));
    assert!(r.get(keys::OFFICIAL_TITLE).is_some());
    assert!(r.get(keys::ENROLLMENT).is_some());
    assert!(r.get(keys::START_DATE).is_some());
    assert!(r.get(keys::ELIGIBILITY).is_some());
    assert!(r.get(keys::STATUS).is_some());
}

#[test]
fn html_generic_page_text() {
    let src = fixture("html/hand-made_generic.html");
    let page = html::page_text(&src);
    assert_eq!(
        page.text,
        "A Study of Things – Phase\u{a0}2\nEnrollment: 40\u{a0}participants, aged ≥ 18 years.\nStart\tJanuary 2020\n"
    );
    let at = page.text.find("≥").unwrap();
    assert_eq!(src_of(&src, page.span(at, at + 3)), "&ge;");
    let at = page.text.find("January").unwrap();
    assert_eq!(src_of(&src, page.span(at, at + 12)), "January 2020");
    let recs = html::read(&src).unwrap();
    assert_eq!(recs[0].format, "html:generic");
    let title = recs[0].get("x.page_title").unwrap();
    assert_eq!(title.value(), "Some page");
    assert_eq!(src_of(&src, title.span()), "Some page");
    assert_eq!(recs[0].span, Span::new(0, src.len()));
}

// ---------------------------------------------------------------- corpus

fn corpus_dir(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from("/work/shared/corpus").join(name);
    p.is_dir().then_some(p)
}

/// Read every file of a corpus folder: (files, records, errors).
fn read_corpus(name: &str, check: bool) -> Option<(usize, usize, Vec<String>)> {
    let dir = corpus_dir(name)?;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    paths.sort();
    let (mut files, mut records, mut errors) = (0, 0, Vec::new());
    for p in paths {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        files += 1;
        let sf = match source::decode(&p.display().to_string(), bytes) {
            Ok(s) => s,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        match source::read(&sf) {
            Ok(recs) => {
                for r in &recs {
                    if r.id.is_none() {
                        errors.push(format!("{}: record without id", p.display()));
                    }
                    if check {
                        let dec: &dyn Fn(&str, usize) -> Text = if name == "ictrp-xml" {
                            &ictrp_xml::decode_value
                        } else {
                            &xml_decode
                        };
                        check_spans_opt(&sf.text, r, dec, true, files % 4 == 1);
                    }
                }
                records += recs.len();
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    eprintln!(
        "corpus {name}: {files} files, {records} records, {} errors",
        errors.len()
    );
    Some((files, records, errors))
}

#[test]
fn corpus_ctgov_xml() {
    let Some((files, records, errors)) = read_corpus("ctgov-xml", true) else {
        eprintln!("corpus not present: skipped");
        return;
    };
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(files, records);
}

#[test]
fn corpus_ictrp_xml() {
    let Some((files, records, errors)) = read_corpus("ictrp-xml", true) else {
        return;
    };
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(files, records);
}

#[test]
fn corpus_pages() {
    let Some(dir) = corpus_dir("pages") else {
        return;
    };
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let sf = source::decode(&p.display().to_string(), std::fs::read(&p).unwrap()).unwrap();
        let src = sf.text.clone();
        assert_eq!(
            source::detect(&src),
            source::Format::Html,
            "{}",
            p.display()
        );
        let recs = source::read(&sf).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(recs.len(), 1);
        let r = &recs[0];
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let want = if name.contains("takeda") {
            "html:takeda"
        } else if name.contains("gsk") {
            "html:gsk"
        } else if name.starts_with("NCT") {
            "html:ctgov-classic"
        } else {
            "html:eu-ctr"
        };
        assert_eq!(r.format, want, "{name}");
        let expect_id = name.split("__").next().unwrap().trim_end_matches(".html");
        // A Takeda page named by its EudraCT number is read by its NCT number.
        let id = r.id.as_deref().unwrap_or_else(|| panic!("{name}: no id"));
        assert!(id == expect_id || src.contains(expect_id), "{name}: {id}");
        check_spans(&src, r, &html_decode, false);
        n += 1;
    }
    eprintln!("corpus pages: {n} files, {n} records, 0 errors");
}

// ---------------------------------------------------------------- robustness

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    fn pieces() -> impl Strategy<Value = String> {
        let atoms = prop::sample::select(vec![
            "<",
            ">",
            "</",
            "/>",
            "<a>",
            "</a>",
            "<clinical_study>",
            "</clinical_study>",
            "<Trial>",
            "</Trial>",
            "<textblock>",
            "</textblock>",
            "<![CDATA[",
            "]]>",
            "<!--",
            "-->",
            "<!DOCTYPE x [",
            "]>",
            "&",
            "&amp;",
            "&#x",
            "&#",
            ";",
            "&nbsp;",
            "\"",
            "'",
            "=",
            " type=\"Actual\"",
            "é",
            "≥",
            "\u{a0}",
            "\n",
            "\t",
            " ",
            "<br>",
            "&lt;br&gt;",
            "<td>",
            "<tr>",
            "<script>",
            "</script>",
            "<head>",
            "<pre>",
            "Label:",
            "\tvalue",
            "EudraCT Number:",
            "ClinicalTrials.gov Identifier:",
            "Takeda Trial ID",
            "x",
            "18 Years",
            ";",
        ]);
        prop::collection::vec(atoms, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn readers_never_panic(s in pieces()) {
            let _ = ctgov_xml::read(&s);
            let _ = ictrp_xml::read(&s);
            if let Ok(recs) = html::read(&s) {
                for r in &recs {
                    for f in &r.fields {
                        let sp = f.span();
                        prop_assert!(sp.end <= s.len() && s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
                    }
                }
            }
            let t = xml_text::decode_html_folded(&s, 0);
            let _ = t.whole_span();
        }

        #[test]
        fn truncated_fixtures_never_panic(cut in 0usize..16_000, which in 0usize..3) {
            let src = match which {
                0 => fixture("ctgov-xml/NCT00001160.xml"),
                1 => fixture("ictrp-xml/DRKS00015863.xml"),
                _ => fixture("html/NCT02024971__takeda-clinical-trials.html"),
            };
            let mut cut = cut.min(src.len());
            while !src.is_char_boundary(cut) {
                cut -= 1;
            }
            let s = &src[..cut];
            let _ = ctgov_xml::read(s);
            let _ = ictrp_xml::read(s);
            let _ = html::read(s);
        }
    }
}

#[test]
fn html_ctgov_classic_study_table_labels() {
    // Hand-made: the rows of a classic study page's design and eligibility tables.
    let src = "<html><body><h1>A Trial of X</h1><p>The safety and scientific validity of this study is the responsibility of the study sponsor.</p>\
        <div>ClinicalTrials.gov Identifier: NCT01234567</div><table>\
        <tr><th>Actual Enrollment&nbsp;:</th><td>40 participants</td></tr>\
        <tr><th>Actual Study Start Date :</th><td>March 1, 2015</td></tr>\
        <tr><th>Estimated Primary Completion Date :</th><td>June 2019</td></tr>\
        <tr><th>Ages Eligible for Study:</th><td>18 Years to 65 Years &nbsp; (Adult, Older Adult)</td></tr>\
        <tr><th>Sexes Eligible for Study:</th><td>All</td></tr>\
        <tr><th>Allocation:</th><td>Randomized</td></tr>\
        <tr><th>Masking:</th><td>None (Open Label)</td></tr></table></body></html>";
    let r = &html::read(src).unwrap()[0];
    assert_eq!(r.format, "html:ctgov-classic");
    assert_eq!(r.id.as_deref(), Some("NCT01234567"));
    assert_eq!(value(r, keys::TITLE), "A Trial of X");
    let en = r.get(keys::ENROLLMENT).unwrap();
    assert_eq!(en.value(), "40 participants");
    assert_eq!(en.qualifier.as_ref().unwrap().text, "Actual");
    let sd = r.get(keys::START_DATE).unwrap();
    assert_eq!(
        (sd.value(), sd.qualifier.as_ref().unwrap().text.as_str()),
        ("March 1, 2015", "Actual")
    );
    let pc = r.get(keys::PRIMARY_COMPLETION_DATE).unwrap();
    assert_eq!(pc.qualifier.as_ref().unwrap().text, "Estimated");
    assert_eq!(value(r, keys::MIN_AGE), "18 Years");
    assert_eq!(value(r, keys::MAX_AGE), "65 Years");
    assert_eq!(value(r, keys::SEX), "All");
    assert_eq!(value(r, keys::ALLOCATION), "Randomized");
    assert_eq!(value(r, keys::MASKING), "None (Open Label)");
    let f = r.get(keys::MAX_AGE).unwrap();
    assert_eq!(src_of(src, f.span()), "65 Years");
    let groups: Vec<&str> = r
        .all(keys::AGE_GROUP)
        .map(|f| src_of(src, f.span()))
        .collect();
    assert_eq!(groups, vec!["Adult", "Older Adult"]);
    check_spans(src, r, &html_decode, false);
}
