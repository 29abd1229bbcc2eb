//! The rules that involve several keys, checked on a resolved scenario (on upper bounds of
//! uncertain parameters) before any event and again after each one.

use crate::scenario::{Level, Scenario};

/// Slack for sums of shares written in decimal (0.5 + 0.3 + 0.2).
pub(super) const SUM_SLACK: f64 = 1e-12;

/// A sum of decimal shares as a person wrote it (1.1, not 1.0999999999999999).
pub(super) fn round12(x: f64) -> f64 {
    (x * 1e12).round() / 1e12
}

/// `stakes[level] + ngo_seat <= 1` for every level, on upper bounds.
pub fn stakes_rule(s: &Scenario) -> Option<String> {
    let m = &s.model.values;
    let seat = m.ngo_seat.hi();
    for level in [Level::Observer, Level::Consultative, Level::Equal] {
        let stakes = m.stakes(level).hi();
        if stakes + seat > 1.0 + SUM_SLACK {
            return Some(format!(
                "ambassador stakes.{} + coregulation.ngo_seat must be at most 1 (upper bounds), got {stakes} + {seat}",
                level.name()
            ));
        }
    }
    None
}

/// Each NGO's three shares sum to at most 1, on upper bounds.
pub fn shares_rule(s: &Scenario) -> Option<String> {
    s.ngos.iter().find_map(|n| {
        let v = &n.values;
        let sum = v.campaign_share.hi() + v.advocacy_share.hi() + v.watchdog_share.hi();
        (sum > 1.0 + SUM_SLACK).then(|| {
            format!(
                "ngo \"{}\": campaign_share + advocacy_share + watchdog_share must be at most 1, got {}",
                n.id,
                round12(sum)
            )
        })
    })
}
