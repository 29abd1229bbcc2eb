//! Validation of a merged raw scenario into a resolved [`Scenario`]: defaults filled, ids
//! turned into indices, `count` expanded, every range and reference checked, and the rules
//! that involve several keys checked after each event. Every problem found is collected, so
//! one `check` shows them all.

use std::collections::BTreeMap;

use super::keys::{FirmKey, GovernmentKey, Level, ModelKey, NgoKey, Range, model_table_keys};
use super::paths::{self, SetOp, Target, Value, check_param};
use super::raw::*;
use super::{
    Event, Firm, Government, GovernmentKind, Issue, MAX_OPINION_VALUES, Members, Model, Ngo, Phase,
    Problem, Scandal, Scenario,
};

const MAX_ROUNDS: i64 = 1_000_000;
const MAX_RUNS: i64 = 1_000_000_000;
const MAX_ISSUES: usize = 64;
const MAX_AGENTS: i64 = 100_000;
const MAX_CITIZENS: i64 = 10_000_000;
/// Slack for sums of shares written in decimal (0.5 + 0.3 + 0.2).
const SUM_SLACK: f64 = 1e-12;

/// Whether an id matches `[a-z0-9][a-z0-9_-]*`.
pub fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

struct Resolver {
    problems: Vec<Problem>,
    /// Where to point problems that belong to no key (line 1 of the top file).
    top: Loc,
}

/// An agent entry's expanded ids, in order.
fn expand_ids(id: &str, count: i64) -> Vec<String> {
    if count == 1 {
        vec![id.to_string()]
    } else {
        (1..=count).map(|i| format!("{id}-{i}")).collect()
    }
}

/// The ids of one kind of agent and the entries they came from.
struct Roster {
    kind: &'static str,
    /// Per entry, how many agents it expands to (0 when the kind has too many in all).
    counts: Vec<i64>,
    /// (expanded id, entry id)
    agents: Vec<(String, String)>,
}

impl Roster {
    fn len(&self) -> usize {
        self.agents.len()
    }

    /// Resolves a list of ids (expanded or entry ids) into members.
    fn members(&self, r: &mut Resolver, list: &IdList, what: &str) -> Members {
        let mut ranges = Vec::new();
        for id in &list.value {
            let before = ranges.len();
            for (i, (agent, entry)) in self.agents.iter().enumerate() {
                if *agent == id.value || *entry == id.value {
                    ranges.push((i as u32, i as u32 + 1));
                }
            }
            if ranges.len() == before {
                r.err(
                    id.at,
                    format!(
                        "{what} names \"{}\", but no {} has that id",
                        id.value, self.kind
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
    fn list_or_all(
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

impl Resolver {
    fn err(&mut self, at: Loc, message: impl Into<String>) {
        self.problems.push(Problem::at(at, message));
    }

    fn int(&mut self, v: &Sp<Whole>, key: &str, lo: i64, hi: i64) -> i64 {
        let x = v.value.0;
        if x < lo || x > hi {
            self.err(
                v.at,
                format!("{key} must be between {lo} and {hi}, got {x}"),
            );
            return lo;
        }
        x
    }

    fn param(&mut self, v: &Sp<Param>, key: &str, range: Range) -> Param {
        match check_param(v.value, range) {
            Ok(()) => v.value,
            Err(e) => {
                self.err(v.at, format!("{key}: {e}"));
                Param::Fixed(range_default(range))
            }
        }
    }

    /// A required or defaulted number.
    fn number(
        &mut self,
        v: &Option<Sp<Param>>,
        key: &str,
        range: Range,
        default: Option<f64>,
        owner: &Sp<String>,
    ) -> Param {
        match (v, default) {
            (Some(v), _) => self.param(v, key, range),
            (None, Some(d)) => Param::Fixed(d),
            (None, None) => {
                self.err(
                    owner.at,
                    format!("\"{}\" has no {key}, which is required", owner.value),
                );
                Param::Fixed(range_default(range))
            }
        }
    }

    fn id(&mut self, id: &Sp<String>) {
        if !valid_id(&id.value) {
            self.err(
                id.at,
                format!("ids must match [a-z0-9][a-z0-9_-]*, got \"{}\"", id.value),
            );
        }
    }

    /// A per-issue map (`ideal`, `policy`): issue ids to numbers in [0, 1].
    fn issue_map(
        &mut self,
        map: &Option<KeyMap<Sp<Param>>>,
        key: &str,
        issues: &[Issue],
    ) -> Vec<Option<Param>> {
        let mut out = vec![None; issues.len()];
        if let Some(map) = map {
            for (issue, v) in &map.0 {
                match issues.iter().position(|i| i.id == issue.value) {
                    Some(k) => {
                        out[k] = Some(self.param(v, &format!("{key}.{}", issue.value), Range::UNIT))
                    }
                    None => self.err(
                        issue.at,
                        format!(
                            "{key} names issue \"{}\", but no issue has that id",
                            issue.value
                        ),
                    ),
                }
            }
        }
        out
    }

    fn count(&mut self, count: &Option<Sp<Whole>>) -> i64 {
        match count {
            Some(c) => self.int(c, "count", 1, MAX_AGENTS),
            None => 1,
        }
    }
}

/// A value inside `range`, used in place of a bad one so that checking can go on.
fn range_default(range: Range) -> f64 {
    match range {
        Range::Closed(lo, _) => lo,
        Range::OpenClosed(_, hi) => hi,
        Range::Positive => 1.0,
        Range::NonNegative => 0.0,
    }
}

/// Builds the roster of one kind of agent, checking ids and their uniqueness after expansion.
fn roster<E: Entry>(
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
            agents,
        };
    }
    let mut seen: BTreeMap<String, ()> = BTreeMap::new();
    for (e, &c) in entries.iter().zip(&counts) {
        let id = e.value.id();
        for agent in expand_ids(&id.value, c) {
            if seen.insert(agent.clone(), ()).is_some() {
                r.err(id.at, format!("{kind} id \"{agent}\" is used twice"));
            }
            agents.push((agent, id.value.clone()));
        }
    }
    // An entry id that is also another entry's agent would make lists ambiguous.
    for (e, &c) in entries.iter().zip(&counts) {
        let id = e.value.id();
        if c > 1
            && let Some((_, owner)) = agents
                .iter()
                .find(|(a, entry)| *a == id.value && *entry != id.value)
        {
            r.err(
                id.at,
                format!(
                    "{kind} entry id \"{}\" is also the id of an agent of entry \"{owner}\"; lists could not tell them apart",
                    id.value
                ),
            );
        }
    }
    Roster {
        kind,
        counts,
        agents,
    }
}

/// Validates a merged scenario. `top` is where problems with no key of their own point.
pub fn resolve(raw: RawFile, top: Loc) -> Result<Scenario, Vec<Problem>> {
    let mut r = Resolver {
        problems: Vec::new(),
        top,
    };

    // [scenario]
    let (mut name, mut description, mut rounds) = (String::new(), String::new(), 1);
    match &raw.scenario {
        None => r.err(
            top,
            "the file has no [scenario] table; it needs name and rounds",
        ),
        Some(sc) => {
            match &sc.value.name {
                Some(n) => name = n.value.clone(),
                None => r.err(sc.at, "[scenario] has no name, which is required"),
            }
            if let Some(d) = &sc.value.description {
                description = d.value.clone();
            }
            match &sc.value.rounds {
                Some(v) => rounds = r.int(v, "rounds", 1, MAX_ROUNDS),
                None => r.err(sc.at, "[scenario] has no rounds, which is required"),
            }
        }
    }

    // [experiment]
    let (mut runs, mut seed) = (1000, 0);
    if let Some(ex) = &raw.experiment {
        if let Some(v) = &ex.runs {
            runs = r.int(v, "runs", 1, MAX_RUNS);
        }
        if let Some(v) = &ex.seed {
            seed = r.int(v, "seed", 0, i64::MAX);
        }
    }

    // [[issue]]
    let mut issues = Vec::new();
    let mut antitrust: Option<(usize, Loc)> = None;
    if raw.issue.is_empty() {
        r.err(top, "a scenario needs at least one [[issue]]");
    }
    if raw.issue.len() > MAX_ISSUES {
        r.err(
            raw.issue[MAX_ISSUES].value.id.at,
            format!("at most {MAX_ISSUES} issues, got {}", raw.issue.len()),
        );
    }
    for (k, e) in raw.issue.iter().enumerate() {
        let e = &e.value;
        r.id(&e.id);
        if issues.iter().any(|i: &Issue| i.id == e.id.value) {
            r.err(
                e.id.at,
                format!("issue id \"{}\" is used twice", e.id.value),
            );
        }
        let salience = match &e.salience {
            Some(Sp {
                value: Param::Fixed(x),
                at,
            }) => {
                if !Range::Positive.contains(*x) {
                    r.err(*at, format!("salience must be greater than 0, got {x}"));
                }
                *x
            }
            Some(Sp { at, .. }) => {
                r.err(
                    *at,
                    "salience must be a fixed number; issues have no uncertain parameters",
                );
                1.0
            }
            None => 1.0,
        };
        if let Some(Sp { value: true, at }) = &e.antitrust {
            if let Some((first, _)) = antitrust {
                r.err(
                    *at,
                    format!(
                        "at most one issue may be the antitrust issue; \"{}\" already is",
                        raw.issue[first].value.id.value
                    ),
                );
            } else {
                antitrust = Some((k, *at));
            }
        }
        issues.push(Issue {
            id: e.id.value.clone(),
            salience,
        });
    }
    issues.truncate(MAX_ISSUES);

    // Rosters first, so that lists can refer to agents declared later in the file.
    let gov_roster = roster(&mut r, "government", &raw.government, |e| &e.count);
    let firm_roster = roster(&mut r, "firm", &raw.firm, |e| &e.count);
    let ngo_roster = roster(&mut r, "ngo", &raw.ngo, |e| &e.count);
    if raw.government.is_empty() {
        r.err(top, "a scenario needs at least one [[government]]");
    }
    let issue_roster = Roster {
        kind: "issue",
        counts: Vec::new(),
        agents: issues
            .iter()
            .map(|i| (i.id.clone(), i.id.clone()))
            .collect(),
    };
    let k_count = issues.len();

    // [[government]]
    let mut governments = Vec::with_capacity(gov_roster.len());
    let mut opinion_values: u64 = 0;
    let mut memory_reported = false;
    for (entry, e) in raw.government.iter().enumerate() {
        let e = &e.value;
        let kind = match &e.kind {
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
        };
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
        let mut opinion = vec![(0.0, 1.0); k_count];
        if let Some(map) = &e.opinion {
            for (issue, bounds) in &map.0 {
                let Some(k) = issues.iter().position(|i| i.id == issue.value) else {
                    r.err(
                        issue.at,
                        format!(
                            "opinion names issue \"{}\", but no issue has that id",
                            issue.value
                        ),
                    );
                    continue;
                };
                match bounds.value.as_slice() {
                    [lo, hi]
                        if 0.0 <= lo.value.0 && lo.value.0 <= hi.value.0 && hi.value.0 <= 1.0 =>
                    {
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
        let ideal: Vec<Param> = r
            .issue_map(&e.ideal, "ideal", &issues)
            .into_iter()
            .map(|p| p.unwrap_or(Param::Fixed(0.5)))
            .collect();
        let policy = r.issue_map(&e.policy, "policy", &issues);
        let values = super::GovernmentValues::from_fn(|k: GovernmentKey| {
            let v = match k {
                GovernmentKey::Responsiveness => &e.responsiveness,
                GovernmentKey::Susceptibility => &e.susceptibility,
                GovernmentKey::Adjustment => &e.adjustment,
                GovernmentKey::Capacity => &e.capacity,
                GovernmentKey::Trust => &e.trust,
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
                .members(&mut r, list, "coregulate")
                .iter()
                .fold(0u64, |mask, k| mask | 1 << k),
        };
        let peers = match &e.peers {
            None => Members::all(gov_roster.len()),
            Some(list) => gov_roster.members(&mut r, list, "peers"),
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

    // [[firm]]
    let mut firms = Vec::with_capacity(firm_roster.len());
    for (entry, e) in raw.firm.iter().enumerate() {
        let e = &e.value;
        let values = super::FirmValues::from_fn(|k: FirmKey| {
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
            .issue_map(&e.ideal, "ideal", &issues)
            .into_iter()
            .map(|p| p.unwrap_or(Param::Fixed(0.2)))
            .collect();
        let markets = gov_roster.list_or_all(&mut r, &e.markets, "markets", "firm");
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

    // [[ngo]]
    let mut ngos = Vec::with_capacity(ngo_roster.len());
    for (entry, e) in raw.ngo.iter().enumerate() {
        let e = &e.value;
        let values = super::NgoValues::from_fn(|k: NgoKey| {
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
            .issue_map(&e.ideal, "ideal", &issues)
            .into_iter()
            .map(|p| p.unwrap_or(Param::Fixed(0.8)))
            .collect();
        let focus = issue_roster
            .list_or_all(&mut r, &e.focus, "focus", "NGO")
            .iter()
            .fold(0u64, |m, k| m | 1 << k);
        let targets = gov_roster.list_or_all(&mut r, &e.targets, "targets", "NGO");
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

    // [model]
    let model = resolve_model(&mut r, raw.model.as_ref());

    let mut scenario = Scenario {
        name,
        description,
        rounds: rounds as u32,
        runs: runs as u64,
        seed: seed as u64,
        issues,
        antitrust: antitrust.map(|(k, _)| k),
        governments,
        firms,
        ngos,
        model,
        events: Vec::new(),
    };

    // The cross-key rule of [model], before any event.
    if let Some(m) = &raw.model
        && let Some(msg) = stakes_rule(&scenario)
    {
        {
            let at = m
                .coregulation
                .as_ref()
                .and_then(|t| t.0.iter().find(|(k, _)| k.value == "ngo_seat"))
                .map(|(_, v)| v.at)
                .or_else(|| {
                    m.ambassador
                        .as_ref()
                        .and_then(|a| a.stakes.as_ref())
                        .and_then(|t| t.0.first())
                        .map(|(_, v)| v.at)
                })
                .unwrap_or(top);
            r.err(at, msg);
        }
    }

    // [[event]]: resolved, then applied in round order to check the cross-key rules.
    let mut events: Vec<(Event, Vec<Loc>)> = Vec::new();
    if r.problems.is_empty() {
        for e in &raw.event {
            let round = r.int(&e.value.round, "round", 1, rounds) as u32;
            if e.value.set.is_none() && e.value.scandal.is_none() {
                r.err(e.value.round.at, "an event needs set, scandal or both");
            }
            let mut sets = Vec::new();
            let mut locs = Vec::new();
            for (path, value) in e.value.set.iter().flat_map(|s| &s.0) {
                let target = match paths::resolve(&path.value, &scenario) {
                    Ok(t) => t,
                    Err(msg) => {
                        r.err(path.at, msg);
                        continue;
                    }
                };
                match target.value(&value.value) {
                    Ok(v) => {
                        sets.push(SetOp {
                            path: path.value.clone(),
                            target,
                            value: v,
                        });
                        locs.push(path.at);
                    }
                    Err(msg) => r.err(value.at, format!("{}: {msg}", path.value)),
                }
            }
            let scandal = e.value.scandal.as_ref().and_then(|s| {
                let issue = scenario
                    .issues
                    .iter()
                    .position(|i| i.id == s.value.issue.value);
                if issue.is_none() {
                    r.err(
                        s.value.issue.at,
                        format!(
                            "scandal names issue \"{}\", but no issue has that id",
                            s.value.issue.value
                        ),
                    );
                }
                let size = s.value.size.value.0;
                if !Range::UNIT.contains(size) {
                    r.err(
                        s.value.size.at,
                        format!("scandal size must be between 0 and 1, got {size}"),
                    );
                }
                Some(Scandal {
                    issue: issue?,
                    size,
                })
            });
            events.push((
                Event {
                    round,
                    sets,
                    scandal,
                },
                locs,
            ));
        }
        events.sort_by_key(|(e, _)| e.round);
        let mut probe = scenario.clone();
        for (e, locs) in &events {
            for op in &e.sets {
                paths::apply(&mut probe, &op.target, &op.value);
            }
            if let Some(msg) = stakes_rule(&probe).or_else(|| shares_rule(&probe)) {
                let at = locs.first().copied().unwrap_or(top);
                r.err(at, format!("after the event of round {}: {msg}", e.round));
            }
        }
    }
    scenario.events = events.into_iter().map(|(e, _)| e).collect();

    if r.problems.is_empty() {
        Ok(scenario)
    } else {
        Err(r.problems)
    }
}

/// A sum of decimal shares as a person wrote it (1.1, not 1.0999999999999999).
fn round12(x: f64) -> f64 {
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

impl Default for Param {
    fn default() -> Self {
        Param::Fixed(0.0)
    }
}

fn resolve_model(r: &mut Resolver, raw: Option<&RawModel>) -> Model {
    let mut values = super::ModelValues::from_fn(|k: ModelKey| {
        Param::Fixed(k.default_value().unwrap_or_default())
    });
    let mut schedule = Phase::ALL.to_vec();
    let mut diffusion_stakes = Level::Observer;
    let Some(raw) = raw else {
        return Model {
            schedule,
            values,
            diffusion_stakes,
        };
    };
    if let Some(list) = &raw.schedule {
        schedule.clear();
        for name in &list.value {
            match Phase::from_name(&name.value) {
                Some(p) if schedule.contains(&p) => r.err(
                    name.at,
                    format!(
                        "schedule names \"{}\" twice; each phase runs at most once",
                        name.value
                    ),
                ),
                Some(p) => schedule.push(p),
                None => r.err(
                    name.at,
                    format!(
                        "unknown phase \"{}\"; expected one of {}",
                        name.value,
                        Phase::ALL.map(|p| p.name()).join(", ")
                    ),
                ),
            }
        }
    }
    for (table, map) in raw.tables() {
        for (key, value) in &map.0 {
            let full = format!("{table}.{}", key.value);
            if full == "diffusion.stakes" {
                match paths::Target::DiffusionStakes.value(&value.value) {
                    Ok(Value::Level(l)) => diffusion_stakes = l,
                    Ok(Value::Number(_)) => {}
                    Err(msg) => r.err(value.at, format!("diffusion.stakes: {msg}")),
                }
                continue;
            }
            let Some(k) = ModelKey::from_name(&full) else {
                r.err(
                    key.at,
                    format!(
                        "unknown key \"{}\" in [model.{table}]; expected one of {}",
                        key.value,
                        model_table_keys(table).join(", ")
                    ),
                );
                continue;
            };
            match Target::Model(k).value(&value.value) {
                Ok(Value::Number(p)) => *values.get_mut(k) = p,
                Ok(Value::Level(_)) => {}
                Err(msg) => r.err(value.at, format!("{full}: {msg}")),
            }
        }
    }
    Model {
        schedule,
        values,
        diffusion_stakes,
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
