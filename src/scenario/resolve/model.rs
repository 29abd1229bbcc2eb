//! `[model]`: the schedule and the numbers of every mechanism, defaults filled.

use super::Resolver;
use super::rules::stakes_rule;
use crate::scenario::keys::{ModelKey, model_table_keys};
use crate::scenario::paths::{self, Target, Value};
use crate::scenario::raw::RawModel;
use crate::scenario::{Level, Model, ModelValues, Param, Phase, Scenario, suggest};

impl Default for Param {
    fn default() -> Self {
        Param::Fixed(0.0)
    }
}

pub(super) fn resolve_model(r: &mut Resolver, raw: Option<&RawModel>) -> Model {
    let mut values =
        ModelValues::from_fn(|k: ModelKey| Param::Fixed(k.default_value().unwrap_or_default()));
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
                        "unknown phase \"{}\"{}; expected one of {}",
                        name.value,
                        suggest::did_you_mean(&name.value, Phase::ALL.map(|p| p.name())),
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
                        "unknown key \"{}\" in [model.{table}]{}; expected one of {}",
                        key.value,
                        suggest::did_you_mean(&key.value, model_table_keys(table).iter().copied()),
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

/// The rule of `[model]` that involves several keys (stakes + NGO seat at most 1), before any
/// event; the problem points at the NGO seat, else at the first stakes given.
pub(super) fn check_stakes(r: &mut Resolver, m: &RawModel, scenario: &Scenario) {
    let Some(msg) = stakes_rule(scenario) else {
        return;
    };
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
        .unwrap_or(r.top);
    r.err(at, msg);
}
