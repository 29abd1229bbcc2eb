//! The events phase: scheduled `[[event]]`s (overrides and scandals), then random scandals.

use rand::Rng;

use super::World;
use crate::scenario::Scenario;
use crate::scenario::paths::{AgentKind, Target, Value};

impl World<'_> {
    /// MODEL.md 3, events: apply this round's events in file order, then for each issue a
    /// random scandal with probability `scandals.rate`.
    #[inline(never)] // one call per round; keeps phases apart in profiles
    pub(super) fn events(&mut self, rng: &mut impl Rng) {
        let s: &Scenario = self.scenario;
        let events = &s.events;
        while self.next_event < events.len() && events[self.next_event].round < self.round {
            self.next_event += 1;
        }
        while self.next_event < events.len() && events[self.next_event].round == self.round {
            let e = self.next_event;
            for (i, op) in events[e].sets.iter().enumerate() {
                let x = self.event_values[e][i];
                self.set(&op.target, &op.value, x);
            }
            if let Some(s) = events[e].scandal {
                self.scandal(s.issue, s.size);
            }
            self.next_event += 1;
        }
        for issue in 0..self.k {
            if rng.random::<f64>() < self.model.scandal_rate {
                self.scandal(issue, self.model.scandal_size);
            }
        }
    }

    /// A scandal of size s on an issue: every citizen everywhere, o += s (1 - o).
    pub fn scandal(&mut self, issue: usize, size: f64) {
        for g in 0..self.governments.len() {
            let c = self.governments[g].citizens;
            for o in &mut self.opinions[g][issue * c..(issue + 1) * c] {
                *o += size * (1.0 - *o);
            }
            // The mean moves as every opinion does: ō += s (1 - ō).
            let m = &mut self.mean[g * self.k + issue];
            *m += size * (1.0 - *m);
        }
        self.counters.scandals += 1;
    }

    /// Applies one `set` operation; `x` is its drawn number (unused for levels).
    fn set(&mut self, target: &Target, value: &Value, x: f64) {
        let k = self.k;
        match (target, value) {
            (Target::Model(key), _) => *self.model.get_mut(*key) = x,
            (Target::DiffusionStakes, Value::Level(l)) => self.diffusion_stakes = *l,
            (Target::Government(m, key), _) => {
                for g in m.iter() {
                    *self.governments[g].values.get_mut(*key) = x;
                }
            }
            (Target::Ambassador(m), Value::Level(l)) => {
                for g in m.iter() {
                    self.governments[g].ambassador = *l;
                }
            }
            (Target::Firm(m, key), _) => {
                for f in m.iter() {
                    *self.firms[f].values.get_mut(*key) = x;
                }
            }
            (Target::Ngo(m, key), _) => {
                for n in m.iter() {
                    *self.ngos[n].values.get_mut(*key) = x;
                }
            }
            (Target::Ideal(kind, m, issue), _) => {
                let ideal = match kind {
                    AgentKind::Government => &mut self.government_ideal,
                    AgentKind::Firm => &mut self.firm_ideal,
                    AgentKind::Ngo => &mut self.ngo_ideal,
                };
                for a in m.iter() {
                    ideal[a * k + issue] = x;
                }
            }
            // Validation pairs level targets with level values only.
            (Target::DiffusionStakes | Target::Ambassador(_), Value::Number(_)) => {}
        }
    }
}
