//! The one-screen summary of a resolved scenario that `netstates check` prints.

use std::fmt::Write;
use std::path::Path;

use crate::scenario::{GovernmentKind, Level, Scenario};

/// Lists at most `max` names, then how many more.
fn some_names<'a>(names: impl Iterator<Item = &'a str>, max: usize) -> String {
    let all: Vec<&str> = names.collect();
    let mut out = all[..all.len().min(max)].join(", ");
    if all.len() > max {
        let _ = write!(out, ", … {} more", all.len() - max);
    }
    out
}

/// The first sentence of a description: up to the first ". " or "? ", question mark kept.
pub fn first_sentence(text: &str) -> &str {
    let end = [". ", "? "]
        .iter()
        .filter_map(|stop| text.find(stop).map(|i| i + stop.len() - 1))
        .min()
        .unwrap_or(text.len());
    text[..end].trim_end_matches('.').trim()
}

/// The summary: agents, issues, schedule, rounds and uncertain parameters.
pub fn describe(s: &Scenario, path: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: ok — scenario \"{}\"", path.display(), s.name);
    if !s.description.is_empty() {
        let _ = writeln!(out, "  {}", first_sentence(&s.description));
    }
    let _ = writeln!(
        out,
        "  rounds {}, runs {}, seed {}",
        s.rounds, s.runs, s.seed
    );
    let issues: Vec<String> = s
        .issues
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let mut name = i.id.clone();
            if s.antitrust == Some(k) {
                name.push_str(" (antitrust)");
            }
            if i.salience != 1.0 {
                let _ = write!(name, " ×{}", i.salience);
            }
            name
        })
        .collect();
    let _ = writeln!(out, "  issues ({}): {}", s.issues.len(), issues.join(", "));
    let kinds = [
        GovernmentKind::Supranational,
        GovernmentKind::National,
        GovernmentKind::City,
    ]
    .map(|kind| {
        let n = s.governments.iter().filter(|g| g.kind == kind).count();
        format!("{n} {}", kind.name())
    });
    let citizens: u64 = s.governments.iter().map(|g| g.citizens as u64).sum();
    let levels: Vec<String> = [Level::Observer, Level::Consultative, Level::Equal]
        .iter()
        .filter_map(|&l| {
            let n = s.governments.iter().filter(|g| g.ambassador == l).count();
            (n > 0).then(|| format!("{n} {}", l.name()))
        })
        .collect();
    let _ = writeln!(
        out,
        "  governments ({}): {}; {citizens} citizens; ambassadors: {}",
        s.governments.len(),
        kinds.join(", "),
        if levels.is_empty() {
            "none".to_string()
        } else {
            levels.join(", ")
        }
    );
    let _ = writeln!(
        out,
        "  firms ({}): {}",
        s.firms.len(),
        some_names(s.firms.iter().map(|f| f.id.as_str()), 8)
    );
    let _ = writeln!(
        out,
        "  ngos ({}): {}",
        s.ngos.len(),
        some_names(s.ngos.iter().map(|n| n.id.as_str()), 8)
    );
    let schedule: Vec<&str> = s.model.schedule.iter().map(|p| p.name()).collect();
    let _ = writeln!(out, "  schedule: {}", schedule.join(" → "));
    if !s.events.is_empty() {
        let rounds: Vec<String> = s.events.iter().map(|e| e.round.to_string()).collect();
        let _ = writeln!(
            out,
            "  events ({}): rounds {}",
            s.events.len(),
            rounds.join(", ")
        );
    }
    let uncertain = s.uncertain();
    let _ = writeln!(out, "  uncertain parameters ({}):", uncertain.len());
    for (path, lo, hi) in uncertain.iter().take(8) {
        let _ = writeln!(out, "    {path} ~ uniform [{lo}, {hi}]");
    }
    if uncertain.len() > 8 {
        let _ = writeln!(out, "    … {} more", uncertain.len() - 8);
    }
    let _ = writeln!(
        out,
        "  memory: {} opinion values ({:.1} MB per run)",
        s.opinion_values(),
        s.opinion_values() as f64 * 8.0 / 1e6
    );
    out
}

#[cfg(test)]
mod tests {
    use super::first_sentence;

    #[test]
    fn first_sentence_stops_at_a_full_stop_or_question_mark() {
        assert_eq!(
            first_sentence("Should they? Compare with b."),
            "Should they?"
        );
        assert_eq!(first_sentence("The 2020s. Every other."), "The 2020s");
        assert_eq!(first_sentence("One sentence only."), "One sentence only");
        assert_eq!(first_sentence(""), "");
    }
}
