//! `[[firm]]`: expanded by `count`, with the numbers of [`FirmKey`], ideals and markets.

use super::roster::expand_ids;
use super::{Resolver, Rosters};
use crate::scenario::keys::FirmKey;
use crate::scenario::raw::{Param, RawFirm, Sp};
use crate::scenario::{Firm, FirmValues, Issue};

/// The firms in file order, `count` expanded.
pub(super) fn resolve(
    r: &mut Resolver,
    raw: &[Sp<RawFirm>],
    issues: &[Issue],
    rosters: &Rosters,
) -> Vec<Firm> {
    let (gov_roster, firm_roster) = (&rosters.governments, &rosters.firms);
    let mut firms = Vec::with_capacity(firm_roster.len());
    for (entry, e) in raw.iter().enumerate() {
        let e = &e.value;
        let values = FirmValues::from_fn(|k: FirmKey| {
            let v = match k {
                FirmKey::Revenue => &e.revenue,
                FirmKey::LobbyShare => &e.lobby_share,
                FirmKey::PrShare => &e.pr_share,
                FirmKey::Integrity => &e.integrity,
                FirmKey::Growth => &e.growth,
                FirmKey::Volatility => &e.volatility,
            };
            r.number(v, k.name(), k.range(), k.default_value(), &e.id)
        });
        let ideal: Vec<Param> = r
            .issue_map(&e.ideal, "ideal", issues)
            .into_iter()
            .map(|p| p.unwrap_or(Param::Fixed(0.2)))
            .collect();
        let markets = gov_roster.list_or_all(r, &e.markets, "markets", "firm");
        let count = firm_roster.counts[entry];
        if count > 0 {
            for id in expand_ids(&e.id.value, count) {
                firms.push(Firm {
                    id,
                    entry: e.id.value.clone(),
                    values: values.clone(),
                    ideal: ideal.clone(),
                    markets: markets.clone(),
                });
            }
        }
    }

    firms
}
