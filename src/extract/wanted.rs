//! Which shipped extractors a run needs: those that give a fact some
//! loaded check reads.
//!
//! Each check knows the fact names it reads (`Kind::reads`); a check is
//! given its [`Wanted`] when it is loaded, and a record is read by the
//! extractors the checks of the run want between them. With the shipped
//! checks that leaves out the time frames of primary outcomes, which no
//! shipped check reads (a regex over every time frame, about 1% of a
//! run's instructions); with `--select` of a few checks, most of the
//! extraction. User extractors always run: their facts are the user's.

#[cfg(test)]
use super::names;
use super::SHIPPED;

/// A set of the shipped extractors ([`SHIPPED`]), by their index there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wanted(u32);

// one bit per shipped extractor
const _: () = assert!(SHIPPED.len() <= 32);

impl Wanted {
    /// Every shipped extractor (what a caller that does not know which
    /// facts it will read asks for).
    pub const ALL: Wanted = Wanted(u32::MAX);
    pub const NONE: Wanted = Wanted(0);

    /// The extractors that give one of `read` (fact names; those no shipped
    /// extractor gives, a user extractor's, want none).
    pub fn giving<S: AsRef<str>>(read: &[S]) -> Wanted {
        let mut bits = 0;
        for (i, e) in SHIPPED.iter().enumerate() {
            if read.iter().any(|r| e.gives.contains(&r.as_ref())) {
                bits |= 1 << i;
            }
        }
        Wanted(bits)
    }

    /// The extractors either set wants.
    pub fn or(self, other: Wanted) -> Wanted {
        Wanted(self.0 | other.0)
    }

    /// Whether the extractor at this index of [`SHIPPED`] is wanted.
    pub fn has(self, index: usize) -> bool {
        self.0 >> index & 1 != 0
    }

    /// Whether the extractor named `name` in [`SHIPPED`] is wanted.
    #[cfg(test)]
    pub fn has_named(self, name: &str) -> bool {
        SHIPPED
            .iter()
            .position(|e| e.name == name)
            .is_some_and(|i| self.has(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;

    /// Every record of every fixture file, of every format.
    fn fixture_records() -> Vec<Record> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut records = Vec::new();
        for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let input = crate::engine::Input::Path(e.path().display().to_string());
            let Ok(src) = crate::engine::load(&input) else {
                continue;
            };
            if let Ok(r) = crate::source::read(&src) {
                records.extend(r);
            }
        }
        assert!(
            records.len() > 100,
            "only {} fixture records",
            records.len()
        );
        records
    }

    /// Each shipped extractor gives only facts of its names (so that
    /// leaving it out loses no other name), and each gives some on the
    /// fixtures.
    #[test]
    fn each_extractor_gives_only_its_names() {
        let records = fixture_records();
        for (i, e) in SHIPPED.iter().enumerate() {
            let mut given = 0;
            for r in &records {
                for f in super::super::extract_for(r, Wanted(1 << i)) {
                    assert!(
                        e.gives.contains(&f.name.as_ref()),
                        "{} gave {}",
                        e.name,
                        f.name
                    );
                    given += 1;
                }
            }
            assert!(given > 0, "{} gave nothing on the fixtures", e.name);
        }
    }

    /// Each shipped check finds on every fixture record what it finds when
    /// every extractor runs: what it reads (`Kind::reads`, from which its
    /// `wants` is made) names every fact it reads.
    #[test]
    fn each_check_needs_only_what_it_reads() {
        let records = fixture_records();
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let mut found = 0;
        for check in crate::check::catalogue::shipped().unwrap() {
            let one = std::slice::from_ref(&check);
            for r in &records {
                let all = crate::engine::check_record_wanting(r, one, as_of, 0, &[], Wanted::ALL);
                let own = crate::engine::check_record_wanting(r, one, as_of, 0, &[], check.wants);
                assert_eq!(own, all, "{}", check.name);
                found += all.len();
            }
        }
        assert!(found > 100, "only {found} findings on the fixtures");
    }

    #[test]
    fn every_shipped_name_has_one_extractor() {
        for name in names::ALL {
            let givers: Vec<&str> = SHIPPED
                .iter()
                .filter(|e| e.gives.contains(name))
                .map(|e| e.name)
                .collect();
            assert_eq!(givers.len(), 1, "{name}: {givers:?}");
        }
        let listed: usize = SHIPPED.iter().map(|e| e.gives.len()).sum();
        assert_eq!(listed, names::ALL.len());
    }

    #[test]
    fn giving_picks_the_extractors_of_the_names() {
        let w = Wanted::giving(&[names::PRIMARY_TIME_FRAME, "user.fact"]);
        assert!(w.has_named("time_frames"));
        assert!(!w.has_named("enrollment_periods"));
        assert!(!w.has_named("counts"));
        assert_eq!(Wanted::giving::<&str>(&[]), Wanted::NONE);
        let both = w.or(Wanted::giving(&[names::SEX]));
        assert!(both.has_named("sex") && both.has_named("time_frames"));
        assert!(Wanted::ALL.has_named("age_groups"));
    }
}
