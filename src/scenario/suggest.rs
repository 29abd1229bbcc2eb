//! "Did you mean": the known names nearest to a misspelt one, by edit distance (optimal
//! string alignment, so a swapped pair of letters costs one edit).

/// The candidates within a small edit distance of `word` (at most a third of its length, and
/// at least one edit), nearest first, ties in the candidates' order; at most three.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    let mut near: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let d = strsim::osa_distance(&word.to_lowercase(), &c.to_lowercase());
            (d <= limit && c != word).then_some((d, i, c))
        })
        .collect();
    near.sort_unstable();
    near.into_iter().take(3).map(|(_, _, c)| c).collect()
}

/// `; did you mean "x"?` (or `"x" or "y"`) for the candidates nearest to `word`, or nothing.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = closest(word, candidates);
    match near.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean \"{one}\"?"),
        [rest @ .., last] => {
            let rest: Vec<String> = rest.iter().map(|c| format!("\"{c}\"")).collect();
            format!("; did you mean {} or \"{last}\"?", rest.join(", "))
        }
    }
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
        assert_eq!(did_you_mean("xyz", ["capacity"]), "");
        assert_eq!(
            did_you_mean("capasity", ["capacity"]),
            "; did you mean \"capacity\"?"
        );
        assert_eq!(
            did_you_mean("irland", ["ireland", "iceland"]),
            "; did you mean \"ireland\" or \"iceland\"?"
        );
    }
}
