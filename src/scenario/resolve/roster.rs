//! Rosters: the expanded ids of one kind of agent (an entry with `count` N stands for agents
//! `id-1`..`id-N`), checked for uniqueness, and the id lists (`peers`, `markets`, `targets`,
//! `focus`, `coregulate`) resolved against them.

use std::collections::BTreeMap;

use super::{MAX_AGENTS, Resolver};
use crate::scenario::raw::{Entry, IdList, Sp, Whole};
use crate::scenario::suggest;
use crate::scenario::{Issue, Members};

/// Whether an id matches `[a-z0-9][a-z0-9_-]*`.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// An agent entry's expanded ids, in order.
pub(super) fn expand_ids(id: &str, count: i64) -> Vec<String> {
    if count == 1 {
        vec![id.to_string()]
    } else {
        (1..=count).map(|i| format!("{id}-{i}")).collect()
    }
}

/// The ids of one kind of agent and the entries they came from.
pub(super) struct Roster {
    pub(super) kind: &'static str,
    /// Per entry, how many agents it expands to (0 when the kind has too many in all).
    pub(super) counts: Vec<i64>,
    /// (expanded id, entry id)
    pub(super) agents: Vec<(String, String)>,
    /// Every expanded id and entry id, with the agents it names: a list resolves in time
    /// linear in its length, not in the roster's size.
    index: BTreeMap<String, Vec<(u32, u32)>>,
}

/// The index of a roster's ids: an agent's id names it, an entry's id all its agents.
fn index_of(agents: &[(String, String)]) -> BTreeMap<String, Vec<(u32, u32)>> {
    let mut index: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    for (i, (agent, entry)) in agents.iter().enumerate() {
        let i = i as u32;
        index.entry(agent.clone()).or_default().push((i, i + 1));
        if entry != agent {
            let ranges = index.entry(entry.clone()).or_default();
            match ranges.last_mut() {
                Some(last) if last.1 == i => last.1 = i + 1,
                _ => ranges.push((i, i + 1)),
            }
        }
    }
    index
}

impl Roster {
    /// The issues, as a roster that `focus` and `coregulate` lists refer to.
    pub(super) fn of_issues(issues: &[Issue]) -> Roster {
        let agents: Vec<(String, String)> = issues
            .iter()
            .map(|i| (i.id.clone(), i.id.clone()))
            .collect();
        Roster {
            kind: "issue",
            counts: Vec::new(),
            index: index_of(&agents),
            agents,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.agents.len()
    }

    /// The entry ids, in file order (an entry with `count` stands for its agents).
    fn entry_ids(&self) -> impl Iterator<Item = &str> + Clone {
        let mut last: Option<&str> = None;
        self.agents.iter().filter_map(move |(_, entry)| {
            let new = last != Some(entry.as_str());
            last = Some(entry.as_str());
            new.then_some(entry.as_str())
        })
    }

    /// Resolves a list of ids (expanded or entry ids) into members.
    pub(super) fn members(&self, r: &mut Resolver, list: &IdList, what: &str) -> Members {
        let mut ranges = Vec::new();
        for id in &list.value {
            let before = ranges.len();
            if let Some(found) = self.index.get(&id.value) {
                ranges.extend_from_slice(found);
            }
            if ranges.len() == before {
                r.err(
                    id.at,
                    format!(
                        "{what} names \"{}\", but no {} has that id{}",
                        id.value,
                        self.kind,
                        suggest::unknown_id(&id.value, self.entry_ids())
                    ),
                );
            }
        }
        Members::from_ranges(ranges)
    }
}

impl Roster {
    /// A list that must not be empty when given (the agent could do nothing), or all agents
    /// of the kind when absent.
    pub(super) fn list_or_all(
        &self,
        r: &mut Resolver,
        list: &Option<IdList>,
        what: &str,
        owner: &str,
    ) -> Members {
        match list {
            None => Members::all(self.len()),
            Some(list) => {
                if list.value.is_empty() {
                    r.err(
                        list.at,
                        format!(
                            "{what} must name at least one {} (an empty list leaves the {owner} nothing to do)",
                            self.kind
                        ),
                    );
                }
                self.members(r, list, what)
            }
        }
    }
}

/// Builds the roster of one kind of agent, checking ids and their uniqueness after expansion.
pub(super) fn roster<E: Entry>(
    r: &mut Resolver,
    kind: &'static str,
    entries: &[Sp<E>],
    count: impl Fn(&E) -> &Option<Sp<Whole>>,
) -> Roster {
    let mut total: i64 = 0;
    let mut counts = Vec::with_capacity(entries.len());
    for e in entries {
        r.id(e.value.id());
        let c = r.count(count(&e.value));
        total += c;
        counts.push(c);
    }
    let mut agents = Vec::new();
    if total > MAX_AGENTS {
        let at = entries.last().map_or(r.top, |e| e.value.id().at);
        r.err(
            at,
            format!("at most {MAX_AGENTS} {kind}s after count expansion, got {total}"),
        );
        return Roster {
            kind,
            counts: vec![0; entries.len()],
            index: BTreeMap::new(),
            agents,
        };
    }
    // Each expanded id, with the entry it came from.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for (e, &c) in entries.iter().zip(&counts) {
        let id = e.value.id();
        for agent in expand_ids(&id.value, c) {
            if owner.insert(agent.clone(), id.value.clone()).is_some() {
                r.err(id.at, format!("{kind} id \"{agent}\" is used twice"));
            }
            agents.push((agent, id.value.clone()));
        }
    }
    // An entry id that is also another entry's agent would make lists ambiguous.
    for (e, &c) in entries.iter().zip(&counts) {
        let id = e.value.id();
        if c > 1
            && let Some(other) = owner.get(&id.value).filter(|o| **o != id.value)
        {
            r.err(
                id.at,
                format!(
                    "{kind} entry id \"{}\" is also the id of an agent of entry \"{other}\"; lists could not tell them apart",
                    id.value
                ),
            );
        }
    }
    Roster {
        kind,
        counts,
        index: index_of(&agents),
        agents,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_pattern() {
        for ok in ["a", "0", "city-3", "a_b", "eu"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["", "A", "-a", "_a", "a.b", "a b", "é"] {
            assert!(!valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn expansion_names_agents_one_to_n() {
        assert_eq!(expand_ids("town", 1), ["town"]);
        assert_eq!(expand_ids("town", 3), ["town-1", "town-2", "town-3"]);
    }
}
