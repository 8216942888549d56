//! What a stage starts from and reads: FROM (an earlier stage, a local image — pulled
//! when missing — or `scratch`), the image's files as a tree for `COPY --from`, and
//! looking paths up in a state's layers (for COPY's destination and `--chown` names).

use super::context::Tree;
use super::error::BuildError;
use super::options::BuildOptions;
use super::progress::BuildEvent;
use super::state::ImageState;
use crate::engine::Engine;
use crate::engine::build::BuildFault;
use crate::engine::error::{EngineError, IoContext, Result};
use crate::engine::image::reference::RemoteReference;
use crate::engine::registry::credentials::normalize;
use crate::engine::registry::pull::PullOptions;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::PathBuf;

/// A build stage in progress or finished.
#[derive(Debug, Clone)]
pub struct Stage {
    /// `AS name`, lowercase.
    pub name: Option<String>,
    /// The image so far.
    pub state: ImageState,
    /// The id of the image the stage started from (empty for scratch).
    pub base_id: String,
    /// ARG values in scope.
    pub args: BTreeMap<String, String>,
    /// `Dockerfile:12`: where the instruction being run is (new history entries name it
    /// in their comment, as BuildKit names its frontend there).
    pub source: String,
}

impl Stage {
    /// The variables instructions expand: build args, then ENV over them.
    pub fn vars(&self) -> BTreeMap<String, String> {
        let mut v = self.args.clone();
        for e in self.state.env() {
            if let Some((k, val)) = e.split_once('=') {
                v.insert(k.to_string(), val.to_string());
            }
        }
        v
    }
}

/// Resolves a FROM image name: a finished stage, `scratch`, a local image, or a pull.
pub fn resolve_base(
    engine: &Engine,
    name: &str,
    stages: &[Stage],
    opts: &BuildOptions,
    progress: &mut dyn FnMut(BuildEvent),
) -> Result<(ImageState, String)> {
    let lower = name.to_ascii_lowercase();
    if let Some(s) = stages
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        return Ok((s.state.clone(), s.base_id.clone()));
    }
    if lower == "scratch" {
        return Ok((ImageState::scratch(), String::new()));
    }
    if opts.pull {
        progress(BuildEvent::Note(format!("Pulling {name}")));
        pull(engine, name, opts)?;
    }
    let img = match engine.image(name) {
        Ok(i) => i,
        Err(EngineError::NoSuchImage(_)) => {
            progress(BuildEvent::Note(format!("Pulling {name}")));
            pull(engine, name, opts)?;
            engine.image(name)?
        }
        Err(e) => return Err(e),
    };
    Ok((ImageState::of_image(engine, &img)?, img.id.into_string()))
}

/// Pulls on a thread of its own with its own runtime, so this works from any caller (the
/// dashboard calls the engine from inside its runtime's blocking pool).
fn pull(engine: &Engine, name: &str, build: &BuildOptions) -> Result<()> {
    let engine = engine.clone();
    let name = name.to_string();
    let host = RemoteReference::parse(&name)?.domain();
    let opts = PullOptions {
        platform: build.platform.clone(),
        registries: build.registries.clone(),
        credentials: build.registry_credentials.get(&normalize(&host)).cloned(),
    };
    std::thread::spawn(move || -> Result<()> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(BuildFault::PullRuntime)?;
        rt.block_on(engine.pull_image(&name, &opts, |_| {}))?;
        Ok(())
    })
    .join()
    .map_err(|_| BuildFault::PullPanicked)?
}

/// A state's files as one directory, for `COPY --from`: its only layer as is, or the layers
/// stacked into a scratch copy (removed when the value is dropped).
pub struct Rootfs {
    /// The tree to read.
    pub tree: Tree,
    scratch: Option<PathBuf>,
}

impl Drop for Rootfs {
    fn drop(&mut self) {
        if let Some(d) = self.scratch.take() {
            let _ = fs::remove_dir_all(d);
        }
    }
}

/// Makes the tree of `state`'s files.
pub fn rootfs(engine: &Engine, state: &ImageState) -> Result<Rootfs> {
    let chains = state.chains();
    if chains.len() == 1 {
        return Ok(Rootfs {
            tree: Tree::rootfs(engine.layer_dir(&chains[0])),
            scratch: None,
        });
    }
    let dir = engine.paths().tmp().join(format!(
        "build-from-{}",
        &crate::engine::ids::random_id()[..16]
    ));
    let out = Rootfs {
        tree: Tree::rootfs(dir.join("rw").join("rootfs")),
        scratch: Some(dir.clone()),
    };
    let layers: Vec<PathBuf> = crate::engine::image::links::visible(engine.paths(), &chains)
        .iter()
        .map(|c| engine.layer_dir(c))
        .collect();
    crate::engine::runtime::storage::copy_layers(&layers, &dir).at(&dir)?;
    Ok(out)
}

/// The metadata of `rel` (relative to `/`) as the image shows it: the topmost layer that
/// has it, unless a whiteout hides it.
pub fn lookup(engine: &Engine, state: &ImageState, rel: &str) -> Option<fs::Metadata> {
    let rel = rel.trim_start_matches('/');
    for c in crate::engine::image::links::visible(engine.paths(), &state.chains())
        .iter()
        .rev()
    {
        if let Ok(m) = fs::symlink_metadata(engine.layer_dir(c).join(rel)) {
            if m.file_type().is_char_device() && m.rdev() == 0 {
                return None;
            }
            return Some(m);
        }
    }
    None
}

/// Reads a file of the image (topmost layer that has it).
pub fn read_file(engine: &Engine, state: &ImageState, rel: &str) -> String {
    for c in crate::engine::image::links::visible(engine.paths(), &state.chains())
        .iter()
        .rev()
    {
        if let Ok(s) = fs::read_to_string(engine.layer_dir(c).join(rel)) {
            return s;
        }
    }
    String::new()
}

/// The largest uid or gid `--chown` accepts: 2^32-2 (`4294967295` is -1, "no id", to
/// the kernel: chown(2) would leave the file root's).
pub const MAX_ID: u64 = u32::MAX as u64 - 1;

/// Refuses a numeric user or group (all digits, or a negative number) outside 0..=MAX_ID.
fn check_id(kind: &str, part: &str) -> std::result::Result<(), BuildError> {
    let digits = part.strip_prefix('-').unwrap_or(part);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    match part.parse::<u64>() {
        Ok(n) if n <= MAX_ID => Ok(()),
        _ => Err(BuildError::Owner(format!(
            "{kind} id '{part}' is out of range: expected 0 to {MAX_ID}"
        ))),
    }
}

/// Resolves `--chown=user[:group]` against the image's passwd and group files.
pub fn owner(
    engine: &Engine,
    state: &ImageState,
    spec: &str,
) -> std::result::Result<(u64, u64), BuildError> {
    let (user, group) = spec.split_once(':').unwrap_or((spec, ""));
    check_id("user", user)?;
    check_id("group", group)?;
    let passwd = read_file(engine, state, "etc/passwd");
    let group = read_file(engine, state, "etc/group");
    let id = crate::engine::runtime::user::resolve(spec, &passwd, &group)
        .map_err(|e| BuildError::Owner(e.to_string()))?;
    let (uid, gid) = (u64::from(id.uid), u64::from(id.gid));
    if uid > MAX_ID || gid > MAX_ID {
        // A passwd or group entry of the image with id -1.
        return Err(BuildError::Owner(format!(
            "'{spec}' resolves to id {}: expected 0 to {MAX_ID}",
            uid.max(gid)
        )));
    }
    // `--chown=user` alone: the group is the user's primary group if named, else the uid.
    Ok((uid, gid))
}
