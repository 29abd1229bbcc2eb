//! `[[event]]`: resolved, sorted by round (file order within a round), then applied in round
//! order to a copy of the scenario so that no event can break a rule that involves several
//! keys at run time.

use super::Resolver;
use super::rules::{shares_rule, stakes_rule};
use crate::scenario::keys::Range;
use crate::scenario::paths::{self, SetOp};
use crate::scenario::raw::{Loc, RawEvent, Sp};
use crate::scenario::{Event, Scandal, Scenario};

/// The events of a scenario whose other tables are valid.
pub(super) fn resolve(r: &mut Resolver, raw: &[Sp<RawEvent>], scenario: &Scenario) -> Vec<Event> {
    let top = r.top;
    let rounds = i64::from(scenario.rounds);
    let mut events: Vec<(Event, Vec<Loc>)> = Vec::new();
    for e in raw {
        let round = r.int(&e.value.round, "round", 1, rounds) as u32;
        if e.value.set.is_none() && e.value.scandal.is_none() {
            r.err(e.value.round.at, "an event needs set, scandal or both");
        }
        let mut sets = Vec::new();
        let mut locs = Vec::new();
        for (path, value) in e.value.set.iter().flat_map(|s| &s.0) {
            if paths::is_relative(&path.value) {
                r.err(
                    path.at,
                    format!(
                        "\"{}\": the relative form PATH*=X is for the command line (--set, \
                         sweeps and sensitivity), not for a scenario file's set; give the value",
                        path.value
                    ),
                );
                continue;
            }
            let target = match paths::resolve(&path.value, scenario) {
                Ok(t) => t,
                Err(msg) => {
                    r.err(path.at, msg);
                    continue;
                }
            };
            match target.value(&value.value) {
                Ok(v) => {
                    sets.push(SetOp {
                        path: path.value.clone(),
                        target,
                        value: v,
                    });
                    locs.push(path.at);
                }
                Err(msg) => r.err(value.at, format!("{}: {msg}", path.value)),
            }
        }
        let scandal = e.value.scandal.as_ref().and_then(|s| {
            let issue = scenario
                .issues
                .iter()
                .position(|i| i.id == s.value.issue.value);
            if issue.is_none() {
                r.err(
                    s.value.issue.at,
                    format!(
                        "scandal names issue \"{}\", but no issue has that id{}",
                        s.value.issue.value,
                        crate::scenario::suggest::unknown_id(
                            &s.value.issue.value,
                            scenario.issues.iter().map(|i| i.id.as_str())
                        )
                    ),
                );
            }
            let size = s.value.size.value.0;
            if !Range::UNIT.contains(size) {
                r.err(
                    s.value.size.at,
                    format!("scandal size must be between 0 and 1, got {size}"),
                );
            }
            Some(Scandal {
                issue: issue?,
                size,
            })
        });
        events.push((
            Event {
                round,
                sets,
                scandal,
            },
            locs,
        ));
    }
    events.sort_by_key(|(e, _)| e.round);
    let mut probe = scenario.clone();
    for (e, locs) in &events {
        for op in &e.sets {
            paths::apply(&mut probe, &op.target, &op.value);
        }
        if let Some(msg) = stakes_rule(&probe).or_else(|| shares_rule(&probe)) {
            let at = locs.first().copied().unwrap_or(top);
            r.err(at, format!("after the event of round {}: {msg}", e.round));
        }
    }
    events.into_iter().map(|(e, _)| e).collect()
}
