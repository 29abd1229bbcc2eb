//! The bundled scenario library, compiled into the binary so that `netstates scenarios`,
//! `netstates run baseline` and `netstates init` work from any directory. A bundled file is
//! read as if it lay in a folder named [`ROOT`]: errors name it `<bundled>/baseline.toml`, and
//! its `extends = "baseline.toml"` finds the bundled parent.

use std::path::{Path, PathBuf};

/// The folder bundled scenarios appear to lie in.
pub const ROOT: &str = "<bundled>";

/// One scenario of the library: its name (the file name without `.toml`) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    pub name: &'static str,
    pub text: &'static str,
}

impl Bundled {
    /// The file name it is written to: `baseline.toml`.
    pub fn file_name(&self) -> String {
        format!("{}.toml", self.name)
    }

    /// The path errors and `extends` see: `<bundled>/baseline.toml`.
    pub fn path(&self) -> PathBuf {
        Path::new(ROOT).join(self.file_name())
    }

    /// The file this one extends, if any: the value of `extends` in its `[scenario]` table.
    pub fn extends(&self) -> Option<&'static Bundled> {
        let line = self
            .text
            .lines()
            .find(|l| l.trim_start().starts_with("extends"))?;
        let value = line.split_once('=')?.1.trim().trim_matches('"');
        find(value.strip_suffix(".toml").unwrap_or(value))
    }
}

macro_rules! bundle {
    ($($name:literal),* $(,)?) => {
        &[$(Bundled {
            name: $name,
            text: include_str!(concat!("../../scenarios/", $name, ".toml")),
        }),*]
    };
}

/// The library, in the order `netstates scenarios` lists it: the baseline first, then the
/// scenarios that extend it.
pub const LIBRARY: &[Bundled] = bundle![
    "baseline",
    "ambassadors-observer",
    "ambassadors-equal",
    "antitrust-push",
    "city-diplomacy",
    "oversight-coregulation",
    "tech-literacy",
    "watchdog-ngos",
];

/// A commented starter scenario, standalone and small, for `netstates init FILE`.
pub const STARTER: &str = include_str!("starter.toml");

/// The bundled scenario named `name` (`baseline` or `baseline.toml`).
pub fn find(name: &str) -> Option<&'static Bundled> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    LIBRARY.iter().find(|b| b.name == name)
}

/// The text of a path under [`ROOT`], if it names a bundled file.
pub(crate) fn text_at(path: &Path) -> Option<&'static str> {
    let rest = path.strip_prefix(ROOT).ok()?;
    let name = rest.to_str()?;
    find(name.strip_suffix(".toml")?).map(|b| b.text)
}

/// The bundled names closest to `name`, for "did you mean" (at most three, best first).
pub fn closest(name: &str) -> Vec<&'static str> {
    crate::scenario::suggest::closest(name, LIBRARY.iter().map(|b| b.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_is_every_toml_file_of_the_scenarios_folder() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .expect("scenarios/")
            .filter_map(|e| {
                let p = e.ok()?.path();
                (p.extension()? == "toml").then(|| p.file_stem()?.to_str().map(String::from))?
            })
            .collect();
        on_disk.sort();
        let mut bundled: Vec<String> = LIBRARY.iter().map(|b| b.name.to_string()).collect();
        bundled.sort();
        assert_eq!(bundled, on_disk);
    }

    #[test]
    fn names_resolve_with_or_without_the_extension() {
        assert_eq!(find("baseline").map(|b| b.name), Some("baseline"));
        assert_eq!(find("baseline.toml").map(|b| b.name), Some("baseline"));
        assert!(find("nothing").is_none());
        let child = find("ambassadors-equal").expect("bundled");
        assert_eq!(child.extends().map(|b| b.name), Some("baseline"));
        assert!(find("baseline").expect("bundled").extends().is_none());
    }

    #[test]
    fn every_bundled_scenario_and_the_starter_load() {
        for b in LIBRARY {
            let s = crate::scenario::load(&b.path()).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert_eq!(s.name, b.name);
        }
        crate::scenario::load_str("starter.toml", STARTER).expect("the starter is valid");
    }
}
