//! `[environments]`: how bot environments are installed, from a
//! tournament's config, else from `ARENA_*` variables (for `arena match`,
//! which has no config), else the defaults.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Which installer makes Python environments.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstallerChoice {
    /// `uv` where it is on the `PATH` (far faster), else `pip`.
    #[default]
    Auto,
    /// `uv venv` and `uv pip install`.
    Uv,
    /// `python3 -m venv` and the environment's own `pip`.
    Pip,
}

impl InstallerChoice {
    /// The config's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            InstallerChoice::Auto => "auto",
            InstallerChoice::Uv => "uv",
            InstallerChoice::Pip => "pip",
        }
    }

    fn parse(text: &str) -> Option<InstallerChoice> {
        match text {
            "auto" => Some(InstallerChoice::Auto),
            "uv" => Some(InstallerChoice::Uv),
            "pip" => Some(InstallerChoice::Pip),
            _ => None,
        }
    }
}

/// How environments are installed. Where they are kept is not here: under
/// the data directory (`envs/`), or `ARENA_ENV_DIR`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvSettings {
    pub installer: InstallerChoice,
    /// The package index to install from instead of PyPI (a mirror, a
    /// devpi or a local `python3 -m http.server` over a wheel folder).
    pub index_url: Option<String>,
    /// Folders (or URLs) of wheels the installer also looks in.
    pub find_links: Vec<String>,
    /// Use no index at all: only `find_links` (fully offline).
    pub no_index: bool,
    /// How long one environment's installation may take.
    pub install_timeout: Duration,
    /// How large one environment may grow on disk.
    pub max_env_bytes: u64,
    /// How long one compiled bot's build may take.
    pub build_timeout: Duration,
}

impl Default for EnvSettings {
    fn default() -> Self {
        EnvSettings {
            installer: InstallerChoice::Auto,
            index_url: None,
            find_links: Vec::new(),
            no_index: false,
            install_timeout: Duration::from_secs(600),
            max_env_bytes: 2048 << 20,
            build_timeout: Duration::from_secs(120),
        }
    }
}

/// `[environments]` as written; every key optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvSection {
    installer: Option<InstallerChoice>,
    index_url: Option<String>,
    find_links: Option<Vec<String>>,
    no_index: Option<bool>,
    install_timeout_secs: Option<u64>,
    max_env_mb: Option<u64>,
    build_timeout_secs: Option<u64>,
}

/// The variables `arena match` (and a config that leaves a key out) reads.
pub const VARIABLES: [&str; 4] = [
    "ARENA_INSTALLER",
    "ARENA_PIP_INDEX_URL",
    "ARENA_PIP_FIND_LINKS",
    "ARENA_PIP_NO_INDEX",
];

impl EnvSettings {
    /// The defaults, with the `ARENA_*` variables applied.
    pub fn from_env() -> Result<EnvSettings, String> {
        Self::from_vars(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// The defaults with variables from `var` applied (testable).
    fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<EnvSettings, String> {
        let mut s = EnvSettings::default();
        if let Some(v) = var("ARENA_INSTALLER") {
            s.installer = InstallerChoice::parse(v.trim())
                .ok_or_else(|| format!("ARENA_INSTALLER={v:?}: expected auto, uv or pip"))?;
        }
        s.index_url = var("ARENA_PIP_INDEX_URL").map(|v| v.trim().to_string());
        if let Some(v) = var("ARENA_PIP_FIND_LINKS") {
            s.find_links = v.split_whitespace().map(str::to_string).collect();
        }
        if let Some(v) = var("ARENA_PIP_NO_INDEX") {
            s.no_index = match v.trim() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" => false,
                other => {
                    return Err(format!(
                        "ARENA_PIP_NO_INDEX={other:?}: expected 1 or 0 (true or false)"
                    ));
                }
            };
        }
        Ok(s)
    }

    /// A config's `[environments]` section over these settings (the keys it
    /// gives win); `Err((key, what it accepts))`.
    pub fn with_section(mut self, section: &EnvSection) -> Result<EnvSettings, (String, String)> {
        let positive = |key: &str, v: Option<u64>| -> Result<Option<u64>, (String, String)> {
            match v {
                Some(0) => Err((
                    format!("environments.{key}"),
                    "must be at least 1".to_string(),
                )),
                v => Ok(v),
            }
        };
        if let Some(i) = section.installer {
            self.installer = i;
        }
        if let Some(u) = &section.index_url {
            if !(u.starts_with("http://") || u.starts_with("https://") || u.starts_with("file://"))
            {
                return Err((
                    "environments.index_url".into(),
                    format!("{u:?} is not an http://, https:// or file:// URL"),
                ));
            }
            self.index_url = Some(u.clone());
        }
        if let Some(f) = &section.find_links {
            self.find_links = f.clone();
        }
        if let Some(n) = section.no_index {
            self.no_index = n;
        }
        if let Some(t) = positive("install_timeout_secs", section.install_timeout_secs)? {
            self.install_timeout = Duration::from_secs(t);
        }
        if let Some(m) = positive("max_env_mb", section.max_env_mb)? {
            self.max_env_bytes = m.saturating_mul(1 << 20);
        }
        if let Some(t) = positive("build_timeout_secs", section.build_timeout_secs)? {
            self.build_timeout = Duration::from_secs(t);
        }
        if self.no_index && self.find_links.is_empty() {
            return Err((
                "environments.no_index".into(),
                "no_index = true needs find_links: the folders of wheels to install from".into(),
            ));
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_then_config_keys() {
        let vars = |name: &str| match name {
            "ARENA_INSTALLER" => Some("pip".to_string()),
            "ARENA_PIP_FIND_LINKS" => Some("/wheels /more".to_string()),
            _ => None,
        };
        let s = EnvSettings::from_vars(vars).expect("variables");
        assert_eq!(s.installer, InstallerChoice::Pip);
        assert_eq!(s.find_links, ["/wheels", "/more"]);
        let section: EnvSection =
            toml::from_str("installer = \"uv\"\nno_index = true\nmax_env_mb = 10\n")
                .expect("section");
        let s = s.with_section(&section).expect("merged");
        assert_eq!(s.installer, InstallerChoice::Uv);
        assert!(s.no_index);
        assert_eq!(s.max_env_bytes, 10 << 20);
        let bad = EnvSettings::from_vars(|n| (n == "ARENA_INSTALLER").then(|| "conda".into()));
        assert!(bad.expect_err("conda").contains("auto, uv or pip"));
        let section: EnvSection = toml::from_str("no_index = true").expect("section");
        let err = EnvSettings::default()
            .with_section(&section)
            .expect_err("no wheels");
        assert_eq!(err.0, "environments.no_index");
        assert!(toml::from_str::<EnvSection>("pip = 1").is_err());
    }
}
