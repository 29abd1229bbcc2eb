//! Checking a resolved [`Scenario`] that did not come from [`super::load`]: the one a
//! manifest records, which a user may have edited or a disk damaged. It holds the same limits
//! and rules `check` enforces on a file (the key tables of [`super::keys`], the rules of
//! `resolve::rules`), plus what only a resolved scenario can get wrong: list lengths, indices
//! and ranges of agents. A scenario that passes cannot make a run panic or allocate beyond
//! the limits.

use std::collections::BTreeSet;

use super::keys::{FirmKey, GovernmentKey, ModelKey, NgoKey, Range};
use super::paths::{Target, Value, check_param};
use super::resolve::{
    MAX_AGENTS, MAX_CITIZENS, MAX_ISSUES, MAX_ROUNDS, MAX_RUNS, shares_rule, stakes_rule, valid_id,
};
use super::{MAX_OPINION_VALUES, Members, Param, Scenario};

/// What is wrong with a resolved scenario, in the words of its JSON.
type Checked = Result<(), String>;

fn ids<'a>(kind: &str, ids: impl Iterator<Item = &'a str>) -> Checked {
    let mut seen = BTreeSet::new();
    for id in ids {
        if !valid_id(id) {
            return Err(format!(
                "{kind} id \"{id}\" does not match [a-z0-9][a-z0-9_-]*"
            ));
        }
        if !seen.insert(id) {
            return Err(format!("{kind} id \"{id}\" is used twice"));
        }
    }
    Ok(())
}

fn members(what: &str, m: &Members, n: usize, nonempty: bool) -> Checked {
    let mut end = 0;
    for &(s, e) in &m.0 {
        if s < end || s >= e || e as usize > n {
            return Err(format!(
                "{what} holds agents {s}..{e}, outside 0..{n} or out of order"
            ));
        }
        end = e;
    }
    if nonempty && m.is_empty() {
        return Err(format!("{what} is empty"));
    }
    Ok(())
}

fn param(what: &str, p: Param, range: Range) -> Checked {
    check_param(p, range).map_err(|e| format!("{what}: {e}"))
}

fn issue_values(what: &str, values: &[Param], k: usize) -> Checked {
    if values.len() != k {
        return Err(format!("{what} has {} values for {k} issues", values.len()));
    }
    values.iter().try_for_each(|p| param(what, *p, Range::UNIT))
}

fn mask(what: &str, bits: u64, k: usize, nonempty: bool) -> Checked {
    if k < 64 && bits >> k != 0 {
        return Err(format!("{what} names an issue beyond the {k} issues"));
    }
    if nonempty && bits == 0 {
        return Err(format!("{what} names no issue"));
    }
    Ok(())
}

fn governments(s: &Scenario) -> Checked {
    let (k, n) = (s.issues.len(), s.governments.len());
    if !(1..=MAX_AGENTS as usize).contains(&n) {
        return Err(format!("{n} governments; 1 to {MAX_AGENTS} are allowed"));
    }
    ids("government", s.governments.iter().map(|g| g.id.as_str()))?;
    let mut opinion_values: u64 = 0;
    for g in &s.governments {
        let who = format!("government \"{}\"", g.id);
        if !(2..=MAX_CITIZENS as u64).contains(&u64::from(g.citizens)) {
            return Err(format!(
                "{who}: citizens must be between 2 and {MAX_CITIZENS}"
            ));
        }
        opinion_values += u64::from(g.citizens) * k as u64;
        if g.opinion.len() != k
            || g.opinion
                .iter()
                .any(|&(lo, hi)| !(0.0 <= lo && lo <= hi && hi <= 1.0))
        {
            return Err(format!(
                "{who}: opinion ranges must be [lo, hi] in [0, 1], one per issue"
            ));
        }
        issue_values(&format!("{who} ideal"), &g.ideal, k)?;
        let policy: Vec<Param> = g.policy.iter().flatten().copied().collect();
        if g.policy.len() != k {
            return Err(format!(
                "{who} policy has {} values for {k} issues",
                g.policy.len()
            ));
        }
        issue_values(&format!("{who} policy"), &policy, policy.len())?;
        for key in GovernmentKey::ALL {
            param(
                &format!("{who} {}", key.name()),
                *g.values.get(*key),
                key.range(),
            )?;
        }
        mask(&format!("{who} coregulate"), g.coregulate, k, false)?;
        members(&format!("{who} peers"), &g.peers, n, false)?;
    }
    if opinion_values > MAX_OPINION_VALUES {
        return Err(format!(
            "the citizens would hold {opinion_values} opinion values; at most \
             {MAX_OPINION_VALUES} are allowed"
        ));
    }
    Ok(())
}

fn firms_and_ngos(s: &Scenario) -> Checked {
    let (k, n) = (s.issues.len(), s.governments.len());
    if s.firms.len() > MAX_AGENTS as usize || s.ngos.len() > MAX_AGENTS as usize {
        return Err(format!(
            "at most {MAX_AGENTS} firms and {MAX_AGENTS} NGOs are allowed"
        ));
    }
    ids("firm", s.firms.iter().map(|f| f.id.as_str()))?;
    ids("ngo", s.ngos.iter().map(|x| x.id.as_str()))?;
    for f in &s.firms {
        let who = format!("firm \"{}\"", f.id);
        for key in FirmKey::ALL {
            param(
                &format!("{who} {}", key.name()),
                *f.values.get(*key),
                key.range(),
            )?;
        }
        issue_values(&format!("{who} ideal"), &f.ideal, k)?;
        members(&format!("{who} markets"), &f.markets, n, true)?;
    }
    for x in &s.ngos {
        let who = format!("ngo \"{}\"", x.id);
        for key in NgoKey::ALL {
            param(
                &format!("{who} {}", key.name()),
                *x.values.get(*key),
                key.range(),
            )?;
        }
        issue_values(&format!("{who} ideal"), &x.ideal, k)?;
        mask(&format!("{who} focus"), x.focus, k, true)?;
        members(&format!("{who} targets"), &x.targets, n, true)?;
    }
    Ok(())
}

fn target(s: &Scenario, t: &Target, value: &Value) -> Checked {
    let (n_g, n_f, n_n, k) = (
        s.governments.len(),
        s.firms.len(),
        s.ngos.len(),
        s.issues.len(),
    );
    match t {
        Target::Model(_) | Target::DiffusionStakes => Ok(()),
        Target::Government(m, _) | Target::Ambassador(m) => members("a set", m, n_g, true),
        Target::Firm(m, _) => members("a set", m, n_f, true),
        Target::Ngo(m, _) => members("a set", m, n_n, true),
        Target::Ideal(kind, m, issue) => {
            let n = match kind {
                super::paths::AgentKind::Government => n_g,
                super::paths::AgentKind::Firm => n_f,
                super::paths::AgentKind::Ngo => n_n,
            };
            members("a set", m, n, true)?;
            if *issue >= k {
                return Err(format!("a set names issue {issue} of {k}"));
            }
            Ok(())
        }
    }?;
    match (t.range(), value) {
        (Some(range), Value::Number(p)) => param("a set", *p, range),
        (None, Value::Level(_)) => Ok(()),
        _ => Err("a set gives a value of the wrong kind".into()),
    }
}

fn events(s: &Scenario) -> Checked {
    let mut probe = s.clone();
    let mut last = 1;
    for e in &s.events {
        if e.round < last || e.round > s.rounds {
            return Err(format!(
                "an event of round {} is out of order or after the last round {}",
                e.round, s.rounds
            ));
        }
        last = e.round;
        for op in &e.sets {
            target(s, &op.target, &op.value).map_err(|m| format!("{}: {m}", op.path))?;
            super::paths::apply(&mut probe, &op.target, &op.value);
        }
        if let Some(sc) = e.scandal
            && (sc.issue >= s.issues.len() || !Range::UNIT.contains(sc.size))
        {
            return Err(format!(
                "the scandal of round {} is not a valid scandal",
                e.round
            ));
        }
        if let Some(rule) = stakes_rule(&probe).or_else(|| shares_rule(&probe)) {
            return Err(format!("after the event of round {}: {rule}", e.round));
        }
    }
    Ok(())
}

impl Scenario {
    /// Checks a resolved scenario against every limit and rule a scenario file is held to,
    /// and the indices only a resolved scenario has; the error says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_ROUNDS as u64).contains(&u64::from(self.rounds)) {
            return Err(format!("rounds must be between 1 and {MAX_ROUNDS}"));
        }
        if !(1..=MAX_RUNS as u64).contains(&self.runs) {
            return Err(format!("runs must be between 1 and {MAX_RUNS}"));
        }
        let k = self.issues.len();
        if !(1..=MAX_ISSUES).contains(&k) {
            return Err(format!("{k} issues; 1 to {MAX_ISSUES} are allowed"));
        }
        ids("issue", self.issues.iter().map(|i| i.id.as_str()))?;
        if let Some(i) = self
            .issues
            .iter()
            .find(|i| !Range::Positive.contains(i.salience))
        {
            return Err(format!(
                "issue \"{}\": salience must be greater than 0",
                i.id
            ));
        }
        if self.antitrust.is_some_and(|a| a >= k) {
            return Err("the antitrust issue is not one of the issues".into());
        }
        governments(self)?;
        firms_and_ngos(self)?;
        for key in ModelKey::ALL {
            param(
                &format!("model.{}", key.name()),
                *self.model.values.get(*key),
                key.range(),
            )?;
        }
        let phases: BTreeSet<_> = self.model.schedule.iter().map(|p| p.name()).collect();
        if phases.len() != self.model.schedule.len() {
            return Err("the schedule names a phase twice".into());
        }
        if let Some(rule) = stakes_rule(self).or_else(|| shares_rule(self)) {
            return Err(rule);
        }
        events(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline() -> Scenario {
        super::super::load(std::path::Path::new("scenarios/baseline.toml")).expect("loads")
    }

    #[test]
    fn every_bundled_scenario_validates() {
        for entry in std::fs::read_dir("scenarios").expect("the library") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "toml") {
                let s = super::super::load(&path).expect("loads");
                assert_eq!(s.validate(), Ok(()), "{}", path.display());
            }
        }
    }

    #[test]
    fn tampering_is_found() {
        let mut s = baseline();
        s.governments[0].ideal.pop();
        assert!(s.validate().unwrap_err().contains("ideal has 4 values"));
        let mut s = baseline();
        s.governments[1].peers = Members(vec![(0, 4_000)]);
        assert!(s.validate().unwrap_err().contains("peers"));
        let mut s = baseline();
        s.governments[2].citizens = 4_000_000_000;
        assert!(s.validate().unwrap_err().contains("citizens"));
        let mut s = baseline();
        s.firms[0].values.revenue = Param::Fixed(f64::NAN);
        assert!(s.validate().unwrap_err().contains("revenue"));
        let mut s = baseline();
        s.ngos[0].focus = 1 << 40;
        assert!(s.validate().unwrap_err().contains("focus"));
    }
}
