//! The kinds: small functions over facts, each running many checks.
//! One module per kind; `build` turns a check file's `[params]` into a
//! ready-to-run kind, so bad parameters fail at load time.

pub mod agree;
pub mod bands;
pub mod common;
pub mod count;
pub mod date_status;
pub mod defined_term;
pub mod distinct_owner;
pub mod email_owner;
pub mod exclusive;
pub mod implies;
pub mod numbering;
pub mod order;
pub mod pattern;
pub mod phone_parse;
pub mod phone_plan;
pub mod phone_valid;
pub mod required;
pub mod same;
pub mod schedule;
pub mod similar;
pub mod timeline;

use super::Kind;
use serde::de::DeserializeOwned;

/// Every kind a check file may name.
pub const NAMES: &[&str] = &[
    "agree",
    "order",
    "distinct-owner",
    "similar",
    "exclusive",
    "date-status",
    "timeline",
    "count",
    "pattern",
    "required",
    "implies",
    "same",
    "phone-valid",
    "email-owner",
    "numbering",
    "defined-term",
    "schedule",
    "bands",
];

/// Why a kind could not be built from a check's parameters.
#[derive(Debug)]
pub enum BuildError {
    UnknownKind,
    Params(String),
}

/// Deserialize a kind's parameters, rejecting unknown keys.
pub fn params<T: DeserializeOwned>(table: &toml::Table) -> Result<T, BuildError> {
    toml::Value::Table(table.clone())
        .try_into()
        .map_err(|e: toml::de::Error| BuildError::Params(e.message().to_string()))
}

/// Build the kind `name` from a check's parameters.
pub fn build(name: &str, table: &toml::Table) -> Result<Box<dyn Kind>, BuildError> {
    match name {
        "agree" => agree::build(table),
        "order" => order::build(table),
        "distinct-owner" => distinct_owner::build(table),
        "similar" => similar::build(table),
        "exclusive" => exclusive::build(table),
        "date-status" => date_status::build(table),
        "timeline" => timeline::build(table),
        "count" => count::build(table),
        "phone-valid" => phone_valid::build(table),
        "email-owner" => email_owner::build(table),
        "numbering" => numbering::build(table),
        "defined-term" => defined_term::build(table),
        "pattern" => pattern::build(table),
        "required" => required::build(table),
        "implies" => implies::build(table),
        "same" => same::build(table),
        "schedule" => schedule::build(table),
        "bands" => bands::build(table),
        _ => Err(BuildError::UnknownKind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_kind_is_built() {
        for name in NAMES {
            assert!(
                !matches!(
                    build(name, &toml::Table::new()),
                    Err(BuildError::UnknownKind)
                ),
                "{name} is listed but not built"
            );
        }
        assert!(matches!(
            build("no-such-kind", &toml::Table::new()),
            Err(BuildError::UnknownKind)
        ));
    }
}
