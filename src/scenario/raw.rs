//! Serde types that mirror a scenario file as written, key for key, with the location of every
//! value. Nothing here checks ranges or references: that is `resolve`'s job. Every key is
//! optional here because a file that `extends` another may give only some of them.

use std::cell::Cell;
use std::fmt;
use std::ops::Range as Span;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

/// Index of a source file in [`super::Sources`].
pub type FileId = u32;

/// Where a value was written: a file and a byte span in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Loc {
    pub fn span(self) -> Span<usize> {
        self.start as usize..self.end as usize
    }
}

thread_local! {
    /// The file being deserialized; set only by [`parse_file`] for the duration of one parse,
    /// so that every [`Sp`] can record which file it came from.
    static PARSING_FILE: Cell<FileId> = const { Cell::new(0) };
}

/// A value with the location it was written at.
#[derive(Clone, Debug)]
pub struct Sp<T> {
    pub value: T,
    pub at: Loc,
}

impl<T> Sp<T> {
    pub fn new(value: T, at: Loc) -> Self {
        Sp { value, at }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = toml::Spanned::<T>::deserialize(d)?;
        let span = spanned.span();
        let at = Loc {
            file: PARSING_FILE.with(Cell::get),
            start: span.start as u32,
            end: span.end as u32,
        };
        Ok(Sp {
            value: spanned.into_inner(),
            at,
        })
    }
}

/// Parses one file's text. The caller gives the file's id so locations name it.
pub fn parse_file(text: &str, file: FileId) -> Result<RawFile, toml::de::Error> {
    PARSING_FILE.with(|f| f.set(file));
    let parsed = toml::from_str(text);
    PARSING_FILE.with(|f| f.set(0));
    parsed
}

/// A number that is either fixed or drawn once per run: `0.3` or `{ uniform = [0.1, 0.5] }`.
/// It serializes the way it is written, so a resolved scenario in JSON reads like the file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Param {
    Fixed(f64),
    Uniform(f64, f64),
}

impl Param {
    /// The largest value the parameter can take.
    pub fn hi(self) -> f64 {
        match self {
            Param::Fixed(x) => x,
            Param::Uniform(_, hi) => hi,
        }
    }

    /// The smallest value the parameter can take.
    pub fn lo(self) -> f64 {
        match self {
            Param::Fixed(x) => x,
            Param::Uniform(lo, _) => lo,
        }
    }
}

struct ParamVisitor;

impl<'de> Visitor<'de> for ParamVisitor {
    type Value = Param;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or { uniform = [lo, hi] }")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Param, E> {
        Ok(Param::Fixed(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Param, E> {
        Ok(Param::Fixed(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Param, E> {
        Ok(Param::Fixed(v))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Param, A::Error> {
        let mut bounds: Option<Vec<Number>> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "uniform" {
                return Err(de::Error::unknown_field(&key, &["uniform"]));
            }
            bounds = Some(map.next_value()?);
        }
        match bounds.as_deref() {
            Some([lo, hi]) => Ok(Param::Uniform(lo.0, hi.0)),
            Some(other) => Err(de::Error::invalid_length(
                other.len(),
                &"two bounds [lo, hi]",
            )),
            None => Err(de::Error::missing_field("uniform")),
        }
    }
}

impl Serialize for Param {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Param::Fixed(x) => s.serialize_f64(x),
            Param::Uniform(lo, hi) => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("uniform", &[lo, hi])?;
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Param {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ParamVisitor)
    }
}

/// A number, integer or float, read as f64.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number(pub f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Param::deserialize(d)? {
            Param::Fixed(x) => Ok(Number(x)),
            Param::Uniform(..) => Err(de::Error::custom("expected a number, not a uniform range")),
        }
    }
}

/// A whole number (`rounds`, `count`, `citizens`, ...): a float or a string is an error that
/// says a whole number was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Whole(pub i64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Whole;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Whole, E> {
                Ok(Whole(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Whole, E> {
                i64::try_from(v).map(Whole).map_err(|_| {
                    E::custom(format!(
                        "expected a whole number up to {}, got {v}",
                        i64::MAX
                    ))
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Whole, E> {
                Err(E::custom(format!("expected a whole number, got {v}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// The value of a `set` key or a mixed `[model]` table entry: a number (maybe uncertain) or a
/// word such as an ambassador level.
#[derive(Clone, Debug, PartialEq)]
pub enum SetValue {
    Number(Param),
    Word(String),
}

impl<'de> Deserialize<'de> for SetValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SetValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, { uniform = [lo, hi] } or a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<SetValue, E> {
                Ok(SetValue::Number(Param::Fixed(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<SetValue, E> {
                Ok(SetValue::Number(Param::Fixed(v as f64)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<SetValue, E> {
                Ok(SetValue::Number(Param::Fixed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<SetValue, E> {
                Ok(SetValue::Word(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SetValue, A::Error> {
                ParamVisitor.visit_map(map).map(SetValue::Number)
            }
        }
        d.deserialize_any(V)
    }
}

/// A TOML table kept in file order, each key with its location.
#[derive(Clone, Debug)]
pub struct KeyMap<V>(pub Vec<(Sp<String>, V)>);

impl<V> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for KeyMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = KeyMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyMap<V>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Sp<String>>()? {
                    entries.push((key, map.next_value()?));
                }
                Ok(KeyMap(entries))
            }
        }
        d.deserialize_map(MapVisitor(std::marker::PhantomData))
    }
}

impl<V> KeyMap<V> {
    /// Key by key, the child's entries replace the parent's; new keys are appended.
    pub fn merge(&mut self, child: KeyMap<V>) {
        for (key, value) in child.0 {
            match self.0.iter_mut().find(|(k, _)| k.value == key.value) {
                Some(slot) => *slot = (key, value),
                None => self.0.push((key, value)),
            }
        }
    }
}

/// A list of ids with its location and each id's location.
pub type IdList = Sp<Vec<Sp<String>>>;

/// Replaces each field of `$dst` that `$src` gives.
macro_rules! merge_fields {
    ($dst:expr, $src:expr; $($field:ident),* $(,)?) => {
        { $(if $src.$field.is_some() { $dst.$field = $src.$field; })* }
    };
}

/// A whole scenario file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFile {
    pub scenario: Option<Sp<RawScenario>>,
    pub experiment: Option<RawExperiment>,
    #[serde(default)]
    pub issue: Vec<Sp<RawIssue>>,
    #[serde(default)]
    pub government: Vec<Sp<RawGovernment>>,
    #[serde(default)]
    pub firm: Vec<Sp<RawFirm>>,
    #[serde(default)]
    pub ngo: Vec<Sp<RawNgo>>,
    pub model: Option<RawModel>,
    #[serde(default)]
    pub event: Vec<Sp<RawEvent>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Option<Sp<String>>,
    pub description: Option<Sp<String>>,
    pub rounds: Option<Sp<Whole>>,
    pub extends: Option<Sp<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExperiment {
    pub runs: Option<Sp<Whole>>,
    pub seed: Option<Sp<Whole>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub id: Sp<String>,
    pub salience: Option<Sp<Param>>,
    pub antitrust: Option<Sp<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGovernment {
    pub id: Sp<String>,
    pub kind: Option<Sp<String>>,
    pub count: Option<Sp<Whole>>,
    pub citizens: Option<Sp<Whole>>,
    pub opinion: Option<KeyMap<Sp<Vec<Sp<Number>>>>>,
    pub ideal: Option<KeyMap<Sp<Param>>>,
    pub policy: Option<KeyMap<Sp<Param>>>,
    pub responsiveness: Option<Sp<Param>>,
    pub susceptibility: Option<Sp<Param>>,
    pub adjustment: Option<Sp<Param>>,
    pub capacity: Option<Sp<Param>>,
    pub trust: Option<Sp<Param>>,
    pub ambassador: Option<Sp<String>>,
    pub coregulate: Option<IdList>,
    pub peers: Option<IdList>,
    pub market_size: Option<Sp<Param>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFirm {
    pub id: Sp<String>,
    pub count: Option<Sp<Whole>>,
    pub revenue: Option<Sp<Param>>,
    pub ideal: Option<KeyMap<Sp<Param>>>,
    pub markets: Option<IdList>,
    pub lobby_share: Option<Sp<Param>>,
    pub pr_share: Option<Sp<Param>>,
    pub integrity: Option<Sp<Param>>,
    pub growth: Option<Sp<Param>>,
    pub volatility: Option<Sp<Param>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNgo {
    pub id: Sp<String>,
    pub count: Option<Sp<Whole>>,
    pub budget: Option<Sp<Param>>,
    pub ideal: Option<KeyMap<Sp<Param>>>,
    pub focus: Option<IdList>,
    pub targets: Option<IdList>,
    pub campaign_share: Option<Sp<Param>>,
    pub advocacy_share: Option<Sp<Param>>,
    pub watchdog_share: Option<Sp<Param>>,
}

/// `[model]`: the schedule and one table of numbers per mechanism, checked key by key
/// against [`super::keys::ModelKey`] in `resolve`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    pub schedule: Option<IdList>,
    pub opinion: Option<KeyMap<Sp<SetValue>>>,
    pub campaigns: Option<KeyMap<Sp<SetValue>>>,
    pub lobbying: Option<KeyMap<Sp<SetValue>>>,
    pub ambassador: Option<RawAmbassador>,
    pub coregulation: Option<KeyMap<Sp<SetValue>>>,
    pub compliance: Option<KeyMap<Sp<SetValue>>>,
    pub market: Option<KeyMap<Sp<SetValue>>>,
    pub antitrust: Option<KeyMap<Sp<SetValue>>>,
    pub scandals: Option<KeyMap<Sp<SetValue>>>,
    pub diffusion: Option<KeyMap<Sp<SetValue>>>,
    pub trust: Option<KeyMap<Sp<SetValue>>>,
}

/// `[model.ambassador]`: one number per level in each map.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAmbassador {
    pub access: Option<KeyMap<Sp<SetValue>>>,
    pub stakes: Option<KeyMap<Sp<SetValue>>>,
    pub insight: Option<KeyMap<Sp<SetValue>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub round: Sp<Whole>,
    pub set: Option<KeyMap<Sp<SetValue>>>,
    pub scandal: Option<Sp<RawScandal>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScandal {
    pub issue: Sp<String>,
    pub size: Sp<Number>,
}

fn merge_map<V>(dst: &mut Option<KeyMap<V>>, src: Option<KeyMap<V>>) {
    match (dst.as_mut(), src) {
        (Some(d), Some(s)) => d.merge(s),
        (None, Some(s)) => *dst = Some(s),
        (_, None) => {}
    }
}

impl RawModel {
    /// The tables of numbers with their names, in schema order.
    pub fn tables(&self) -> Vec<(&'static str, &KeyMap<Sp<SetValue>>)> {
        let mut out = Vec::new();
        let named = [
            ("opinion", &self.opinion),
            ("campaigns", &self.campaigns),
            ("lobbying", &self.lobbying),
            ("coregulation", &self.coregulation),
            ("compliance", &self.compliance),
            ("market", &self.market),
            ("antitrust", &self.antitrust),
            ("scandals", &self.scandals),
            ("diffusion", &self.diffusion),
            ("trust", &self.trust),
        ];
        for (name, table) in named {
            if let Some(t) = table {
                out.push((name, t));
            }
        }
        if let Some(a) = &self.ambassador {
            for (name, table) in [
                ("ambassador.access", &a.access),
                ("ambassador.stakes", &a.stakes),
                ("ambassador.insight", &a.insight),
            ] {
                if let Some(t) = table {
                    out.push((name, t));
                }
            }
        }
        out
    }

    /// Merges a child file's `[model]` into this one, down to leaf keys.
    pub fn merge(&mut self, child: RawModel) {
        if child.schedule.is_some() {
            self.schedule = child.schedule;
        }
        merge_map(&mut self.opinion, child.opinion);
        merge_map(&mut self.campaigns, child.campaigns);
        merge_map(&mut self.lobbying, child.lobbying);
        merge_map(&mut self.coregulation, child.coregulation);
        merge_map(&mut self.compliance, child.compliance);
        merge_map(&mut self.market, child.market);
        merge_map(&mut self.antitrust, child.antitrust);
        merge_map(&mut self.scandals, child.scandals);
        merge_map(&mut self.diffusion, child.diffusion);
        merge_map(&mut self.trust, child.trust);
        if let Some(c) = child.ambassador {
            let a = self.ambassador.get_or_insert_with(RawAmbassador::default);
            merge_map(&mut a.access, c.access);
            merge_map(&mut a.stakes, c.stakes);
            merge_map(&mut a.insight, c.insight);
        }
    }
}

/// An entry that a child file can replace key by key when it repeats the entry's id.
pub trait Entry {
    fn id(&self) -> &Sp<String>;
    /// Replaces every key that `child` gives, each whole.
    fn merge(&mut self, child: Self);
}

impl Entry for RawIssue {
    fn id(&self) -> &Sp<String> {
        &self.id
    }
    fn merge(&mut self, c: Self) {
        merge_fields!(self, c; salience, antitrust);
    }
}

impl Entry for RawGovernment {
    fn id(&self) -> &Sp<String> {
        &self.id
    }
    fn merge(&mut self, c: Self) {
        merge_fields!(self, c; kind, count, citizens, opinion, ideal, policy, responsiveness,
            susceptibility, adjustment, capacity, trust, ambassador, coregulate, peers, market_size);
    }
}

impl Entry for RawFirm {
    fn id(&self) -> &Sp<String> {
        &self.id
    }
    fn merge(&mut self, c: Self) {
        merge_fields!(self, c; count, revenue, ideal, markets, lobby_share, pr_share, integrity,
            growth, volatility);
    }
}

impl Entry for RawNgo {
    fn id(&self) -> &Sp<String> {
        &self.id
    }
    fn merge(&mut self, c: Self) {
        merge_fields!(self, c; count, budget, ideal, focus, targets, campaign_share,
            advocacy_share, watchdog_share);
    }
}

/// Merges a child's entries into the parent's: same id, key by key; new ids appended.
pub fn merge_entries<E: Entry>(parent: &mut Vec<Sp<E>>, child: Vec<Sp<E>>) {
    for c in child {
        match parent
            .iter_mut()
            .find(|p| p.value.id().value == c.value.id().value)
        {
            Some(p) => p.value.merge(c.value),
            None => parent.push(c),
        }
    }
}

impl RawFile {
    /// Applies a child file on top of this one (MODEL.md 1.3).
    pub fn merge(&mut self, child: RawFile) {
        match (&mut self.scenario, child.scenario) {
            (Some(p), Some(c)) => {
                merge_fields!(p.value, c.value; name, description, rounds, extends);
            }
            (None, Some(c)) => self.scenario = Some(c),
            (_, None) => {}
        }
        match (&mut self.experiment, child.experiment) {
            (Some(p), Some(c)) => merge_fields!(p, c; runs, seed),
            (None, Some(c)) => self.experiment = Some(c),
            (_, None) => {}
        }
        merge_entries(&mut self.issue, child.issue);
        merge_entries(&mut self.government, child.government);
        merge_entries(&mut self.firm, child.firm);
        merge_entries(&mut self.ngo, child.ngo);
        match (&mut self.model, child.model) {
            (Some(p), Some(c)) => p.merge(c),
            (None, Some(c)) => self.model = Some(c),
            (_, None) => {}
        }
        self.event.extend(child.event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_and_params_parse() {
        let text = "[scenario]\nname = \"x\"\nrounds = 3\n[[firm]]\nid = \"a\"\nrevenue = { uniform = [1, 2.5] }\ngrowth = 1\n";
        let raw = parse_file(text, 7).unwrap();
        let firm = &raw.firm[0].value;
        let revenue = firm.revenue.as_ref().unwrap();
        assert_eq!(revenue.value, Param::Uniform(1.0, 2.5));
        assert_eq!(revenue.at.file, 7);
        assert_eq!(&text[revenue.at.span()], "{ uniform = [1, 2.5] }");
        assert_eq!(firm.growth.as_ref().unwrap().value, Param::Fixed(1.0));
    }

    #[test]
    fn keymap_keeps_order_and_key_spans() {
        let text = "[[event]]\nround = 1\nset = { \"b.x\" = 1, \"a.y\" = \"equal\" }\n";
        let raw = parse_file(text, 0).unwrap();
        let set = raw.event[0].value.set.as_ref().unwrap();
        let keys: Vec<_> = set.0.iter().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(keys, ["b.x", "a.y"]);
        assert_eq!(&text[set.0[1].0.at.span()], "\"a.y\"");
        assert_eq!(set.0[1].1.value, SetValue::Word("equal".into()));
    }

    #[test]
    fn bad_uniform_is_an_error_with_a_span() {
        let text = "[[firm]]\nid = \"a\"\nrevenue = { uniform = [1] }\n";
        let err = parse_file(text, 0).unwrap_err();
        assert!(err.message().contains("two bounds"), "{}", err.message());
        assert!(err.span().is_some());
    }
}
