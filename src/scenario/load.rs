//! Reading scenario files: the `extends` chain (parents first, cycles refused), parsing each
//! file into raw types, merging them, and resolving the result. Also `--set` overrides.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::paths::{self, Override};
use super::raw::{FileId, Loc, RawFile, parse_file};
use super::resolve::{resolve, shares_rule, stakes_rule};
use super::{Problem, Scenario, ScenarioError, SourceFile, Sources, bundled};

/// Reads, merges and validates a scenario file and the files it extends. A bare name that is
/// no file, such as `baseline` or `baseline.toml`, is the bundled scenario of that name.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let bundled = match bundled_name(path) {
        Some(b) if !path.exists() => b.path(),
        _ => path.to_path_buf(),
    };
    let mut sources = Sources::default();
    let raw = read_chain(&bundled, &mut sources, &mut Vec::new(), None);
    finish(raw, sources)
}

/// The bundled scenario a path names when it is a bare name (no folder).
fn bundled_name(path: &Path) -> Option<&'static bundled::Bundled> {
    let name = path.to_str()?;
    if name.contains(['/', '\\']) {
        return None;
    }
    bundled::find(name)
}

/// Validates a scenario given as text; `name` is how errors name it, and `extends` paths are
/// relative to it.
pub fn load_str(name: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let mut sources = Sources::default();
    let raw = parse_chain(
        Path::new(name),
        text.to_string(),
        &mut sources,
        &mut Vec::new(),
    );
    finish(raw, sources)
}

/// Validates a scenario given as bytes, as [`load`] validates a file's: UTF-8 text of at most
/// [`MAX_FILE_BYTES`]; `name` is how errors name it.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    let refuse = |message: String| {
        Err(ScenarioError::new(
            Sources::default(),
            vec![Problem::nowhere(format!("cannot read {name}: {message}"))],
        ))
    };
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return refuse(format!(
            "it is larger than {} MiB, the most a scenario file may be",
            MAX_FILE_BYTES >> 20
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(name, text),
        Err(e) => refuse(format!(
            "it is not UTF-8 text (byte {} is not); a scenario is a TOML file",
            e.valid_up_to()
        )),
    }
}

fn finish(raw: Result<RawFile, Vec<Problem>>, sources: Sources) -> Result<Scenario, ScenarioError> {
    let top = Loc::default();
    let raw = raw.map_err(|p| ScenarioError::new(sources.clone(), p))?;
    resolve(raw, top).map_err(|problems| ScenarioError::new(sources, problems))
}

/// Largest scenario file: far more than any scenario needs, small enough that a mistaken
/// path (a data file, a disk image) is refused before it is read.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Longest `extends` chain.
pub const MAX_EXTENDS: usize = 64;

/// Reads a scenario file: a regular file (not a FIFO, a device or a directory, which could
/// hang or never end), at most [`MAX_FILE_BYTES`], in UTF-8.
/// A missing file named on the command line (`top`) gets the bundled names it may have meant.
fn read_bounded(path: &Path, top: bool) -> Result<String, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        let hint = match path.to_str() {
            Some(name) if top && e.kind() == std::io::ErrorKind::NotFound => {
                let stem = name.strip_suffix(".toml").unwrap_or(name);
                let near = bundled::closest(stem);
                if near.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; did you mean the bundled scenario {}? (`netstates scenarios` lists them)",
                        near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ")
                    )
                }
            }
            _ => String::new(),
        };
        format!("cannot read {shown}: {e}{hint}")
    })?;
    if !meta.is_file() {
        return Err(format!(
            "cannot read {shown}: it is not a regular file (a directory, FIFO or device cannot \
             be a scenario)"
        ));
    }
    let too_big = || {
        format!(
            "cannot read {shown}: it is larger than {} MiB, the most a scenario file may be",
            MAX_FILE_BYTES >> 20
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("cannot read {shown}: it is not UTF-8 text (byte {at} is not); a scenario is a TOML file")
    })
}

/// Reads `path` and everything it extends; `chain` holds the files being read, for cycles;
/// `from` is the `extends` key that named this file.
fn read_chain(
    path: &Path,
    sources: &mut Sources,
    chain: &mut Vec<PathBuf>,
    from: Option<Loc>,
) -> Result<RawFile, Vec<Problem>> {
    let problem = |message: String| match from {
        Some(at) => Problem::at(at, message),
        None => Problem::nowhere(message),
    };
    if chain.len() >= MAX_EXTENDS {
        return Err(vec![problem(format!(
            "extends goes deeper than {MAX_EXTENDS} files; a chain that long is a mistake"
        ))]);
    }
    let text = match bundled::text_at(path) {
        Some(text) => text.to_string(),
        None => read_bounded(path, from.is_none()).map_err(|m| vec![problem(m)])?,
    };
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    if let Some(first) = chain.iter().position(|p| *p == canonical) {
        let names: Vec<String> = chain[first..]
            .iter()
            .chain(std::iter::once(&canonical))
            .map(|p| {
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            })
            .collect();
        return Err(vec![problem(format!(
            "extends makes a cycle: {}",
            names.join(" -> ")
        ))]);
    }
    chain.push(canonical);
    let raw = parse_chain(path, text, sources, chain);
    chain.pop();
    raw
}

fn parse_chain(
    path: &Path,
    text: String,
    sources: &mut Sources,
    chain: &mut Vec<PathBuf>,
) -> Result<RawFile, Vec<Problem>> {
    let file = sources.files.len() as FileId;
    let parsed = match too_many_entries(&text, file) {
        Some(problem) => {
            sources.files.push(SourceFile {
                path: path.to_path_buf(),
                text,
            });
            return Err(vec![problem]);
        }
        None => parse_file(&text, file),
    };
    let parsed = parsed.map_err(|e| parse_problems(&text, file, &e));
    sources.files.push(SourceFile {
        path: path.to_path_buf(),
        text,
    });
    let raw = parsed?;
    let Some(extends) = raw.scenario.as_ref().and_then(|s| s.value.extends.clone()) else {
        return Ok(raw);
    };
    let parent_path = path
        .parent()
        .unwrap_or_else(|| Path::new(""))
        .join(&extends.value);
    let mut parent = read_chain(&parent_path, sources, chain, Some(extends.at))?;
    parent.merge(raw);
    Ok(parent)
}

/// The problems of a file the parser refused: its first error, then as many more as can be
/// found safely. The parser stops at the first error, so the line of each error is blanked
/// (spaces keep every later byte where it was, so positions stay true) and the file parsed
/// again, while the error lies on a whole `key = value` line of its own: an unknown key or a
/// value of the wrong type. Once the rest parses, the checks that follow parsing run on it
/// too. Blanking a line could make a key missing that was only mistyped, so a "missing"
/// error after a blanked line is not reported.
fn parse_problems(text: &str, file: FileId, first: &toml::de::Error) -> Vec<Problem> {
    const MOST: usize = 20;
    let problem = |e: &toml::de::Error, text: &str| {
        let span = e.span().unwrap_or(0..0);
        let snippet = text.get(span.clone()).unwrap_or("");
        Problem::at(
            Loc {
                file,
                start: span.start as u32,
                end: span.end as u32,
            },
            plain_words(e.message().trim(), snippet),
        )
    };
    let mut problems = vec![problem(first, text)];
    let mut blanked = text.to_string();
    let mut error = first.clone();
    while problems.len() < MOST {
        let Some(line) = error.span().and_then(|s| own_line(&blanked, s.start)) else {
            break;
        };
        blanked.replace_range(line.clone(), &" ".repeat(line.len()));
        match parse_file(&blanked, file) {
            Ok(raw) => {
                problems.extend(checks_past(raw));
                break;
            }
            Err(e) if e.message().starts_with("missing field") => break,
            Err(e) => {
                problems.push(problem(&e, &blanked));
                error = e;
            }
        }
    }
    problems
}

/// What the checks after parsing find in a file whose refused lines were blanked: for a
/// standalone file (one that extends another is only whole with its parent), every problem
/// except "has no X, which is required", which a blanked line may have caused.
fn checks_past(raw: RawFile) -> Vec<Problem> {
    if raw
        .scenario
        .as_ref()
        .is_some_and(|s| s.value.extends.is_some())
    {
        return Vec::new();
    }
    match resolve(raw, Loc::default()) {
        Ok(_) => Vec::new(),
        Err(found) => found
            .into_iter()
            .filter(|p| !p.message.contains("which is required"))
            .collect(),
    }
}

/// The byte range (without its newline) of the line holding `at`, when that line is one
/// whole `key = value` item: a bare key, `=`, and a value whose strings end and whose
/// brackets and braces close on the line.
fn own_line(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let (key, value) = text[start..end].split_once('=')?;
    let key = key.trim();
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in value.chars() {
        match quote {
            Some(q) => {
                if q == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == q && !escaped {
                    quote = None;
                }
                escaped = false;
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '[' | '{' => depth += 1,
                ']' | '}' => depth -= 1,
                '#' => break,
                _ => {}
            },
        }
    }
    (depth == 0 && quote.is_none()).then_some(start..end)
}

/// Counts the `[[issue]]`, `[[government]]`, `[[firm]]` and `[[ngo]]` headers of a file before
/// it is parsed, and refuses one with more entries of a kind than a scenario may have: parsing
/// a file of 100_000 issues would take memory out of proportion to any scenario, only to be
/// refused. The problem points at the first header past the limit.
fn too_many_entries(text: &str, file: FileId) -> Option<Problem> {
    const LIMITS: [(&str, &str, usize); 4] = [
        ("issue", "issues", super::resolve::MAX_ISSUES),
        (
            "government",
            "governments",
            super::resolve::MAX_AGENTS as usize,
        ),
        ("firm", "firms", super::resolve::MAX_AGENTS as usize),
        ("ngo", "NGOs", super::resolve::MAX_AGENTS as usize),
    ];
    let mut counts = [0usize; 4];
    let mut first_over: [Option<(usize, usize)>; 4] = [None; 4];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(name) = line
            .trim_start()
            .strip_prefix("[[")
            .and_then(|rest| rest.split_once("]]"))
            .map(|(name, _)| name.trim())
        else {
            continue;
        };
        if let Some(k) = LIMITS.iter().position(|(key, _, _)| *key == name) {
            counts[k] += 1;
            if counts[k] > LIMITS[k].2 && first_over[k].is_none() {
                first_over[k] = Some((start, start + line.trim_end().len()));
            }
        }
    }
    let k = (0..4).find(|&k| first_over[k].is_some())?;
    let (start, end) = first_over[k]?;
    let (_, plural, limit) = LIMITS[k];
    Some(Problem::at(
        Loc {
            file,
            start: start as u32,
            end: end as u32,
        },
        format!("at most {limit} {plural}, got {} entries", counts[k]),
    ))
}

/// Says in the scenario's words what serde says in Rust's: a table written where a list of
/// entries belongs (`[government]` for `[[government]]`), or the reverse, or a lone value
/// where a list belongs.
fn plain_words(message: &str, snippet: &str) -> String {
    let header = |s: &str| {
        s.trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .trim()
            .to_string()
    };
    if snippet.starts_with("[[") && message.starts_with("invalid type") {
        let name = header(snippet);
        return format!("[{name}] is a single table: write [{name}], not [[{name}]]");
    }
    if message.contains("expected a sequence") {
        if snippet.starts_with('[') {
            let name = header(snippet);
            return format!("[[{name}]] holds a list of entries: write [[{name}]], not [{name}]");
        }
        return message.replace("expected a sequence", "expected a list");
    }
    super::suggest::unknown_field(message)
}

/// An override that cannot be applied to a scenario.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OverrideError {
    /// A path that names nothing settable, or a value it cannot take.
    #[error("{path}={value}: {reason}")]
    Value {
        path: String,
        value: String,
        reason: String,
    },
    /// `scenario.rounds` set below the round of an event.
    #[error("an event is set for round {round}, after the last round {rounds}")]
    EventAfterEnd { round: u32, rounds: u32 },
    /// The overrides break a rule that involves several keys.
    #[error("{0}")]
    Rule(String),
    /// The overrides make an event break such a rule.
    #[error("the event of round {round}: {rule}")]
    EventRule { round: u32, rule: String },
}

/// Applies overrides (`--set`, a study's point) to a resolved scenario and checks the result
/// as a file would be checked: ranges, the rules that involve several keys, and event rounds.
pub fn apply_overrides(s: &mut Scenario, overrides: &[Override]) -> Result<(), OverrideError> {
    for o in overrides {
        let whole = |reason: String| OverrideError::Value {
            path: o.path.clone(),
            value: o.value.clone(),
            reason,
        };
        let int = |lo: u64, hi: u64| -> Result<u64, OverrideError> {
            match o.value.parse::<u64>() {
                Ok(v) if (lo..=hi).contains(&v) => Ok(v),
                _ => Err(whole(format!(
                    "expected a whole number between {lo} and {hi}"
                ))),
            }
        };
        if o.relative() {
            if ["experiment.runs", "experiment.seed", "scenario.rounds"].contains(&o.target_path())
            {
                return Err(whole(
                    "the relative form *= multiplies a parameter of the scenario's agents or \
                     [model]"
                        .into(),
                ));
            }
            let factor: f64 = o.value.parse().map_err(|_| {
                whole(format!(
                    "the relative form *= takes one factor, a number, got \"{}\"",
                    o.value
                ))
            })?;
            let target = paths::resolve(o.target_path(), s).map_err(whole)?;
            paths::scale(s, &target, factor).map_err(whole)?;
            continue;
        }
        match o.path.as_str() {
            "experiment.runs" => s.runs = int(1, 1_000_000_000)?,
            "experiment.seed" => s.seed = int(0, u64::MAX)?,
            "scenario.rounds" => s.rounds = int(1, 1_000_000)? as u32,
            path => {
                let target = paths::resolve(path, s).map_err(whole)?;
                let value = target.value(&o.parsed_value()).map_err(whole)?;
                paths::apply(s, &target, &value);
            }
        }
    }
    if let Some(e) = s.events.iter().find(|e| e.round > s.rounds) {
        return Err(OverrideError::EventAfterEnd {
            round: e.round,
            rounds: s.rounds,
        });
    }
    let mut probe = s.clone();
    if let Some(msg) = stakes_rule(&probe).or_else(|| shares_rule(&probe)) {
        return Err(OverrideError::Rule(msg));
    }
    for e in &s.events {
        for op in &e.sets {
            paths::apply(&mut probe, &op.target, &op.value);
        }
        if let Some(rule) = stakes_rule(&probe).or_else(|| shares_rule(&probe)) {
            return Err(OverrideError::EventRule {
                round: e.round,
                rule,
            });
        }
    }
    Ok(())
}
