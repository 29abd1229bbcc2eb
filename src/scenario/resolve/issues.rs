//! `[[issue]]`: ids, salience, and the one antitrust issue.

use super::{MAX_ISSUES, Resolver};
use crate::scenario::Issue;
use crate::scenario::keys::Range;
use crate::scenario::raw::{Loc, Param, RawIssue, Sp};

/// The issues in file order, and the antitrust issue if any.
pub(super) fn resolve(r: &mut Resolver, raw: &[Sp<RawIssue>]) -> (Vec<Issue>, Option<usize>) {
    let top = r.top;
    let mut issues = Vec::new();
    let mut antitrust: Option<(usize, Loc)> = None;
    if raw.is_empty() {
        r.err(top, "a scenario needs at least one [[issue]]");
    }
    if raw.len() > MAX_ISSUES {
        r.err(
            raw[MAX_ISSUES].value.id.at,
            format!("at most {MAX_ISSUES} issues, got {}", raw.len()),
        );
    }
    // Past the limit nothing more is checked: the count is the problem, and checking 100_000
    // entries one against another would take quadratic time.
    for (k, e) in raw.iter().enumerate().take(MAX_ISSUES) {
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
                        raw[first].value.id.value
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

    (issues, antitrust.map(|(k, _)| k))
}
