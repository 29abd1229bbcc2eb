//! "Did you mean": the known names nearest to a misspelt one, by edit distance (optimal
//! string alignment, so a swapped pair of letters costs one edit).

/// The candidates within a small edit distance of `word` (at most a third of its length, and
/// at least one edit), or that begin with it (`market` for `market_size`), nearest first,
/// ties in the candidates' order; at most three.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let lower = word.to_lowercase();
    let mut near: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let candidate = c.to_lowercase();
            let mut d = strsim::osa_distance(&lower, &candidate);
            if d > limit && lower.len() >= 3 && candidate.starts_with(&lower) {
                d = limit;
            }
            (d <= limit && c != word).then_some((d, i, c))
        })
        .collect();
    near.sort_unstable();
    near.into_iter().take(3).map(|(_, _, c)| c).collect()
}

/// `; did you mean `x`?` (or `` `x` or `y` ``) for the candidates nearest to `word`, or
/// nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = closest(word, candidates);
    match near.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(|c| format!("`{c}`")).collect();
            format!("; did you mean {} or `{last}`?", rest.join(", "))
        }
    }
}

/// What follows "no government has that id": the nearest ids, then the known ones (the first
/// [`SHOWN`] of them and how many more), so the reader sees what the file does define.
pub fn unknown_id<'a>(id: &str, known: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let all: Vec<&str> = known.into_iter().collect();
    let mut text = did_you_mean(id, all.iter().copied());
    if all.is_empty() {
        text.push_str(" (there are none)");
        return text;
    }
    let shown: Vec<&str> = all.iter().copied().take(SHOWN).collect();
    text.push_str(&format!(" (known: {}", shown.join(", ")));
    if all.len() > SHOWN {
        text.push_str(&format!(" and {} more", all.len() - SHOWN));
    }
    text.push(')');
    text
}

/// How many known ids an error lists.
pub const SHOWN: usize = 12;

/// Serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant"), with the
/// nearest of the expected names put first: "unknown field `x`; did you mean `a`? (expected
/// one of ...)". Other messages are returned as they are.
pub fn unknown_field(message: &str) -> String {
    let Some((head, expected)) = message.split_once(", expected one of ") else {
        return message.to_string();
    };
    let Some(word) = head
        .strip_prefix("unknown field `")
        .or_else(|| head.strip_prefix("unknown variant `"))
        .and_then(|w| w.strip_suffix('`'))
    else {
        return message.to_string();
    };
    let names: Vec<&str> = expected
        .split(", ")
        .map(|n| n.trim().trim_matches('`'))
        .collect();
    let hint = did_you_mean(word, names.iter().copied());
    if hint.is_empty() {
        return message.to_string();
    }
    format!("{head}{hint} (expected one of {expected})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_or_swapped_letter_is_found() {
        let keys = ["responsiveness", "susceptibility", "adjustment", "capacity"];
        assert_eq!(closest("susceptibilty", keys), ["susceptibility"]);
        assert_eq!(closest("capcaity", keys), ["capacity"]);
        assert_eq!(
            closest("irland", ["ireland", "iceland", "usa"]),
            ["ireland", "iceland"]
        );
    }

    #[test]
    fn nothing_far_is_suggested() {
        assert!(closest("budget", ["responsiveness", "capacity"]).is_empty());
        assert_eq!(closest("market", ["id", "market_size"]), ["market_size"]);
        assert_eq!(did_you_mean("xyz", ["capacity"]), "");
        assert_eq!(
            did_you_mean("capasity", ["capacity"]),
            "; did you mean `capacity`?"
        );
        assert_eq!(
            did_you_mean("irland", ["ireland", "iceland"]),
            "; did you mean `ireland` or `iceland`?"
        );
    }

    #[test]
    fn serde_unknown_fields_get_the_name_meant_first() {
        let serde =
            "unknown field `susceptibilty`, expected one of `id`, `susceptibility`, `capacity`";
        assert_eq!(
            unknown_field(serde),
            "unknown field `susceptibilty`; did you mean `susceptibility`? \
             (expected one of `id`, `susceptibility`, `capacity`)"
        );
        let far = "unknown field `members`, expected one of `id`, `budget`";
        assert_eq!(unknown_field(far), far);
        assert_eq!(unknown_field("invalid type"), "invalid type");
    }

    #[test]
    fn unknown_ids_list_what_is_known() {
        assert_eq!(
            unknown_id("irland", ["eu", "ireland"]),
            "; did you mean `ireland`? (known: eu, ireland)"
        );
        let many: Vec<String> = (0..20).map(|i| format!("g{i}")).collect();
        let text = unknown_id("zz", many.iter().map(String::as_str));
        assert!(text.ends_with("g11 and 8 more)"), "{text}");
        assert_eq!(unknown_id("x", []), " (there are none)");
    }
}
