//! Readers for page text copied from ClinicalTrials.gov and mirror sites.
//!
//! The layout is detected from the content (distinctive headings and label
//! shapes, never the file name):
//!
//! | layout                    | what it looks like                                            |
//! |---------------------------|---------------------------------------------------------------|
//! | `text:ctgov-classic`      | classic ClinicalTrials.gov tabular view: `Label : \| value \|` rows |
//! | `text:basic-information`  | mirror: "Basic Information", "Study Groups"; label line, blank, value |
//! | `text:study-overview`     | mirror of the new ClinicalTrials.gov page: "Study Overview", "Participation Criteria", `•` bullets |
//! | `text:trial-details`      | mirror: "Clinical Trial Details — Status", `Label value` on one line |
//! | `text:generic`            | anything else: what can be found in free text                 |
//!
//! Every field text is a slice of the input [`Text`], so spans stay right
//! when the text was extracted from HTML with an offset map.

mod basic_information;
mod ctgov_classic;
mod generic;
pub mod lines;
mod study_overview;
mod trial_details;

use crate::record::Record;
use crate::span::Text;
use lines::{split_lines, Line};

/// The page-text layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    CtgovClassic,
    BasicInformation,
    StudyOverview,
    TrialDetails,
    Generic,
}

impl Layout {
    pub fn format(self) -> &'static str {
        match self {
            Layout::CtgovClassic => "text:ctgov-classic",
            Layout::BasicInformation => "text:basic-information",
            Layout::StudyOverview => "text:study-overview",
            Layout::TrialDetails => "text:trial-details",
            Layout::Generic => "text:generic",
        }
    }
}

/// Read a plain-text page.
pub fn read_text(s: &str) -> Record {
    read_page(&Text::verbatim(s, 0))
}

/// Read page text (plain or extracted from HTML) into a record.
pub fn read_page(page: &Text) -> Record {
    let lines = split_lines(&page.text);
    match detect_layout(&page.text, &lines) {
        Layout::CtgovClassic => ctgov_classic::read(page, &lines),
        Layout::BasicInformation => basic_information::read(page, &lines),
        Layout::StudyOverview => study_overview::read(page, &lines),
        Layout::TrialDetails => trial_details::read(page, &lines),
        Layout::Generic => generic::read(page, &lines),
    }
}

/// Which layout a page text has, by its headings and label shapes.
pub fn detect(s: &str) -> Layout {
    detect_layout(s, &split_lines(s))
}

fn detect_layout(s: &str, lines: &[Line]) -> Layout {
    const BASIC: &[&str] = &[
        "Basic Information",
        "Recruitment Status",
        "Clinical Phase",
        "Total Enrollment",
        "Study Classification",
        "Study Groups",
        "Central Contacts",
        "Facility Contacts",
        "Other Intervention Names",
        "Blinding Strategy",
    ];
    const OVERVIEW: &[&str] = &[
        "Study Overview",
        "Participation Criteria",
        "Contacts and Locations",
        "Study Plan",
        "Design Details",
        "Arms and Interventions",
        "Study record dates",
        "Study Major Dates",
        "Ages Eligible for Study",
        "Collaborators and Investigators",
    ];
    const DETAILS: &[&str] = &[
        "Administrative data",
        "Study information",
        "Clinical Trial Summary",
        "Recruitment information / eligibility",
        "Country where clinical trial is conducted",
    ];
    let mut basic = 0;
    let mut overview = 0;
    let mut details = 0;
    let mut classic = 0;
    for l in lines {
        let t = l.text(s);
        if BASIC.iter().any(|h| t.eq_ignore_ascii_case(h)) {
            basic += 1;
        }
        if OVERVIEW.iter().any(|h| t.eq_ignore_ascii_case(h)) {
            overview += 1;
        }
        if DETAILS.iter().any(|h| t.eq_ignore_ascii_case(h))
            || t.starts_with("Clinical Trial Details")
            || t.starts_with("NCT number ")
            || t.starts_with("Other study ID #")
        {
            details += 1;
        }
        if ctgov_classic::is_label_row(t) || t.starts_with("ClinicalTrials.gov Identifier:") {
            classic += 1;
        }
    }
    // Classic rows are counted line by line, so they need a higher bar.
    let classic = classic / 2;
    let best = [
        (classic, Layout::CtgovClassic),
        (basic, Layout::BasicInformation),
        (overview, Layout::StudyOverview),
        (details, Layout::TrialDetails),
    ]
    .into_iter()
    .max_by_key(|(n, _)| *n)
    .unwrap_or((0, Layout::Generic));
    if best.0 >= 3 {
        best.1
    } else {
        Layout::Generic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_generic() {
        assert_eq!(detect(""), Layout::Generic);
        assert_eq!(
            detect("Study Overview\nStatus\nRecruiting"),
            Layout::Generic
        );
        assert_eq!(detect("NCT01234567\nEnrollment: 120"), Layout::Generic);
    }
}
