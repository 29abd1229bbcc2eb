//! `[[government]]`: expanded by `count`, with citizens, opinion ranges, ideals, policies,
//! the numbers of [`GovernmentKey`], the ambassador, the co-regulated issues and the peers;
//! and the bound on the opinion values every run would hold.

use super::roster::expand_ids;
use super::{MAX_CITIZENS, Resolver, Rosters};
use crate::scenario::keys::{GovernmentKey, Level};
use crate::scenario::raw::{KeyMap, Number, Param, RawGovernment, Sp};

/// The `opinion` table as written.
type OpinionMap = KeyMap<Sp<Vec<Sp<Number>>>>;
use crate::scenario::{
    Government, GovernmentKind, GovernmentValues, Issue, MAX_OPINION_VALUES, Members,
};

/// The governments in file order, `count` expanded.
pub(super) fn resolve(
    r: &mut Resolver,
    raw: &[Sp<RawGovernment>],
    issues: &[Issue],
    rosters: &Rosters,
) -> Vec<Government> {
    let gov_roster = &rosters.governments;
    let issue_roster = &rosters.issues;
    let k_count = issues.len();
    let mut governments = Vec::with_capacity(gov_roster.len());
    let mut opinion_values: u64 = 0;
    let mut memory_reported = false;
    for (entry, e) in raw.iter().enumerate() {
        let e = &e.value;
        let kind = kind(r, &e.kind);
        let citizens = match &e.citizens {
            Some(c) => r.int(c, "citizens", 2, MAX_CITIZENS) as u32,
            None => {
                r.err(
                    e.id.at,
                    format!(
                        "government \"{}\" has no citizens, which is required",
                        e.id.value
                    ),
                );
                2
            }
        };
        let opinion = opinion(r, &e.opinion, issues);
        let ideal: Vec<Param> = r
            .issue_map(&e.ideal, "ideal", issues)
            .into_iter()
            .map(|p| p.unwrap_or(Param::Fixed(0.5)))
            .collect();
        let policy = r.issue_map(&e.policy, "policy", issues);
        let values = GovernmentValues::from_fn(|k: GovernmentKey| {
            let v = match k {
                GovernmentKey::Responsiveness => &e.responsiveness,
                GovernmentKey::Susceptibility => &e.susceptibility,
                GovernmentKey::Adjustment => &e.adjustment,
                GovernmentKey::Capacity => &e.capacity,
                GovernmentKey::Trust => &e.trust,
                GovernmentKey::MarketSize => &e.market_size,
            };
            r.number(v, k.name(), k.range(), k.default_value(), &e.id)
        });
        let ambassador = match &e.ambassador {
            None => Level::None,
            Some(a) => Level::from_name(&a.value).unwrap_or_else(|| {
                r.err(
                    a.at,
                    format!(
                        "ambassador must be none, observer, consultative or equal, got \"{}\"",
                        a.value
                    ),
                );
                Level::None
            }),
        };
        let coregulate = match &e.coregulate {
            None => 0,
            Some(list) => issue_roster
                .members(r, list, "coregulate")
                .iter()
                .fold(0u64, |mask, k| mask | 1 << k),
        };
        let peers = match &e.peers {
            None => Members::all(gov_roster.len()),
            Some(list) => gov_roster.members(r, list, "peers"),
        };
        let count = gov_roster.counts[entry];
        opinion_values += citizens as u64 * k_count as u64 * count as u64;
        if opinion_values > MAX_OPINION_VALUES && !memory_reported {
            memory_reported = true;
            r.err(
                e.id.at,
                format!(
                    "the citizens would hold {opinion_values} opinion values by this entry \
                     (citizens x issues over all governments, {:.1} GB); at most \
                     {MAX_OPINION_VALUES} are allowed",
                    opinion_values as f64 * 8.0 / 1e9
                ),
            );
        }
        if count > 0 && !memory_reported {
            for id in expand_ids(&e.id.value, count) {
                governments.push(Government {
                    id,
                    entry: e.id.value.clone(),
                    kind,
                    citizens,
                    opinion: opinion.clone(),
                    ideal: ideal.clone(),
                    policy: policy.clone(),
                    values: values.clone(),
                    ambassador,
                    coregulate,
                    peers: peers.clone(),
                });
            }
        }
    }

    governments
}

/// `kind`: a label, national by default.
fn kind(r: &mut Resolver, kind: &Option<Sp<String>>) -> GovernmentKind {
    match kind {
        None => GovernmentKind::National,
        Some(k) => match k.value.as_str() {
            "national" => GovernmentKind::National,
            "city" => GovernmentKind::City,
            "supranational" => GovernmentKind::Supranational,
            other => {
                r.err(
                    k.at,
                    format!("kind must be national, city or supranational, got \"{other}\""),
                );
                GovernmentKind::National
            }
        },
    }
}

/// `opinion`: per issue, the range initial opinions are drawn from, [0, 1] by default.
fn opinion(r: &mut Resolver, map: &Option<OpinionMap>, issues: &[Issue]) -> Vec<(f64, f64)> {
    let mut opinion = vec![(0.0, 1.0); issues.len()];
    if let Some(map) = map {
        for (issue, bounds) in &map.0 {
            let Some(k) = issues.iter().position(|i| i.id == issue.value) else {
                r.err(
                    issue.at,
                    format!(
                        "opinion names issue \"{}\", but no issue has that id{}",
                        issue.value,
                        crate::scenario::suggest::unknown_id(
                            &issue.value,
                            issues.iter().map(|i| i.id.as_str())
                        )
                    ),
                );
                continue;
            };
            match bounds.value.as_slice() {
                [lo, hi] if 0.0 <= lo.value.0 && lo.value.0 <= hi.value.0 && hi.value.0 <= 1.0 => {
                    opinion[k] = (lo.value.0, hi.value.0)
                }
                [lo, hi] => r.err(
                    bounds.at,
                    format!(
                        "opinion.{} must be [lo, hi] with 0 <= lo <= hi <= 1, got [{}, {}]",
                        issue.value, lo.value.0, hi.value.0
                    ),
                ),
                other => r.err(
                    bounds.at,
                    format!(
                        "opinion.{} must be two numbers [lo, hi], got {} values",
                        issue.value,
                        other.len()
                    ),
                ),
            }
        }
    }
    opinion
}
