//! Readers for page text copied from ClinicalTrials.gov and mirror sites.

use crate::record::Record;
use crate::span::Text;

/// Read a plain-text page.
pub fn read_text(s: &str) -> Record {
    read_page(&Text::verbatim(s, 0))
}

/// Read page text (plain or extracted from HTML) into a record.
pub fn read_page(_page: &Text) -> Record {
    Record::new("text:generic")
}
