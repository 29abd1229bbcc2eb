//! Scenarios: reading TOML files (with `extends`), validating them, and the resolved
//! [`Scenario`] that the engine runs. The engine only ever sees a resolved scenario: ids are
//! indices, defaults are filled, ranges and references are checked, and the memory the
//! citizens need is bounded. Nothing here draws random numbers or runs the model.

pub mod bundled;
mod error;
pub mod keys;
mod load;
pub mod paths;
pub mod raw;
mod resolve;
pub mod schema;
pub mod suggest;
mod validate;

use serde::{Deserialize, Serialize};

pub use error::{Position, Problem, ScenarioError, SourceFile, Sources};
pub use keys::{
    FirmKey, FirmValues, GovernmentKey, GovernmentValues, Level, ModelKey, ModelValues, NgoKey,
    NgoValues, Range,
};
pub use load::{
    MAX_EXTENDS, MAX_FILE_BYTES, OverrideError, apply_overrides, load, load_bytes, load_str,
};
pub use paths::{Override, SetOp, Target};
pub use raw::Param;

/// Most opinion values (citizens x issues over all governments) a scenario may ask for.
pub const MAX_OPINION_VALUES: u64 = 200_000_000;

/// A validated scenario, ready to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub rounds: u32,
    /// Defaults of `netstates run`.
    pub runs: u64,
    pub seed: u64,
    pub issues: Vec<Issue>,
    /// The competition issue, if any.
    pub antitrust: Option<usize>,
    pub governments: Vec<Government>,
    pub firms: Vec<Firm>,
    pub ngos: Vec<Ngo>,
    pub model: Model,
    /// In round order; file order within a round.
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub id: String,
    pub salience: f64,
}

/// What kind of government an entry is: a label only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GovernmentKind {
    National,
    City,
    Supranational,
}

impl GovernmentKind {
    /// Every kind, in the order MODEL.md lists them.
    pub const ALL: [GovernmentKind; 3] = [
        GovernmentKind::National,
        GovernmentKind::City,
        GovernmentKind::Supranational,
    ];

    pub fn name(self) -> &'static str {
        match self {
            GovernmentKind::National => "national",
            GovernmentKind::City => "city",
            GovernmentKind::Supranational => "supranational",
        }
    }
}

/// A set of agents of one kind as sorted, disjoint, half-open index ranges `[start, end)`.
/// An entry id names a range, so memory grows with the ids written, not with the agents
/// they stand for ("every firm in every market" is one range).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Members(pub Vec<(u32, u32)>);

impl Members {
    /// All `n` agents of a kind.
    pub fn all(n: usize) -> Members {
        Members(if n == 0 { vec![] } else { vec![(0, n as u32)] })
    }

    /// The set of the given ranges, sorted and merged.
    pub fn from_ranges(mut ranges: Vec<(u32, u32)>) -> Members {
        ranges.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (s, e) in ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        Members(merged)
    }

    /// Whether agent `i` is a member.
    pub fn contains(&self, i: usize) -> bool {
        let i = i as u32;
        let at = self.0.partition_point(|&(_, e)| e <= i);
        self.0.get(at).is_some_and(|&(s, _)| s <= i)
    }

    /// How many members, leaving out `own` (a government is never its own peer).
    pub fn len_without(&self, own: Option<usize>) -> usize {
        let n: usize = self.0.iter().map(|&(s, e)| (e - s) as usize).sum();
        n - usize::from(own.is_some_and(|o| self.contains(o)))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.len_without(None)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The members in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().flat_map(|&(s, e)| s as usize..e as usize)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Government {
    pub id: String,
    /// The `[[government]]` entry this agent was expanded from.
    pub entry: String,
    pub kind: GovernmentKind,
    pub citizens: u32,
    /// Per issue, the range initial opinions are drawn from.
    pub opinion: Vec<(f64, f64)>,
    pub ideal: Vec<Param>,
    /// Per issue; `None` starts at the (drawn) ideal.
    pub policy: Vec<Option<Param>>,
    pub values: GovernmentValues<Param>,
    pub ambassador: Level,
    /// Bit k set when issue k is decided at a co-regulation table.
    pub coregulate: u64,
    /// Its peers; may include the government itself, which every use leaves out.
    pub peers: Members,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Firm {
    pub id: String,
    pub entry: String,
    pub values: FirmValues<Param>,
    pub ideal: Vec<Param>,
    pub markets: Members,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ngo {
    pub id: String,
    pub entry: String,
    pub values: NgoValues<Param>,
    pub ideal: Vec<Param>,
    /// Bit k set when the NGO works on issue k.
    pub focus: u64,
    pub targets: Members,
}

/// A phase of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Events,
    Opinion,
    Campaigns,
    Lobbying,
    Coregulation,
    Decision,
    Compliance,
    Market,
    Diffusion,
    Trust,
}

impl Phase {
    /// The default schedule: every phase, in this order.
    pub const ALL: [Phase; 10] = [
        Phase::Events,
        Phase::Opinion,
        Phase::Campaigns,
        Phase::Lobbying,
        Phase::Coregulation,
        Phase::Decision,
        Phase::Compliance,
        Phase::Market,
        Phase::Diffusion,
        Phase::Trust,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::Events => "events",
            Phase::Opinion => "opinion",
            Phase::Campaigns => "campaigns",
            Phase::Lobbying => "lobbying",
            Phase::Coregulation => "coregulation",
            Phase::Decision => "decision",
            Phase::Compliance => "compliance",
            Phase::Market => "market",
            Phase::Diffusion => "diffusion",
            Phase::Trust => "trust",
        }
    }

    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// `[model]`, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    pub schedule: Vec<Phase>,
    pub values: ModelValues<Param>,
    /// `model.diffusion.stakes`: the level a government adopts by diffusion.
    pub diffusion_stakes: Level,
}

/// An `[[event]]`, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub round: u32,
    pub sets: Vec<SetOp>,
    pub scandal: Option<Scandal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scandal {
    pub issue: usize,
    pub size: f64,
}

impl Scenario {
    /// Sum over governments of citizens x issues: the opinion values one run holds.
    pub fn opinion_values(&self) -> u64 {
        self.governments
            .iter()
            .map(|g| g.citizens as u64 * self.issues.len() as u64)
            .sum()
    }

    /// Every uncertain parameter, by path, with its bounds, in draw order: model keys, each
    /// government's, firm's and NGO's (keys, ideal, policy), then the values of events (named
    /// `event.<round>.<path>`).
    pub fn uncertain(&self) -> Vec<(String, f64, f64)> {
        let mut out = Vec::new();
        let mut push = |path: String, p: &Param| {
            if let Param::Uniform(lo, hi) = *p {
                out.push((path, lo, hi));
            }
        };
        for k in ModelKey::ALL {
            push(format!("model.{}", k.name()), self.model.values.get(*k));
        }
        for g in &self.governments {
            for k in GovernmentKey::ALL {
                push(
                    format!("government.{}.{}", g.id, k.name()),
                    g.values.get(*k),
                );
            }
            for (i, p) in g.ideal.iter().enumerate() {
                push(
                    format!("government.{}.ideal.{}", g.id, self.issues[i].id),
                    p,
                );
            }
            for (i, p) in g.policy.iter().enumerate() {
                if let Some(p) = p {
                    push(
                        format!("government.{}.policy.{}", g.id, self.issues[i].id),
                        p,
                    );
                }
            }
        }
        for f in &self.firms {
            for k in FirmKey::ALL {
                push(format!("firm.{}.{}", f.id, k.name()), f.values.get(*k));
            }
            for (i, p) in f.ideal.iter().enumerate() {
                push(format!("firm.{}.ideal.{}", f.id, self.issues[i].id), p);
            }
        }
        for n in &self.ngos {
            for k in NgoKey::ALL {
                push(format!("ngo.{}.{}", n.id, k.name()), n.values.get(*k));
            }
            for (i, p) in n.ideal.iter().enumerate() {
                push(format!("ngo.{}.ideal.{}", n.id, self.issues[i].id), p);
            }
        }
        for e in &self.events {
            for op in &e.sets {
                if let paths::Value::Number(p) = &op.value {
                    push(format!("event.{}.{}", e.round, op.path), p);
                }
            }
        }
        // Two events of one round may set one path: number the later ones, so every input
        // has a column name of its own.
        let mut seen = std::collections::BTreeMap::<String, usize>::new();
        for (name, _, _) in &mut out {
            let n = seen.entry(name.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                name.push_str(&format!("#{n}"));
            }
        }
        out
    }

    /// The names of the uncertain parameters, in draw order: the input columns of
    /// `runs.csv` (`firm.meta.growth`, `event.12.model.scandals.rate`).
    pub fn input_names(&self) -> Vec<String> {
        self.uncertain()
            .into_iter()
            .map(|(name, _, _)| name)
            .collect()
    }
}
