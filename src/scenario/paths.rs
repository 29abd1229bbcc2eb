//! Parameter paths (MODEL.md 1.2): the names that `[[event]] set`, `--set`, sweeps and
//! sensitivity analysis give to one parameter, such as `model.opinion.confidence`,
//! `government.denmark.ambassador` or `firm.*.lobby_share`, and their effect on a scenario.

use serde::{Deserialize, Serialize};

use super::keys::{FirmKey, GovernmentKey, Level, ModelKey, NgoKey, Range};
use super::raw::Param;
use super::{Members, Scenario, suggest};

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
    let mut entries: Vec<&str> = Vec::new();
    for (i, (agent_id, entry)) in agents.enumerate() {
        if id == "*" || id == agent_id || id == entry {
            ranges.push((i as u32, i as u32 + 1));
        }
        if entries.last() != Some(&entry) {
            entries.push(entry);
        }
    }
    if ranges.is_empty() {
        return Err(format!(
            "no {} has the id \"{id}\"{}",
            kind.name(),
            suggest::unknown_id(id, entries.iter().copied())
        ));
    }
    Ok(Members::from_ranges(ranges))
}

fn issue_index(s: &Scenario, id: &str) -> Result<usize, String> {
    s.issues.iter().position(|i| i.id == id).ok_or_else(|| {
        format!(
            "no issue has the id \"{id}\"{}",
            suggest::unknown_id(id, s.issues.iter().map(|i| i.id.as_str()))
        )
    })
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
            "{} has no settable key \"{key}\"{}; expected one of {}",
            kind.name(),
            suggest::did_you_mean(key, keys.iter().copied()),
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

/// Multiplies the value of every agent (or the model key) a numeric target names by
/// `factor`, both bounds of a uniform parameter, as `PATH*=X` does. A product outside the
/// key's range is an error that names the agent; nothing is changed then.
pub fn scale(s: &mut Scenario, target: &Target, factor: f64) -> Result<(), String> {
    let Some(range) = target.range() else {
        return Err(
            "the relative form *= multiplies a number; this path holds an ambassador level".into(),
        );
    };
    if !factor.is_finite() {
        return Err(format!("the factor must be a finite number, got {factor}"));
    }
    let times = |p: Param| match p {
        Param::Fixed(x) => Param::Fixed(x * factor),
        Param::Uniform(lo, hi) if factor >= 0.0 => Param::Uniform(lo * factor, hi * factor),
        Param::Uniform(lo, hi) => Param::Uniform(hi * factor, lo * factor),
    };
    let shown = |p: Param| match p {
        Param::Fixed(x) => format!("{x}"),
        Param::Uniform(lo, hi) => format!("uniform [{lo}, {hi}]"),
    };
    // Every product is checked before any is written.
    let mut changes: Vec<(usize, Param)> = Vec::new();
    let mut check = |who: String, index: usize, p: Param| -> Result<(), String> {
        let new = times(p);
        check_param(new, range)
            .map_err(|e| format!("{who}: {} x {factor} = {}: {e}", shown(p), shown(new)))?;
        changes.push((index, new));
        Ok(())
    };
    match target {
        Target::Model(k) => check("model".into(), 0, *s.model.values.get(*k))?,
        Target::Government(m, k) => {
            for i in m.iter() {
                let g = &s.governments[i];
                check(format!("government \"{}\"", g.id), i, *g.values.get(*k))?;
            }
        }
        Target::Firm(m, k) => {
            for i in m.iter() {
                let f = &s.firms[i];
                check(format!("firm \"{}\"", f.id), i, *f.values.get(*k))?;
            }
        }
        Target::Ngo(m, k) => {
            for i in m.iter() {
                let n = &s.ngos[i];
                check(format!("ngo \"{}\"", n.id), i, *n.values.get(*k))?;
            }
        }
        Target::Ideal(kind, m, issue) => {
            for i in m.iter() {
                let (id, ideal) = match kind {
                    AgentKind::Government => (&s.governments[i].id, &s.governments[i].ideal),
                    AgentKind::Firm => (&s.firms[i].id, &s.firms[i].ideal),
                    AgentKind::Ngo => (&s.ngos[i].id, &s.ngos[i].ideal),
                };
                check(format!("{} \"{id}\"", kind.name()), i, ideal[*issue])?;
            }
        }
        Target::DiffusionStakes | Target::Ambassador(_) => {}
    }
    for (i, p) in changes {
        match target {
            Target::Model(k) => *s.model.values.get_mut(*k) = p,
            Target::Government(_, k) => *s.governments[i].values.get_mut(*k) = p,
            Target::Firm(_, k) => *s.firms[i].values.get_mut(*k) = p,
            Target::Ngo(_, k) => *s.ngos[i].values.get_mut(*k) = p,
            Target::Ideal(kind, _, issue) => match kind {
                AgentKind::Government => s.governments[i].ideal[*issue] = p,
                AgentKind::Firm => s.firms[i].ideal[*issue] = p,
                AgentKind::Ngo => s.ngos[i].ideal[*issue] = p,
            },
            Target::DiffusionStakes | Target::Ambassador(_) => {}
        }
    }
    Ok(())
}

/// One `--set PATH=VALUE` from the command line, or `PATH*=X`, the relative form that
/// multiplies the value every agent the path names has in the scenario by X (MODEL.md 1.2).
/// `path` is kept as typed, the `*` of the relative form included.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: String,
    pub value: String,
}

/// Whether a path as typed is in the relative form `PATH*` (a final `*` after a key, not a
/// wildcard id such as `firm.*`).
pub fn is_relative(path: &str) -> bool {
    path.strip_suffix('*')
        .is_some_and(|rest| !rest.is_empty() && !rest.ends_with('.'))
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
    /// Whether this is the relative form `PATH*=X`.
    pub fn relative(&self) -> bool {
        is_relative(&self.path)
    }

    /// The path of the parameter, without the `*` of the relative form.
    pub fn target_path(&self) -> &str {
        if self.relative() {
            &self.path[..self.path.len() - 1]
        } else {
            &self.path
        }
    }

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
