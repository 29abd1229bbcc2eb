//! The JSON Schema of one scenario file, for editors: `netstates schema` prints it, and an
//! editor that reads TOML through JSON Schema (Taplo, so VS Code's Even Better TOML) then
//! completes keys, shows each key's description, range and default, and marks unknown keys,
//! numbers out of range, wrong types and unknown words as the file is typed.
//!
//! The schema is draft-07. Taplo's documentation promises draft 4, but it validates with the
//! Rust `jsonschema` crate, which takes the draft from `$schema` and implements drafts 4, 6
//! and 7; draft-07 is the newest of those and the first with the two things this schema
//! needs, `if`/`else` (what a file without `extends` must hold) and numeric
//! `exclusiveMinimum` (ranges such as `> 0`). The schema is built from the tables the loader
//! checks against ([`super::keys`], the limits of `resolve`, [`Level`], [`Phase`],
//! [`GovernmentKind`]), so a key's range and default are written once. The descriptions
//! are MODEL.md's wording.
//!
//! It describes one file, not the scenario a chain of `extends` makes: the keys a parent
//! can give (`name`, `rounds`, at least one issue and government, `citizens`, `revenue`,
//! `budget`) are required only in a file without `extends`. What it cannot say is left to
//! `netstates check`: references between ids, unique ids, lo <= hi of a range, the limits
//! that count agents after `count`, the sums of several keys, an event's round against
//! `rounds`, and what a file's parents hold. Nothing here reads files or validates.

use serde_json::{Map, Value, json};

use super::keys::{FirmKey, GovernmentKey, Level, ModelKey, NgoKey, Range};
use super::resolve::{MAX_AGENTS, MAX_CITIZENS, MAX_ISSUES, MAX_ROUNDS, MAX_RUNS};
use super::{GovernmentKind, Phase};

/// The JSON Schema dialect the schema is written in.
pub const DIALECT: &str = "http://json-schema.org/draft-07/schema#";

/// Ids: `[a-z0-9][a-z0-9_-]*`, as `resolve` checks them.
const ID: &str = "[a-z0-9][a-z0-9_-]*";

/// The description of every table and key, by its path in the file (`[[government]]`'s keys
/// as `government.<key>`, the level maps of `[model.ambassador]` as
/// `model.ambassador.<map>`), in MODEL.md's words.
const DESCRIPTIONS: &[(&str, &str)] = &[
    ("scenario", "The scenario's name and length."),
    (
        "scenario.name",
        "The scenario's name. Required, unless a file this one extends gives it.",
    ),
    ("scenario.description", "Free text."),
    (
        "scenario.rounds",
        "Number of rounds; one round is about one quarter. Required, unless a file this one extends gives it.",
    ),
    (
        "scenario.extends",
        "Load that file first (path relative to this one), then apply this file on top: \
         entries with the same id change key by key, new ids are appended, [model] merges \
         down to single keys, events are appended.",
    ),
    (
        "experiment",
        "Defaults of `netstates run`; the command line overrides them.",
    ),
    ("experiment.runs", "Number of runs."),
    (
        "experiment.seed",
        "The experiment's seed, 0 to 2^63-1 in a file (the command line takes any u64).",
    ),
    (
        "issue",
        "The policy issues, 1 to 64. Every policy, ideal and opinion is a number in [0, 1]: \
         0 = no regulation, 1 = the strictest.",
    ),
    ("issue.id", "The issue's id, unique among issues."),
    (
        "issue.salience",
        "How much the issue weighs in lobbying and welfare; a fixed number.",
    ),
    (
        "issue.antitrust",
        "Whether this is the competition issue antitrust cases are decided on; at most one issue may be.",
    ),
    (
        "government",
        "Governments, 1 to 100000 after count expansion.",
    ),
    (
        "government.id",
        "The government's id, unique among governments after count expansion.",
    ),
    (
        "government.kind",
        "A label: national, city or supranational.",
    ),
    (
        "government.count",
        "This entry stands for `count` governments id-1 .. id-N (ids unchanged when count = 1).",
    ),
    (
        "government.citizens",
        "Simulated citizens (a sample of the public). Required, unless a file this one extends gives it.",
    ),
    (
        "government.opinion",
        "Per issue id, initial citizen opinions uniform in [lo, hi], 0 <= lo <= hi <= 1; default [0, 1].",
    ),
    (
        "government.ideal",
        "Per issue id, the government's own position; default 0.5.",
    ),
    (
        "government.policy",
        "Per issue id, the initial policy; default = ideal.",
    ),
    (
        "government.responsiveness",
        "Weight on public opinion vs its own ideal.",
    ),
    (
        "government.susceptibility",
        "Converts lobbying money into pressure.",
    ),
    (
        "government.adjustment",
        "Share of the gap to its target closed each round.",
    ),
    ("government.capacity", "Enforcement and technical capacity."),
    ("government.trust", "Initial public trust."),
    (
        "government.ambassador",
        "The tech ambassador's level: none, observer, consultative or equal.",
    ),
    (
        "government.coregulate",
        "Issue ids decided at a co-regulation table; default [].",
    ),
    (
        "government.peers",
        "Government ids (an entry id stands for all its agents); default all others.",
    ),
    (
        "government.market_size",
        "The relative size of this market: a firm splits its revenue, PR and lobbying over \
         its markets in proportion, and metrics over governments weigh each by it.",
    ),
    ("firm", "Firms, 0 to 100000 after count expansion."),
    (
        "firm.id",
        "The firm's id, unique among firms after count expansion.",
    ),
    (
        "firm.count",
        "This entry stands for `count` firms id-1 .. id-N (ids unchanged when count = 1).",
    ),
    (
        "firm.revenue",
        "Revenue (billions; only ratios matter). Required, unless a file this one extends gives it.",
    ),
    (
        "firm.ideal",
        "Per issue id, the firm's ideal policy; default 0.2.",
    ),
    (
        "firm.markets",
        "Government ids where it operates (an entry id stands for all its agents); default all.",
    ),
    (
        "firm.lobby_share",
        "Share of revenue spent on lobbying per round.",
    ),
    (
        "firm.pr_share",
        "Share of revenue spent on public campaigns per round.",
    ),
    ("firm.integrity", "Baseline propensity to comply."),
    ("firm.growth", "Revenue growth per round."),
    (
        "firm.volatility",
        "Size of the random revenue shock per round (its standard deviation).",
    ),
    ("ngo", "NGOs, 0 to 100000 after count expansion."),
    (
        "ngo.id",
        "The NGO's id, unique among NGOs after count expansion.",
    ),
    (
        "ngo.count",
        "This entry stands for `count` NGOs id-1 .. id-N (ids unchanged when count = 1).",
    ),
    (
        "ngo.budget",
        "Budget per round. Required, unless a file this one extends gives it.",
    ),
    (
        "ngo.ideal",
        "Per issue id, the NGO's ideal policy; default 0.8.",
    ),
    ("ngo.focus", "Issue ids it works on; default all."),
    (
        "ngo.targets",
        "Government ids it works on (an entry id stands for all its agents); default all.",
    ),
    (
        "ngo.campaign_share",
        "Share of the budget spent on public campaigns per round; the three shares sum to at most 1.",
    ),
    (
        "ngo.advocacy_share",
        "Share of the budget spent on advocacy (lobbying) per round; the three shares sum to at most 1.",
    ),
    (
        "ngo.watchdog_share",
        "Share of the budget spent on watchdogs per round; the three shares sum to at most 1.",
    ),
    (
        "model",
        "The mechanisms' parameters; every key is optional.",
    ),
    (
        "model.schedule",
        "The phases of a round, in order, each at most once; phases not named do nothing. Default: all ten in this order.",
    ),
    (
        "model.opinion",
        "Public opinion: bounded-confidence pair dynamics.",
    ),
    (
        "model.opinion.confidence",
        "Two citizens move towards each other on an issue only if their opinions differ by less than this.",
    ),
    (
        "model.opinion.convergence",
        "Share of the difference each of the two citizens moves.",
    ),
    (
        "model.opinion.interactions",
        "Pair interactions per citizen per round.",
    ),
    ("model.campaigns", "Public campaigns of NGOs and firms."),
    (
        "model.campaigns.cost_per_citizen",
        "What reaching one citizen costs.",
    ),
    (
        "model.campaigns.persuasion",
        "Share of the gap to the campaigner's ideal that a reached citizen closes.",
    ),
    (
        "model.lobbying",
        "Lobbying: money buys influence with diminishing returns.",
    ),
    (
        "model.lobbying.half_saturation",
        "Pressure (susceptibility x spend) at which lobbying intensity is one half.",
    ),
    (
        "model.ambassador",
        "One number per ambassador level; level none is always 0.",
    ),
    (
        "model.ambassador.access",
        "Lobbying access a firm gets through an ambassador of each level: its lobbying weight is 1 + access.",
    ),
    (
        "model.ambassador.stakes",
        "The firms' weight at a co-regulation table under each level; stakes + coregulation.ngo_seat <= 1.",
    ),
    (
        "model.ambassador.insight",
        "Capacity an ambassador of each level adds to enforcement (effective capacity is capped at 1).",
    ),
    ("model.coregulation", "Co-regulation tables."),
    (
        "model.coregulation.ngo_seat",
        "The NGOs' weight at a co-regulation table; stakes[level] + ngo_seat <= 1 for every level.",
    ),
    (
        "model.coregulation.buyin",
        "Added to a firm's probability of complying on a co-regulated issue.",
    ),
    (
        "model.compliance",
        "Compliance: a firm weighs its cost against the expected fine.",
    ),
    (
        "model.compliance.cost_factor",
        "Compliance cost per unit of policy gap and revenue.",
    ),
    (
        "model.compliance.fine_rate",
        "Fine per unit of policy gap and revenue.",
    ),
    (
        "model.compliance.backlash",
        "When a violation is caught, every citizen's opinion moves this share of the way to 1.",
    ),
    (
        "model.compliance.watchdog_half_saturation",
        "Watchdog spend at which it raises detection by half.",
    ),
    ("model.market", "Firms' revenues."),
    (
        "model.market.min_revenue",
        "A firm's revenue never falls below this.",
    ),
    (
        "model.antitrust",
        "Antitrust cases on the competition issue.",
    ),
    (
        "model.antitrust.policy_threshold",
        "Competition policy at or above which a government may bring cases.",
    ),
    (
        "model.antitrust.hhi_threshold",
        "Market concentration (HHI) at or above which cases happen; 2500 = highly concentrated.",
    ),
    (
        "model.antitrust.rate",
        "Probability scale of a case (times effective capacity and competition policy).",
    ),
    (
        "model.antitrust.penalty",
        "Share of revenue a case takes from the largest firm.",
    ),
    ("model.scandals", "Random scandals."),
    (
        "model.scandals.rate",
        "Probability of a scandal per issue per round.",
    ),
    (
        "model.scandals.size",
        "A scandal moves every citizen's opinion on its issue this share of the way to 1.",
    ),
    (
        "model.diffusion",
        "Diffusion of ambassadors and policy learning across peers.",
    ),
    (
        "model.diffusion.adoption",
        "A government without an ambassador adopts one with probability adoption x the share of its peers with one.",
    ),
    (
        "model.diffusion.learning",
        "Share of the gap to its peers' mean policy a government closes each round.",
    ),
    (
        "model.diffusion.stakes",
        "The level a government adopts by diffusion: observer, consultative or equal.",
    ),
    ("model.trust", "Public trust."),
    (
        "model.trust.rate",
        "Speed at which trust follows how close policy is to public opinion.",
    ),
    ("event", "Changes at a given round; any number."),
    (
        "event.round",
        "The round it happens at, 1 to the scenario's rounds.",
    ),
    (
        "event.set",
        "Parameter path = value, e.g. \"government.denmark.ambassador\" = \"equal\" or \
         \"firm.*.lobby_share\" = 0.01; takes effect at this round and lasts.",
    ),
    ("event.scandal", "A scandal on one issue at this round."),
    ("event.scandal.issue", "The issue's id."),
    (
        "event.scandal.size",
        "Every citizen's opinion on the issue moves this share of the way to 1.",
    ),
];

/// The description of a table or key; empty for a path the table lacks (a unit test holds
/// every path of the schema to having one).
fn describe(path: &str) -> &'static str {
    DESCRIPTIONS
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, d)| d)
}

/// A number in `range`.
fn number(range: Range) -> Value {
    let mut s = Map::new();
    s.insert("type".into(), json!("number"));
    match range {
        Range::Closed(lo, hi) => {
            s.insert("minimum".into(), json!(lo));
            s.insert("maximum".into(), json!(hi));
        }
        Range::OpenClosed(lo, hi) => {
            s.insert("exclusiveMinimum".into(), json!(lo));
            s.insert("maximum".into(), json!(hi));
        }
        Range::Positive => {
            s.insert("exclusiveMinimum".into(), json!(0.0));
        }
        Range::NonNegative => {
            s.insert("minimum".into(), json!(0.0));
        }
    }
    Value::Object(s)
}

/// A whole number in `lo..=hi`.
fn whole(lo: i64, hi: i64) -> Value {
    json!({ "type": "integer", "minimum": lo, "maximum": hi })
}

/// A number in `range`, fixed or `{ uniform = [lo, hi] }` (MODEL.md 1.1).
fn param(range: Range) -> Value {
    json!({
        "anyOf": [
            number(range),
            {
                "type": "object",
                "description": "Uncertain: drawn uniformly from [lo, hi] once per run, lo <= hi.",
                "properties": {
                    "uniform": {
                        "type": "array",
                        "items": number(range),
                        "minItems": 2,
                        "maxItems": 2,
                    }
                },
                "required": ["uniform"],
                "additionalProperties": false,
            }
        ]
    })
}

/// An id.
fn id() -> Value {
    json!({ "type": "string", "pattern": format!("^{ID}$") })
}

/// A list of ids; `nonempty` when an empty list is an error.
fn id_list(nonempty: bool) -> Value {
    let mut s = json!({ "type": "array", "items": id() });
    if nonempty {
        s["minItems"] = json!(1);
    }
    s
}

/// A per-issue map: issue ids to `value`.
fn issue_map(value: Value) -> Value {
    json!({
        "type": "object",
        "propertyNames": { "pattern": format!("^{ID}$") },
        "additionalProperties": value,
    })
}

/// A word out of `words`.
fn word(words: &[&str]) -> Value {
    json!({ "type": "string", "enum": words })
}

/// `schema` with the description of `path` and, if any, a default. A level of a
/// `[model.ambassador]` map (`model.ambassador.stakes.equal`) has its map's description.
fn described(mut schema: Value, path: &str, default: Option<Value>) -> Value {
    let text = match path.rsplit_once('.') {
        Some((map, level)) if map.starts_with("model.ambassador.") => {
            format!("{} For level {level}.", describe(map))
        }
        _ => describe(path).to_string(),
    };
    if let Value::Object(s) = &mut schema {
        s.insert("description".into(), json!(text));
        if let Some(d) = default {
            s.insert("default".into(), d);
        }
    }
    schema
}

/// A table whose keys are exactly `properties`, each described under `path`.
fn table(path: &str, properties: Vec<(&str, Value, Option<Value>)>) -> Value {
    let props: Map<String, Value> = properties
        .into_iter()
        .map(|(key, schema, default)| {
            let full = format!("{path}.{key}");
            (key.to_string(), described(schema, &full, default))
        })
        .collect();
    described(
        json!({ "type": "object", "properties": props, "additionalProperties": false }),
        path,
        None,
    )
}

/// An array of tables (`[[issue]]`, ...).
fn entries(path: &str, item: Value) -> Value {
    described(json!({ "type": "array", "items": item }), path, None)
}

fn levels() -> Vec<&'static str> {
    Level::ALL.iter().map(|l| l.name()).collect()
}

/// Levels a government can adopt by diffusion: all but none.
fn adoptable_levels() -> Vec<&'static str> {
    Level::ALL
        .iter()
        .filter(|l| **l != Level::None)
        .map(|l| l.name())
        .collect()
}

/// The numeric keys of an agent kind: name, schema and default.
fn agent_numbers<K: Copy>(
    keys: &[K],
    name: impl Fn(K) -> &'static str,
    range: impl Fn(K) -> Range,
    default: impl Fn(K) -> Option<f64>,
) -> Vec<(&'static str, Value, Option<Value>)> {
    keys.iter()
        .map(|&k| (name(k), param(range(k)), default(k).map(|d| json!(d))))
        .collect()
}

fn scenario() -> Value {
    table(
        "scenario",
        vec![
            ("name", json!({ "type": "string" }), None),
            ("description", json!({ "type": "string" }), Some(json!(""))),
            ("rounds", whole(1, MAX_ROUNDS), None),
            ("extends", json!({ "type": "string" }), None),
        ],
    )
}

fn experiment() -> Value {
    table(
        "experiment",
        vec![
            ("runs", whole(1, MAX_RUNS), Some(json!(1000))),
            ("seed", whole(0, i64::MAX), Some(json!(0))),
        ],
    )
}

fn issue() -> Value {
    let mut item = table(
        "issue",
        vec![
            ("id", id(), None),
            ("salience", number(Range::Positive), Some(json!(1.0))),
            (
                "antitrust",
                json!({ "type": "boolean" }),
                Some(json!(false)),
            ),
        ],
    );
    item["required"] = json!(["id"]);
    let mut list = entries("issue", item);
    list["maxItems"] = json!(MAX_ISSUES);
    list
}

/// `id` and `count`, the keys every agent entry starts with.
fn agent_head() -> Vec<(&'static str, Value, Option<Value>)> {
    vec![
        ("id", id(), None),
        ("count", whole(1, MAX_AGENTS), Some(json!(1))),
    ]
}

fn government() -> Value {
    let kinds: Vec<&str> = GovernmentKind::ALL.iter().map(|k| k.name()).collect();
    let mut keys = agent_head();
    keys.extend([
        ("kind", word(&kinds), Some(json!("national"))),
        ("citizens", whole(2, MAX_CITIZENS), None),
        (
            "opinion",
            issue_map(json!({
                "type": "array",
                "items": number(Range::UNIT),
                "minItems": 2,
                "maxItems": 2,
            })),
            None,
        ),
        ("ideal", issue_map(param(Range::UNIT)), None),
        ("policy", issue_map(param(Range::UNIT)), None),
    ]);
    keys.extend(agent_numbers(
        GovernmentKey::ALL,
        GovernmentKey::name,
        GovernmentKey::range,
        GovernmentKey::default_value,
    ));
    keys.extend([
        ("ambassador", word(&levels()), Some(json!("none"))),
        ("coregulate", id_list(false), Some(json!([]))),
        ("peers", id_list(false), None),
    ]);
    let mut item = table("government", keys);
    item["required"] = json!(["id"]);
    entries("government", item)
}

fn firm() -> Value {
    let mut keys = agent_head();
    keys.push(("ideal", issue_map(param(Range::UNIT)), None));
    keys.push(("markets", id_list(true), None));
    keys.extend(agent_numbers(
        FirmKey::ALL,
        FirmKey::name,
        FirmKey::range,
        FirmKey::default_value,
    ));
    let mut item = table("firm", keys);
    item["required"] = json!(["id"]);
    entries("firm", item)
}

fn ngo() -> Value {
    let mut keys = agent_head();
    keys.push(("ideal", issue_map(param(Range::UNIT)), None));
    keys.push(("focus", id_list(true), None));
    keys.push(("targets", id_list(true), None));
    keys.extend(agent_numbers(
        NgoKey::ALL,
        NgoKey::name,
        NgoKey::range,
        NgoKey::default_value,
    ));
    let mut item = table("ngo", keys);
    item["required"] = json!(["id"]);
    entries("ngo", item)
}

/// `[model]`: the schedule, and one table per mechanism built from [`ModelKey`]'s names
/// (`opinion.confidence`, `ambassador.stakes.equal`, ...).
fn model() -> Value {
    let phases: Vec<&str> = Phase::ALL.iter().map(|p| p.name()).collect();
    let default_schedule = json!(phases);
    let mut model = table(
        "model",
        vec![(
            "schedule",
            json!({ "type": "array", "items": word(&phases), "uniqueItems": true }),
            Some(default_schedule),
        )],
    );
    let keys = ModelKey::ALL.iter().map(|k| {
        let schema = param(k.range());
        let default = k.default_value().map(|d| json!(d));
        (k.name(), schema, default)
    });
    let stakes = (
        "diffusion.stakes",
        word(&adoptable_levels()),
        Some(json!(Level::Observer.name())),
    );
    for (name, schema, default) in keys.chain([stakes]) {
        let mut node = &mut model;
        let mut path = String::from("model");
        let parts: Vec<&str> = name.split('.').collect();
        let (leaf, tables) = parts.split_last().unwrap_or((&"", &[]));
        for part in tables {
            path = format!("{path}.{part}");
            let props = &mut node["properties"];
            if props.get(*part).is_none() {
                props[*part] = described(
                    json!({ "type": "object", "properties": {}, "additionalProperties": false }),
                    &path,
                    None,
                );
            }
            node = &mut props[*part];
        }
        node["properties"][*leaf] = described(schema, &format!("{path}.{leaf}"), default);
    }
    model
}

/// The paths an event's `set` may name (MODEL.md 1.2), each with the values it takes: the
/// numbers of `[model]` and of every agent kind, the agents' ideals, the ambassador level and
/// `model.diffusion.stakes`.
fn set_paths() -> Value {
    let agent = format!("({ID}|\\*)");
    let mut paths = Map::new();
    let mut add = |pattern: String, schema: Value| {
        paths.insert(format!("^{pattern}$"), schema);
    };
    for k in ModelKey::ALL {
        add(
            format!("model\\.{}", k.name().replace('.', "\\.")),
            param(k.range()),
        );
    }
    add(
        "model\\.diffusion\\.stakes".into(),
        word(&adoptable_levels()),
    );
    for k in GovernmentKey::ALL {
        add(
            format!("government\\.{agent}\\.{}", k.name()),
            param(k.range()),
        );
    }
    add(
        format!("government\\.{agent}\\.ambassador"),
        word(&levels()),
    );
    for k in FirmKey::ALL {
        add(format!("firm\\.{agent}\\.{}", k.name()), param(k.range()));
    }
    for k in NgoKey::ALL {
        add(format!("ngo\\.{agent}\\.{}", k.name()), param(k.range()));
    }
    add(
        format!("(government|firm|ngo)\\.{agent}\\.ideal\\.{ID}"),
        param(Range::UNIT),
    );
    json!({
        "type": "object",
        "patternProperties": paths,
        "additionalProperties": false,
    })
}

fn event() -> Value {
    let scandal = {
        let mut s = table(
            "event.scandal",
            vec![("issue", id(), None), ("size", number(Range::UNIT), None)],
        );
        s["required"] = json!(["issue", "size"]);
        s
    };
    let mut item = table(
        "event",
        vec![
            ("round", whole(1, MAX_ROUNDS), None),
            ("set", set_paths(), None),
        ],
    );
    item["properties"]["scandal"] = scandal;
    item["required"] = json!(["round"]);
    item["anyOf"] = json!([{ "required": ["set"] }, { "required": ["scandal"] }]);
    entries("event", item)
}

/// What a file without `extends` must hold itself: a file with `extends` may leave any of
/// it to its parents.
fn without_extends() -> Value {
    json!({
        "if": {
            "properties": { "scenario": { "required": ["extends"] } },
            "required": ["scenario"],
        },
        "else": {
            "required": ["scenario", "issue", "government"],
            "properties": {
                "scenario": { "required": ["name", "rounds"] },
                "issue": { "minItems": 1 },
                "government": { "minItems": 1, "items": { "required": ["citizens"] } },
                "firm": { "items": { "required": ["revenue"] } },
                "ngo": { "items": { "required": ["budget"] } },
            },
        },
    })
}

/// The JSON Schema of one scenario file.
pub fn json_schema() -> Value {
    let mut properties = Map::new();
    properties.insert("scenario".into(), scenario());
    properties.insert("experiment".into(), experiment());
    properties.insert("issue".into(), issue());
    properties.insert("government".into(), government());
    properties.insert("firm".into(), firm());
    properties.insert("ngo".into(), ngo());
    properties.insert("model".into(), model());
    properties.insert("event".into(), event());
    let mut schema = json!({
        "$schema": DIALECT,
        "title": "netstates scenario",
        "description": "One netstates scenario file (TOML). Keys that a file named by \
            `extends` can give are required only in a file without `extends`; \
            `netstates check` validates the whole chain, ids and references.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    if let (Value::Object(s), Value::Object(rule)) = (&mut schema, without_extends()) {
        s.extend(rule);
    }
    schema
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::{self, Deserialize, Deserializer, Visitor};

    use super::*;
    use crate::scenario::keys::model_table_keys;
    use crate::scenario::raw::{
        RawAmbassador, RawEvent, RawExperiment, RawFile, RawFirm, RawGovernment, RawIssue,
        RawModel, RawNgo, RawScandal, RawScenario,
    };

    /// Stops a deserialization once the fields of a struct are known.
    #[derive(Debug)]
    struct Stop;

    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("stop")
        }
    }

    impl std::error::Error for Stop {}

    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    /// A deserializer that records the field names a derived `Deserialize` asks for: the keys
    /// the loader accepts in that table.
    struct Fields<'a>(&'a mut Vec<&'static str>);

    impl<'de> Deserializer<'de> for Fields<'_> {
        type Error = Stop;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0.extend_from_slice(fields);
            Err(Stop)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
            identifier ignored_any
        }
    }

    /// The keys the loader accepts in the table that `T` mirrors, sorted.
    fn loader_keys<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
        let mut fields = Vec::new();
        assert!(T::deserialize(Fields(&mut fields)).is_err());
        fields.sort_unstable();
        fields
    }

    /// The keys the schema gives the table at `pointer`, sorted.
    fn schema_keys(schema: &Value, pointer: &str) -> Vec<String> {
        let props = schema
            .pointer(&format!("{pointer}/properties"))
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("the schema has a table at {pointer}"));
        props.keys().cloned().collect()
    }

    #[test]
    fn the_schema_has_every_key_the_loader_accepts_and_no_other() {
        let s = json_schema();
        let tables: [(&str, Vec<&str>); 11] = [
            ("", loader_keys::<RawFile>()),
            ("/properties/scenario", loader_keys::<RawScenario>()),
            ("/properties/experiment", loader_keys::<RawExperiment>()),
            ("/properties/issue/items", loader_keys::<RawIssue>()),
            (
                "/properties/government/items",
                loader_keys::<RawGovernment>(),
            ),
            ("/properties/firm/items", loader_keys::<RawFirm>()),
            ("/properties/ngo/items", loader_keys::<RawNgo>()),
            ("/properties/model", loader_keys::<RawModel>()),
            (
                "/properties/model/properties/ambassador",
                loader_keys::<RawAmbassador>(),
            ),
            ("/properties/event/items", loader_keys::<RawEvent>()),
            (
                "/properties/event/items/properties/scandal",
                loader_keys::<RawScandal>(),
            ),
        ];
        for (pointer, loader) in tables {
            assert!(!loader.is_empty(), "the probe read the fields of {pointer}");
            assert_eq!(schema_keys(&s, pointer), loader, "table {pointer:?}");
        }
        let model = &s["properties"]["model"]["properties"];
        for table in model.as_object().expect("tables").keys() {
            if table == "schedule" || table == "ambassador" {
                continue;
            }
            let mut loader = model_table_keys(table);
            loader.sort_unstable();
            assert_eq!(
                schema_keys(&s, &format!("/properties/model/properties/{table}")),
                loader,
                "[model.{table}]"
            );
        }
        for map in ["access", "stakes", "insight"] {
            let mut loader = model_table_keys(&format!("ambassador.{map}"));
            loader.sort_unstable();
            assert_eq!(
                schema_keys(
                    &s,
                    &format!("/properties/model/properties/ambassador/properties/{map}")
                ),
                loader,
                "[model.ambassador] {map}"
            );
        }
    }

    /// Every object schema under `path`, with its path.
    fn tables<'a>(schema: &'a Value, path: String, out: &mut Vec<(String, &'a Value)>) {
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            out.push((path.clone(), schema));
            for (key, sub) in props {
                tables(sub, format!("{path}.{key}"), out);
            }
        }
        if let Some(items) = schema.get("items") {
            tables(items, path, out);
        }
    }

    #[test]
    fn every_key_has_a_description_and_every_table_refuses_unknown_keys() {
        let s = json_schema();
        let mut found = Vec::new();
        for (key, sub) in s["properties"].as_object().expect("tables") {
            tables(sub, key.clone(), &mut found);
        }
        assert!(
            found.len() > 15,
            "the walk found the tables: {}",
            found.len()
        );
        let mut described = 0;
        for (path, table) in found {
            assert_eq!(table["additionalProperties"], json!(false), "{path}");
            assert!(!describe(&path).is_empty(), "{path} has no description");
            for key in table["properties"].as_object().expect("keys").keys() {
                let text = table["properties"][key]["description"].as_str();
                assert!(text.is_some_and(|t| !t.is_empty()), "{path}.{key}");
                described += 1;
            }
        }
        assert!(described > 80, "{described} keys described");
    }

    #[test]
    fn every_description_belongs_to_a_key() {
        let text = json_schema().to_string();
        for (path, description) in DESCRIPTIONS {
            assert!(
                text.contains(&serde_json::to_string(description).expect("a string")),
                "the description of {path} is used nowhere"
            );
        }
    }

    #[test]
    fn ranges_and_defaults_come_from_the_key_tables() {
        let s = json_schema();
        let g = &s["properties"]["government"]["items"]["properties"];
        assert_eq!(g["adjustment"]["anyOf"][0]["exclusiveMinimum"], json!(0.0));
        assert_eq!(g["adjustment"]["anyOf"][0]["maximum"], json!(1.0));
        assert_eq!(g["adjustment"]["default"], json!(0.3));
        assert_eq!(g["citizens"]["maximum"], json!(MAX_CITIZENS));
        let opinion = &s["properties"]["model"]["properties"]["opinion"]["properties"];
        assert_eq!(opinion["convergence"]["anyOf"][0]["maximum"], json!(0.5));
        assert_eq!(
            s["properties"]["model"]["properties"]["diffusion"]["properties"]["stakes"]["enum"],
            json!(["observer", "consultative", "equal"])
        );
        assert_eq!(
            s["properties"]["firm"]["items"]["properties"]["revenue"].get("default"),
            None
        );
    }
}
