//! The numeric keys of the scenario schema: their names, ranges and defaults, in one table per
//! kind (model, government, firm, NGO). Validation, parameter paths and uncertain-parameter
//! draws all read these tables, so a key is described exactly once.
//!
//! This module knows nothing about TOML or spans.

use serde::{Deserialize, Serialize};

/// The allowed range of a number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Range {
    /// `lo <= x <= hi`
    Closed(f64, f64),
    /// `lo < x <= hi`
    OpenClosed(f64, f64),
    /// `x > 0`
    Positive,
    /// `x >= 0`
    NonNegative,
}

impl Range {
    /// [0, 1], the range of shares, policies and probabilities.
    pub const UNIT: Range = Range::Closed(0.0, 1.0);

    /// Whether `x` is in the range (NaN never is).
    pub fn contains(self, x: f64) -> bool {
        match self {
            Range::Closed(lo, hi) => lo <= x && x <= hi,
            Range::OpenClosed(lo, hi) => lo < x && x <= hi,
            Range::Positive => x > 0.0 && x.is_finite(),
            Range::NonNegative => x >= 0.0 && x.is_finite(),
        }
    }

    /// The range in words, as error messages quote it.
    pub fn describe(self) -> String {
        match self {
            Range::Closed(lo, hi) => format!("between {lo} and {hi}"),
            Range::OpenClosed(lo, hi) => format!("greater than {lo} and at most {hi}"),
            Range::Positive => "greater than 0".to_string(),
            Range::NonNegative => "at least 0".to_string(),
        }
    }
}

/// Declares a key enum, its table of names, ranges and defaults, and a struct with one
/// field per key, generic over the value type (`Param` in a scenario, `f64` in a run).
macro_rules! key_table {
    (
        $(#[$doc:meta])*
        $Key:ident, $Values:ident {
            $($(#[$fdoc:meta])* $field:ident : $Variant:ident = $name:literal, $range:expr, $default:expr;)*
        }
    ) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $Key { $($Variant),* }

        impl $Key {
            /// Every key, in the fixed order used for uncertain-parameter draws.
            pub const ALL: &'static [$Key] = &[$($Key::$Variant),*];

            /// The key's name as written in a scenario file.
            pub fn name(self) -> &'static str {
                match self { $($Key::$Variant => $name),* }
            }

            /// The allowed range of the key's value.
            pub fn range(self) -> Range {
                match self { $($Key::$Variant => $range),* }
            }

            /// The default value, `None` for a required key.
            pub fn default_value(self) -> Option<f64> {
                match self { $($Key::$Variant => $default),* }
            }

            /// The key with this name.
            pub fn from_name(name: &str) -> Option<$Key> {
                Self::ALL.iter().copied().find(|k| k.name() == name)
            }
        }

        /// One value per key.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub struct $Values<T> { $($(#[$fdoc])* pub $field: T),* }

        impl<T> $Values<T> {
            /// Builds the values key by key.
            pub fn from_fn(mut f: impl FnMut($Key) -> T) -> Self {
                $Values { $($field: f($Key::$Variant)),* }
            }

            /// The value of one key.
            pub fn get(&self, key: $Key) -> &T {
                match key { $($Key::$Variant => &self.$field),* }
            }

            /// The value of one key, to change it.
            pub fn get_mut(&mut self, key: $Key) -> &mut T {
                match key { $($Key::$Variant => &mut self.$field),* }
            }
        }
    };
}

key_table! {
    /// The numeric keys of `[model]`, named by their path below `model.`.
    ModelKey, ModelValues {
        confidence: Confidence = "opinion.confidence", Range::UNIT, Some(0.2);
        convergence: Convergence = "opinion.convergence", Range::Closed(0.0, 0.5), Some(0.3);
        interactions: Interactions = "opinion.interactions", Range::NonNegative, Some(1.0);
        cost_per_citizen: CostPerCitizen = "campaigns.cost_per_citizen", Range::Positive, Some(0.001);
        persuasion: Persuasion = "campaigns.persuasion", Range::UNIT, Some(0.05);
        half_saturation: HalfSaturation = "lobbying.half_saturation", Range::Positive, Some(1.0);
        access_observer: AccessObserver = "ambassador.access.observer", Range::NonNegative, Some(0.25);
        access_consultative: AccessConsultative = "ambassador.access.consultative", Range::NonNegative, Some(0.5);
        access_equal: AccessEqual = "ambassador.access.equal", Range::NonNegative, Some(1.0);
        stakes_observer: StakesObserver = "ambassador.stakes.observer", Range::UNIT, Some(0.0);
        stakes_consultative: StakesConsultative = "ambassador.stakes.consultative", Range::UNIT, Some(0.25);
        stakes_equal: StakesEqual = "ambassador.stakes.equal", Range::UNIT, Some(0.5);
        insight_observer: InsightObserver = "ambassador.insight.observer", Range::UNIT, Some(0.1);
        insight_consultative: InsightConsultative = "ambassador.insight.consultative", Range::UNIT, Some(0.1);
        insight_equal: InsightEqual = "ambassador.insight.equal", Range::UNIT, Some(0.1);
        ngo_seat: NgoSeat = "coregulation.ngo_seat", Range::UNIT, Some(0.0);
        buyin: Buyin = "coregulation.buyin", Range::UNIT, Some(0.2);
        cost_factor: CostFactor = "compliance.cost_factor", Range::NonNegative, Some(0.01);
        fine_rate: FineRate = "compliance.fine_rate", Range::NonNegative, Some(0.01);
        backlash: Backlash = "compliance.backlash", Range::UNIT, Some(0.02);
        watchdog_half_saturation: WatchdogHalfSaturation = "compliance.watchdog_half_saturation", Range::Positive, Some(1.0);
        min_revenue: MinRevenue = "market.min_revenue", Range::Positive, Some(0.01);
        policy_threshold: PolicyThreshold = "antitrust.policy_threshold", Range::UNIT, Some(0.5);
        hhi_threshold: HhiThreshold = "antitrust.hhi_threshold", Range::Closed(0.0, 10000.0), Some(2500.0);
        antitrust_rate: AntitrustRate = "antitrust.rate", Range::UNIT, Some(0.1);
        penalty: Penalty = "antitrust.penalty", Range::UNIT, Some(0.2);
        scandal_rate: ScandalRate = "scandals.rate", Range::UNIT, Some(0.02);
        scandal_size: ScandalSize = "scandals.size", Range::UNIT, Some(0.1);
        adoption: Adoption = "diffusion.adoption", Range::UNIT, Some(0.1);
        learning: Learning = "diffusion.learning", Range::UNIT, Some(0.05);
        trust_rate: TrustRate = "trust.rate", Range::UNIT, Some(0.1);
    }
}

key_table! {
    /// The numeric keys of a `[[government]]`.
    GovernmentKey, GovernmentValues {
        responsiveness: Responsiveness = "responsiveness", Range::UNIT, Some(0.5);
        susceptibility: Susceptibility = "susceptibility", Range::NonNegative, Some(1.0);
        adjustment: Adjustment = "adjustment", Range::OpenClosed(0.0, 1.0), Some(0.3);
        capacity: Capacity = "capacity", Range::UNIT, Some(0.5);
        trust: Trust = "trust", Range::UNIT, Some(0.5);
        /// The relative size of the government's market (v2): a firm splits its revenue, PR
        /// money and lobbying over its markets in proportion, and metrics over governments
        /// weigh each by it.
        market_size: MarketSize = "market_size", Range::Positive, Some(1.0);
    }
}

key_table! {
    /// The numeric keys of a `[[firm]]`.
    FirmKey, FirmValues {
        revenue: Revenue = "revenue", Range::Positive, None;
        lobby_share: LobbyShare = "lobby_share", Range::UNIT, Some(0.01);
        pr_share: PrShare = "pr_share", Range::UNIT, Some(0.0);
        integrity: Integrity = "integrity", Range::UNIT, Some(0.5);
        growth: Growth = "growth", Range::OpenClosed(-1.0, 10.0), Some(0.02);
        volatility: Volatility = "volatility", Range::NonNegative, Some(0.05);
    }
}

key_table! {
    /// The numeric keys of an `[[ngo]]`.
    NgoKey, NgoValues {
        budget: Budget = "budget", Range::NonNegative, None;
        campaign_share: CampaignShare = "campaign_share", Range::UNIT, Some(0.5);
        advocacy_share: AdvocacyShare = "advocacy_share", Range::UNIT, Some(0.3);
        watchdog_share: WatchdogShare = "watchdog_share", Range::UNIT, Some(0.2);
    }
}

/// A tech ambassador's level, from none to equal stakes with the firms at the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// No tech ambassador.
    #[default]
    None,
    /// An observer, as Denmark's since 2017.
    Observer,
    /// A consultative ambassador.
    Consultative,
    /// Firms with stakes equal to the government's diplomats.
    Equal,
}

impl Level {
    /// Every level, in order.
    pub const ALL: [Level; 4] = [
        Level::None,
        Level::Observer,
        Level::Consultative,
        Level::Equal,
    ];

    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Observer => "observer",
            Level::Consultative => "consultative",
            Level::Equal => "equal",
        }
    }

    /// The level with this name.
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.name() == name)
    }
}

impl<T: Copy + Default> ModelValues<T> {
    /// `model.ambassador.access[level]`; `T::default()` (zero) for none.
    pub fn access(&self, level: Level) -> T {
        match level {
            Level::None => T::default(),
            Level::Observer => self.access_observer,
            Level::Consultative => self.access_consultative,
            Level::Equal => self.access_equal,
        }
    }

    /// `model.ambassador.stakes[level]`; zero for none.
    pub fn stakes(&self, level: Level) -> T {
        match level {
            Level::None => T::default(),
            Level::Observer => self.stakes_observer,
            Level::Consultative => self.stakes_consultative,
            Level::Equal => self.stakes_equal,
        }
    }

    /// `model.ambassador.insight[level]`; zero for none.
    pub fn insight(&self, level: Level) -> T {
        match level {
            Level::None => T::default(),
            Level::Observer => self.insight_observer,
            Level::Consultative => self.insight_consultative,
            Level::Equal => self.insight_equal,
        }
    }
}

/// The tables of `[model]` that hold numbers, with their keys; used to list the valid keys
/// when a file names an unknown one.
pub fn model_table_keys(table: &str) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = ModelKey::ALL
        .iter()
        .filter_map(|k| k.name().strip_prefix(table)?.strip_prefix('.'))
        .collect();
    if table == "diffusion" {
        keys.push("stakes");
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_is_in_its_range() {
        for k in ModelKey::ALL {
            let d = k.default_value().unwrap();
            assert!(k.range().contains(d), "{}", k.name());
        }
        for k in GovernmentKey::ALL {
            assert!(
                k.range().contains(k.default_value().unwrap()),
                "{}",
                k.name()
            );
        }
    }

    #[test]
    fn names_are_unique_and_found() {
        for k in ModelKey::ALL {
            assert_eq!(ModelKey::from_name(k.name()), Some(*k));
        }
        assert_eq!(ModelKey::from_name("opinion.nope"), None);
    }

    #[test]
    fn ranges_reject_edges_they_exclude() {
        assert!(!Range::OpenClosed(0.0, 1.0).contains(0.0));
        assert!(Range::OpenClosed(0.0, 1.0).contains(1.0));
        assert!(!Range::Positive.contains(0.0));
        assert!(!Range::UNIT.contains(f64::NAN));
        assert!(!Range::NonNegative.contains(f64::INFINITY));
    }

    #[test]
    fn model_tables_list_their_keys() {
        assert_eq!(
            model_table_keys("opinion"),
            ["confidence", "convergence", "interactions"]
        );
        assert_eq!(
            model_table_keys("diffusion"),
            ["adoption", "learning", "stakes"]
        );
    }
}
