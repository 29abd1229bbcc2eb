//! `[[ngo]]`: expanded by `count`, with the numbers of [`NgoKey`] (whose three shares sum to
//! at most 1), ideals, focus issues and targets.

use super::roster::expand_ids;
use super::rules::{SUM_SLACK, round12};
use super::{Resolver, Rosters};
use crate::scenario::keys::NgoKey;
use crate::scenario::raw::{Param, RawNgo, Sp};
use crate::scenario::{Issue, Ngo, NgoValues};

/// The NGOs in file order, `count` expanded.
pub(super) fn resolve(
    r: &mut Resolver,
    raw: &[Sp<RawNgo>],
    issues: &[Issue],
    rosters: &Rosters,
) -> Vec<Ngo> {
    let (gov_roster, ngo_roster, issue_roster) =
        (&rosters.governments, &rosters.ngos, &rosters.issues);
    let mut ngos = Vec::with_capacity(ngo_roster.len());
    for (entry, e) in raw.iter().enumerate() {
        let e = &e.value;
        let values = NgoValues::from_fn(|k: NgoKey| {
            let v = match k {
                NgoKey::Budget => &e.budget,
                NgoKey::CampaignShare => &e.campaign_share,
                NgoKey::AdvocacyShare => &e.advocacy_share,
                NgoKey::WatchdogShare => &e.watchdog_share,
            };
            r.number(v, k.name(), k.range(), k.default_value(), &e.id)
        });
        let shares =
            values.campaign_share.hi() + values.advocacy_share.hi() + values.watchdog_share.hi();
        if shares > 1.0 + SUM_SLACK {
            let at = [&e.campaign_share, &e.advocacy_share, &e.watchdog_share]
                .into_iter()
                .flatten()
                .last()
                .map_or(e.id.at, |v| v.at);
            r.err(
                at,
                format!(
                    "campaign_share + advocacy_share + watchdog_share must be at most 1 (upper bounds), got {}",
                    round12(shares)
                ),
            );
        }
        let ideal: Vec<Param> = r
            .issue_map(&e.ideal, "ideal", issues)
            .into_iter()
            .map(|p| p.unwrap_or(Param::Fixed(0.8)))
            .collect();
        let focus = issue_roster
            .list_or_all(r, &e.focus, "focus", "NGO")
            .iter()
            .fold(0u64, |m, k| m | 1 << k);
        let targets = gov_roster.list_or_all(r, &e.targets, "targets", "NGO");
        let count = ngo_roster.counts[entry];
        if count > 0 {
            for id in expand_ids(&e.id.value, count) {
                ngos.push(Ngo {
                    id,
                    entry: e.id.value.clone(),
                    values: values.clone(),
                    ideal: ideal.clone(),
                    focus,
                    targets: targets.clone(),
                });
            }
        }
    }

    ngos
}
