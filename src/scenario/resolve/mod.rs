//! Validation of a merged raw scenario into a resolved [`Scenario`]: defaults filled, ids
//! turned into indices, `count` expanded, every range and reference checked, and the rules
//! that involve several keys checked after each event. Every problem found is collected, so
//! one `check` shows them all. One file per table: `issues`, `governments`, `firms`, `ngos`,
//! `model`, `events`; `roster` holds the ids and the lists that refer to them, `rules` the
//! checks that involve several keys.

mod events;
mod firms;
mod governments;
mod issues;
mod model;
mod ngos;
mod roster;
mod rules;

use super::keys::Range;
use super::paths::check_param;
use super::raw::{KeyMap, Loc, Param, RawFile, Sp, Whole};
use super::{Issue, Problem, Scenario};
use roster::Roster;

pub use roster::valid_id;
pub use rules::{shares_rule, stakes_rule};

pub(super) const MAX_ROUNDS: i64 = 1_000_000;
pub(super) const MAX_RUNS: i64 = 1_000_000_000;
pub(super) const MAX_ISSUES: usize = 64;
pub(super) const MAX_AGENTS: i64 = 100_000;
pub(super) const MAX_CITIZENS: i64 = 10_000_000;

/// Collects the problems of one scenario while its tables are resolved.
pub(super) struct Resolver {
    problems: Vec<Problem>,
    /// Where to point problems that belong to no key (line 1 of the top file).
    top: Loc,
}

/// The ids of every kind, so that lists can refer to agents declared later in the file.
pub(super) struct Rosters {
    governments: Roster,
    firms: Roster,
    ngos: Roster,
    issues: Roster,
}

/// `[scenario]` and `[experiment]`.
struct Header {
    name: String,
    description: String,
    rounds: i64,
    runs: i64,
    seed: i64,
}

fn header(r: &mut Resolver, raw: &RawFile) -> Header {
    let mut h = Header {
        name: String::new(),
        description: String::new(),
        rounds: 1,
        runs: 1000,
        seed: 0,
    };
    match &raw.scenario {
        None => r.err(
            r.top,
            "the file has no [scenario] table; it needs name and rounds",
        ),
        Some(sc) => {
            match &sc.value.name {
                Some(n) => h.name = n.value.clone(),
                None => r.err(sc.at, "[scenario] has no name, which is required"),
            }
            if let Some(d) = &sc.value.description {
                h.description = d.value.clone();
            }
            match &sc.value.rounds {
                Some(v) => h.rounds = r.int(v, "rounds", 1, MAX_ROUNDS),
                None => r.err(sc.at, "[scenario] has no rounds, which is required"),
            }
        }
    }
    if let Some(ex) = &raw.experiment {
        if let Some(v) = &ex.runs {
            h.runs = r.int(v, "runs", 1, MAX_RUNS);
        }
        if let Some(v) = &ex.seed {
            h.seed = r.int(v, "seed", 0, i64::MAX);
        }
    }
    h
}

/// Validates a merged scenario. `top` is where problems with no key of their own point.
pub fn resolve(raw: RawFile, top: Loc) -> Result<Scenario, Vec<Problem>> {
    let mut r = Resolver {
        problems: Vec::new(),
        top,
    };
    let head = header(&mut r, &raw);
    let (issues, antitrust) = issues::resolve(&mut r, &raw.issue);
    let rosters = Rosters {
        governments: roster::roster(&mut r, "government", &raw.government, |e| &e.count),
        firms: roster::roster(&mut r, "firm", &raw.firm, |e| &e.count),
        ngos: roster::roster(&mut r, "ngo", &raw.ngo, |e| &e.count),
        issues: Roster::of_issues(&issues),
    };
    if raw.government.is_empty() {
        r.err(top, "a scenario needs at least one [[government]]");
    }
    let governments = governments::resolve(&mut r, &raw.government, &issues, &rosters);
    let firms = firms::resolve(&mut r, &raw.firm, &issues, &rosters);
    let ngos = ngos::resolve(&mut r, &raw.ngo, &issues, &rosters);
    let model = model::resolve_model(&mut r, raw.model.as_ref());
    let mut scenario = Scenario {
        name: head.name,
        description: head.description,
        rounds: head.rounds as u32,
        runs: head.runs as u64,
        seed: head.seed as u64,
        issues,
        antitrust,
        governments,
        firms,
        ngos,
        model,
        events: Vec::new(),
    };
    if let Some(m) = &raw.model {
        model::check_stakes(&mut r, m, &scenario);
    }
    if r.problems.is_empty() {
        scenario.events = events::resolve(&mut r, &raw.event, &scenario);
    }
    if r.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(r.problems)
    }
}

impl Resolver {
    pub(super) fn err(&mut self, at: Loc, message: impl Into<String>) {
        self.problems.push(Problem::at(at, message));
    }

    pub(super) fn int(&mut self, v: &Sp<Whole>, key: &str, lo: i64, hi: i64) -> i64 {
        let x = v.value.0;
        if x < lo || x > hi {
            self.err(
                v.at,
                format!("{key} must be between {lo} and {hi}, got {x}"),
            );
            return lo;
        }
        x
    }

    pub(super) fn param(&mut self, v: &Sp<Param>, key: &str, range: Range) -> Param {
        match check_param(v.value, range) {
            Ok(()) => v.value,
            Err(e) => {
                self.err(v.at, format!("{key}: {e}"));
                Param::Fixed(range_default(range))
            }
        }
    }

    /// A required or defaulted number.
    pub(super) fn number(
        &mut self,
        v: &Option<Sp<Param>>,
        key: &str,
        range: Range,
        default: Option<f64>,
        owner: &Sp<String>,
    ) -> Param {
        match (v, default) {
            (Some(v), _) => self.param(v, key, range),
            (None, Some(d)) => Param::Fixed(d),
            (None, None) => {
                self.err(
                    owner.at,
                    format!("\"{}\" has no {key}, which is required", owner.value),
                );
                Param::Fixed(range_default(range))
            }
        }
    }

    pub(super) fn id(&mut self, id: &Sp<String>) {
        if !roster::valid_id(&id.value) {
            self.err(
                id.at,
                format!("ids must match [a-z0-9][a-z0-9_-]*, got \"{}\"", id.value),
            );
        }
    }

    /// A per-issue map (`ideal`, `policy`): issue ids to numbers in [0, 1].
    pub(super) fn issue_map(
        &mut self,
        map: &Option<KeyMap<Sp<Param>>>,
        key: &str,
        issues: &[Issue],
    ) -> Vec<Option<Param>> {
        let mut out = vec![None; issues.len()];
        if let Some(map) = map {
            for (issue, v) in &map.0 {
                match issues.iter().position(|i| i.id == issue.value) {
                    Some(k) => {
                        out[k] = Some(self.param(v, &format!("{key}.{}", issue.value), Range::UNIT))
                    }
                    None => self.err(
                        issue.at,
                        format!(
                            "{key} names issue \"{}\", but no issue has that id{}",
                            issue.value,
                            crate::scenario::suggest::unknown_id(
                                &issue.value,
                                issues.iter().map(|i| i.id.as_str())
                            )
                        ),
                    ),
                }
            }
        }
        out
    }

    pub(super) fn count(&mut self, count: &Option<Sp<Whole>>) -> i64 {
        match count {
            Some(c) => self.int(c, "count", 1, MAX_AGENTS),
            None => 1,
        }
    }
}

/// A value inside `range`, used in place of a bad one so that checking can go on.
fn range_default(range: Range) -> f64 {
    match range {
        Range::Closed(lo, _) => lo,
        Range::OpenClosed(_, hi) => hi,
        Range::Positive => 1.0,
        Range::NonNegative => 0.0,
    }
}
