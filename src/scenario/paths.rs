//! Parameter paths (MODEL.md 1.2): the names that `[[event]] set`, `--set`, sweeps and
//! sensitivity analysis give to one parameter, such as `model.opinion.confidence`,
//! `government.denmark.ambassador` or `firm.*.lobby_share`, and their effect on a scenario.

use serde::{Deserialize, Serialize};

use super::keys::{FirmKey, GovernmentKey, Level, ModelKey, NgoKey, Range};
use super::raw::Param;
use super::{Members, Scenario};

/// The kinds of agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentKind {
    Government,
    Firm,
    Ngo,
}

impl AgentKind {
    pub fn name(self) -> &'static str {
        match self {
            AgentKind::Government => "government",
            AgentKind::Firm => "firm",
            AgentKind::Ngo => "ngo",
        }
    }
}

/// What a path names, resolved to indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Model(ModelKey),
    DiffusionStakes,
    Government(Members, GovernmentKey),
    Ambassador(Members),
    Firm(Members, FirmKey),
    Ngo(Members, NgoKey),
    Ideal(AgentKind, Members, usize),
}

/// A value a path can be set to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    Number(Param),
    Level(Level),
}

/// One `path = value` of an event, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetOp {
    pub path: String,
    pub target: Target,
    pub value: Value,
}

impl Target {
    /// What values the target takes: a numeric range, or `None` for an ambassador level.
    pub fn range(&self) -> Option<Range> {
        match self {
            Target::Model(k) => Some(k.range()),
            Target::Government(_, k) => Some(k.range()),
            Target::Firm(_, k) => Some(k.range()),
            Target::Ngo(_, k) => Some(k.range()),
            Target::Ideal(..) => Some(Range::UNIT),
            Target::DiffusionStakes | Target::Ambassador(_) => None,
        }
    }

    /// Checks a value for this target and turns it into a [`Value`]; the error says what
    /// was expected.
    pub fn value(&self, value: &super::raw::SetValue) -> Result<Value, String> {
        use super::raw::SetValue;
        match (self.range(), value) {
            (Some(range), SetValue::Number(p)) => {
                check_param(*p, range)?;
                Ok(Value::Number(*p))
            }
            (Some(range), SetValue::Word(w)) => Err(format!(
                "expected a number {}, got the string \"{w}\"",
                range.describe()
            )),
            (None, SetValue::Word(w)) => match Level::from_name(w) {
                Some(Level::None) if *self == Target::DiffusionStakes => {
                    Err("expected observer, consultative or equal, got \"none\"".into())
                }
                Some(level) => Ok(Value::Level(level)),
                None => Err(format!(
                    "expected none, observer, consultative or equal, got \"{w}\""
                )),
            },
            (None, SetValue::Number(_)) => Err(
                "expected an ambassador level (none, observer, consultative, equal), got a number"
                    .into(),
            ),
        }
    }
}

/// Checks a fixed or uniform number against a range.
pub fn check_param(p: Param, range: Range) -> Result<(), String> {
    match p {
        Param::Fixed(x) if range.contains(x) => Ok(()),
        Param::Fixed(x) => Err(format!("expected a number {}, got {x}", range.describe())),
        Param::Uniform(lo, hi) if lo > hi => Err(format!(
            "uniform bounds must satisfy lo <= hi, got [{lo}, {hi}]"
        )),
        Param::Uniform(lo, hi) if range.contains(lo) && range.contains(hi) => Ok(()),
        Param::Uniform(lo, hi) => Err(format!(
            "uniform bounds must be {}, got [{lo}, {hi}]",
            range.describe()
        )),
    }
}

/// The agents an id selects: `*` for all, an entry id for all its agents, or one agent's id.
fn select<'a>(
    id: &str,
    agents: impl Iterator<Item = (&'a str, &'a str)>,
    kind: AgentKind,
) -> Result<Members, String> {
    let mut ranges = Vec::new();
    for (i, (agent_id, entry)) in agents.enumerate() {
        if id == "*" || id == agent_id || id == entry {
            ranges.push((i as u32, i as u32 + 1));
        }
    }
    if ranges.is_empty() {
        return Err(format!("no {} has the id \"{id}\"", kind.name()));
    }
    Ok(Members::from_ranges(ranges))
}

fn issue_index(s: &Scenario, id: &str) -> Result<usize, String> {
    s.issues
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| format!("no issue has the id \"{id}\""))
}

/// Resolves a path against a scenario's agents and issues.
pub fn resolve(path: &str, s: &Scenario) -> Result<Target, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let kind = match parts[0] {
        "model" => {
            let rest = &path["model.".len().min(path.len())..];
            if rest == "diffusion.stakes" {
                return Ok(Target::DiffusionStakes);
            }
            return ModelKey::from_name(rest).map(Target::Model).ok_or_else(|| {
                format!(
                    "\"{path}\" names no parameter of [model]; expected model.<table>.<key>, \
                     e.g. model.opinion.confidence"
                )
            });
        }
        "government" => AgentKind::Government,
        "firm" => AgentKind::Firm,
        "ngo" => AgentKind::Ngo,
        _ => {
            return Err(format!(
                "\"{path}\" names no parameter; a path starts with model., government., firm. or ngo."
            ));
        }
    };
    let (id, key, issue) = match parts.as_slice() {
        [_, id, key] => (*id, *key, None),
        [_, id, "ideal", issue] => (*id, "ideal", Some(*issue)),
        _ => {
            return Err(format!(
                "\"{path}\" is not a parameter path; expected {0}.<id>.<key> or {0}.<id>.ideal.<issue>",
                kind.name()
            ));
        }
    };
    let members = match kind {
        AgentKind::Government => select(
            id,
            s.governments
                .iter()
                .map(|a| (a.id.as_str(), a.entry.as_str())),
            kind,
        )?,
        AgentKind::Firm => select(
            id,
            s.firms.iter().map(|a| (a.id.as_str(), a.entry.as_str())),
            kind,
        )?,
        AgentKind::Ngo => select(
            id,
            s.ngos.iter().map(|a| (a.id.as_str(), a.entry.as_str())),
            kind,
        )?,
    };
    if let Some(issue) = issue {
        return Ok(Target::Ideal(kind, members, issue_index(s, issue)?));
    }
    let unknown = |keys: Vec<&str>| {
        format!(
            "{} has no settable key \"{key}\"; expected one of {}",
            kind.name(),
            keys.join(", ")
        )
    };
    match kind {
        AgentKind::Government if key == "ambassador" => Ok(Target::Ambassador(members)),
        AgentKind::Government => GovernmentKey::from_name(key)
            .map(|k| Target::Government(members, k))
            .ok_or_else(|| {
                let mut keys: Vec<&str> = GovernmentKey::ALL.iter().map(|k| k.name()).collect();
                keys.extend(["ambassador", "ideal.<issue>"]);
                unknown(keys)
            }),
        AgentKind::Firm => FirmKey::from_name(key)
            .map(|k| Target::Firm(members, k))
            .ok_or_else(|| {
                let mut keys: Vec<&str> = FirmKey::ALL.iter().map(|k| k.name()).collect();
                keys.push("ideal.<issue>");
                unknown(keys)
            }),
        AgentKind::Ngo => NgoKey::from_name(key)
            .map(|k| Target::Ngo(members, k))
            .ok_or_else(|| {
                let mut keys: Vec<&str> = NgoKey::ALL.iter().map(|k| k.name()).collect();
                keys.push("ideal.<issue>");
                unknown(keys)
            }),
    }
}

/// Sets a value in a scenario's parameters (before any run), as `--set` does.
pub fn apply(s: &mut Scenario, target: &Target, value: &Value) {
    match (target, value) {
        (Target::Model(k), Value::Number(p)) => *s.model.values.get_mut(*k) = *p,
        (Target::DiffusionStakes, Value::Level(l)) => s.model.diffusion_stakes = *l,
        (Target::Government(m, k), Value::Number(p)) => {
            for i in m.iter() {
                *s.governments[i].values.get_mut(*k) = *p;
            }
        }
        (Target::Ambassador(m), Value::Level(l)) => {
            for i in m.iter() {
                s.governments[i].ambassador = *l;
            }
        }
        (Target::Firm(m, k), Value::Number(p)) => {
            for i in m.iter() {
                *s.firms[i].values.get_mut(*k) = *p;
            }
        }
        (Target::Ngo(m, k), Value::Number(p)) => {
            for i in m.iter() {
                *s.ngos[i].values.get_mut(*k) = *p;
            }
        }
        (Target::Ideal(kind, m, issue), Value::Number(p)) => {
            for i in m.iter() {
                let ideal = match kind {
                    AgentKind::Government => &mut s.governments[i].ideal,
                    AgentKind::Firm => &mut s.firms[i].ideal,
                    AgentKind::Ngo => &mut s.ngos[i].ideal,
                };
                ideal[*issue] = *p;
            }
        }
        // `Target::value` only builds values of the target's type.
        _ => {}
    }
}

/// One `--set PATH=VALUE` from the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
}

impl std::str::FromStr for Override {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (path, value) = s
            .split_once('=')
            .ok_or_else(|| format!("expected PATH=VALUE, got \"{s}\""))?;
        Ok(Override {
            path: path.trim().to_string(),
            value: value.trim().to_string(),
        })
    }
}

impl Override {
    /// The value as a scenario file would give it: a number, `lo..hi` for a uniform
    /// parameter, or a word.
    pub fn parsed_value(&self) -> super::raw::SetValue {
        use super::raw::SetValue;
        if let Ok(x) = self.value.parse::<f64>() {
            return SetValue::Number(Param::Fixed(x));
        }
        if let Some((lo, hi)) = self.value.split_once("..")
            && let (Ok(lo), Ok(hi)) = (lo.parse::<f64>(), hi.parse::<f64>())
        {
            return SetValue::Number(Param::Uniform(lo, hi));
        }
        SetValue::Word(self.value.clone())
    }
}
