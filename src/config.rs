//! The user's settings: `~/.config/berth/config.yaml` over built-in defaults.
//!
//! Every key is documented in `config.example.yaml`. Unknown keys and bad values are
//! reported with the file and the key.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// All settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The state root (overridden by `--root` and `BERTH_ROOT`).
    pub root: PathBuf,
    /// Container log settings.
    pub logs: LogConfig,
    /// Dashboard settings.
    pub dashboard: DashboardConfig,
    /// Registries: insecure hosts, mirrors, extra CA certificates.
    pub registries: crate::engine::RegistryOptions,
    /// Networking settings.
    pub network: NetworkConfig,
    /// Defaults of every container's security settings.
    pub security: SecurityDefaults,
}

/// Defaults of every container's security settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecurityDefaults {
    /// Set no_new_privs in every container (as `--security-opt no-new-privileges` does):
    /// setuid programs and file capabilities in images then give nothing. Off by default,
    /// as in Docker, so setuid programs in images work.
    pub no_new_privileges: bool,
}

/// Networking settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NetworkConfig {
    /// The network of containers run without `--network` (and of build RUN steps):
    /// `bridge` (Docker's default: the `berth0` bridge, made on first use), `none`
    /// (loopback only), `host` or a user network's name.
    pub default: String,
    /// The MTU of bridge networks created without `--opt com.docker.network.driver.mtu`
    /// (and of the default network `bridge`): 68..=65535.
    pub mtu: u32,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        NetworkConfig {
            default: crate::engine::DEFAULT_NETWORK.into(),
            mtu: crate::engine::DEFAULT_MTU,
        }
    }
}

/// Container log rotation (Docker's json-file `log-opts`); a container's `--log-opt` wins.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// Rotate when the log reaches this size (`10m`, `512k`, bytes); `-1` or empty: never
    /// (every line is kept, Docker's default).
    pub max_size: String,
    /// How many files to keep per container, the live one included.
    pub max_files: u32,
    /// Gzip the rotated files.
    pub compress: bool,
}

impl LogConfig {
    /// The rotation size in bytes; `None` when the log is never rotated.
    pub fn max_size_bytes(&self) -> Result<Option<u64>, String> {
        match self.max_size.trim() {
            "" | "-1" => Ok(None),
            s => match parse_size(s)? {
                0 => Err(format!("invalid size '{s}': must be positive")),
                n => Ok(Some(n)),
            },
        }
    }
}

/// Dashboard settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DashboardConfig {
    /// Theme: a built-in preset (`default`, `light`), a file in `~/.config/berth/themes/`
    /// named `<theme>.yaml`, or a path to a theme file.
    pub theme: String,
    /// How often the container list is refreshed, in milliseconds.
    pub refresh_ms: u64,
    /// Key bindings: action name -> keys (e.g. `stop_container: ["s"]`), over the defaults.
    pub keys: BTreeMap<String, Vec<String>>,
    /// How many past lines of a log the Logs pane loads when it opens.
    pub log_tail: usize,
    /// How many log lines the Logs pane keeps (older ones are dropped).
    pub log_buffer: usize,
    /// Whether the dashboard takes the mouse (clicks select and focus, the wheel scrolls).
    pub mouse: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            root: PathBuf::from(crate::engine::DEFAULT_ROOT),
            logs: LogConfig::default(),
            dashboard: DashboardConfig::default(),
            registries: Default::default(),
            network: NetworkConfig::default(),
            security: SecurityDefaults::default(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            max_size: "-1".into(),
            max_files: 1,
            compress: false,
        }
    }
}

impl Default for DashboardConfig {
    fn default() -> Self {
        DashboardConfig {
            theme: "default".into(),
            refresh_ms: 500,
            keys: BTreeMap::new(),
            log_tail: 500,
            log_buffer: 5000,
            mouse: true,
        }
    }
}

/// The default config file: `$XDG_CONFIG_HOME/berth/config.yaml` or `~/.config/berth/config.yaml`.
pub fn default_path() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_CONFIG_HOME") {
        return PathBuf::from(x).join("berth").join("config.yaml");
    }
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
    PathBuf::from(home)
        .join(".config")
        .join("berth")
        .join("config.yaml")
}

/// Parses a size like `10m`, `512k`, `1g`, `100b` or `4096` into bytes (Docker's units, 1024-based).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').filter(|r| !r.is_empty()).unwrap_or(&t);
    let (num, mult) = match t.chars().last() {
        Some('k') => (&t[..t.len() - 1], 1024u64),
        Some('m') => (&t[..t.len() - 1], 1024 * 1024),
        Some('g') => (&t[..t.len() - 1], 1024 * 1024 * 1024),
        _ => (t, 1),
    };
    let n: f64 = num.parse().map_err(|_| {
        format!("invalid size '{s}': use a number with an optional unit b, k, m or g")
    })?;
    if n < 0.0 || !n.is_finite() {
        return Err(format!("invalid size '{s}': must be positive"));
    }
    Ok((n * mult as f64) as u64)
}

impl Config {
    /// Loads `path`; a missing file gives the defaults. Errors name the file and the key.
    /// The dashboard's key bindings are checked by the dashboard's keymap, through
    /// `bootstrap::load_config`.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(format!("cannot read config '{}': {e}", path.display())),
        };
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let cfg: Config = serde_yaml_ng::from_str(&text)
            .map_err(|e| format!("config '{}': {e}", path.display()))?;
        let at = |key: &str, e: &str| format!("config '{}': key '{key}': {e}", path.display());
        let max_size = cfg
            .logs
            .max_size_bytes()
            .map_err(|e| at("logs.max_size", &e))?;
        if cfg.logs.max_files == 0 {
            return Err(at("logs.max_files", "must be at least 1"));
        }
        if cfg.logs.compress && (max_size.is_none() || cfg.logs.max_files < 2) {
            return Err(at(
                "logs.compress",
                "needs logs.max_size set and logs.max_files of at least 2",
            ));
        }
        if cfg.dashboard.refresh_ms < 50 {
            return Err(at(
                "dashboard.refresh_ms",
                "must be at least 50 (milliseconds)",
            ));
        }
        if !crate::engine::VALID_MTU.contains(&cfg.network.mtu) {
            return Err(at("network.mtu", "must be between 68 and 65535"));
        }
        if cfg.dashboard.log_buffer == 0 {
            return Err(at("dashboard.log_buffer", "must be at least 1"));
        }
        Ok(cfg)
    }
}

/// `config.example.yaml` with its settings uncommented (settings are commented with "# ",
/// prose with "## "), written into `dir`: its path and text. For the tests that check the
/// example against the loader (here and in `bootstrap`).
#[cfg(test)]
pub(crate) fn uncommented_example(dir: &Path) -> (PathBuf, String) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.yaml");
    let text = std::fs::read_to_string(&example).expect("read config.example.yaml");
    let uncommented: String = text
        .lines()
        .filter(|l| !l.starts_with("##"))
        .filter_map(|l| l.strip_prefix("# "))
        .collect::<Vec<_>>()
        .join("\n");
    let live = dir.join("config.yaml");
    std::fs::write(&live, &uncommented).expect("write");
    (live, uncommented)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10m"), Ok(10 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("32MB"), Ok(32 * 1024 * 1024));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("abc").is_err());
    }

    #[test]
    fn unknown_keys_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("config.yaml");
        std::fs::write(&p, "logs:\n  max_sise: 1m\n").expect("write");
        let err = Config::load(&p).expect_err("unknown key");
        assert!(err.contains("max_sise"), "{err}");
        assert!(err.contains("config.yaml"), "{err}");
        std::fs::write(&p, "logs:\n  max_size: lots\n").expect("write");
        let err = Config::load(&p).expect_err("bad value");
        assert!(err.contains("logs.max_size"), "{err}");
        std::fs::write(&p, "logs:\n  compress: true\n").expect("write");
        let err = Config::load(&p).expect_err("compress without rotation");
        assert!(err.contains("logs.compress"), "{err}");
        std::fs::write(
            &p,
            "logs:\n  max_size: 10m\n  max_files: 3\n  compress: true\n",
        )
        .expect("write");
        let cfg = Config::load(&p).expect("rotation");
        assert_eq!(cfg.logs.max_size_bytes(), Ok(Some(10 << 20)));
        std::fs::write(&p, "network:\n  mtu: 70000\n").expect("write");
        let err = Config::load(&p).expect_err("mtu out of range");
        assert!(err.contains("network.mtu"), "{err}");
    }

    #[test]
    fn example_config_parses_to_the_defaults() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.yaml");
        let text = std::fs::read_to_string(&example).expect("read config.example.yaml");
        // Every line is a comment: the example changes nothing until uncommented.
        assert!(
            text.lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')),
            "config.example.yaml must be fully commented"
        );
        let cfg = Config::load(&example).expect("commented example loads");
        assert_eq!(cfg.dashboard.refresh_ms, 500);
        // Uncommented, it must parse too and give the defaults back.
        let dir = tempfile::tempdir().expect("tempdir");
        let (live, uncommented) = super::uncommented_example(dir.path());
        let cfg = Config::load(&live).unwrap_or_else(|e| panic!("{e}\n---\n{uncommented}"));
        let defaults = Config::default();
        assert_eq!(cfg.root, defaults.root);
        assert_eq!(cfg.logs.max_size, defaults.logs.max_size);
        assert_eq!(cfg.logs.max_files, defaults.logs.max_files);
        assert_eq!(cfg.logs.compress, defaults.logs.compress);
        assert_eq!(cfg.logs.max_size_bytes(), Ok(None));
        assert_eq!(cfg.dashboard.theme, defaults.dashboard.theme);
        assert_eq!(cfg.dashboard.refresh_ms, defaults.dashboard.refresh_ms);
        assert_eq!(cfg.dashboard.log_tail, defaults.dashboard.log_tail);
        assert_eq!(cfg.dashboard.log_buffer, defaults.dashboard.log_buffer);
        assert_eq!(cfg.dashboard.mouse, defaults.dashboard.mouse);
        assert_eq!(cfg.network.default, defaults.network.default);
        assert_eq!(cfg.network.mtu, defaults.network.mtu);
    }
}
