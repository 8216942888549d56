//! Compiling a profile to classic BPF with libseccomp, for this machine's architecture (and
//! the sub-architectures the profile names for it) and the container's capabilities. Done
//! in the shim before the container's process is cloned; that process only installs the
//! bytes (`install`), so it never allocates or parses after its clone.

use super::error::SeccompError;
use super::profile::{Arg, Filter, Profile, Rule};
use caps::CapsHashSet;
use libseccomp::{
    ScmpAction, ScmpArch, ScmpArgCompare, ScmpCompareOp, ScmpFilterContext, ScmpSyscall,
};
use std::io::{Read, Seek};
use std::str::FromStr;

/// This machine's architecture as Go names it (what `includes.arches` lists).
fn go_arch() -> &'static str {
    match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "x86" => "386",
        "aarch64" => "arm64",
        "arm" => "arm",
        "s390x" => "s390x",
        "powerpc64" => "ppc64le",
        "riscv64" => "riscv64",
        "mips64" => "mips64le",
        other => other,
    }
}

/// The running kernel's `major.minor`.
fn kernel_version() -> (u32, u32) {
    let release = nix::sys::utsname::uname()
        .map(|u| u.release().to_string_lossy().into_owned())
        .unwrap_or_default();
    parse_version(&release).unwrap_or((0, 0))
}

fn parse_version(s: &str) -> Option<(u32, u32)> {
    let mut parts = s.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// Whether `rule` applies to a container with `caps` on this machine (Docker's rules:
/// every included capability present, no excluded one; the architecture listed in
/// `includes.arches` when given, absent from `excludes.arches`; the kernel new enough).
fn applies(rule: &Rule, caps: &[String], arch: &str, kernel: (u32, u32)) -> bool {
    let has = |c: &String| caps.contains(c);
    let Filter {
        caps: inc_caps,
        arches: inc_arches,
        min_kernel,
    } = &rule.includes;
    if !inc_caps.iter().all(has) || rule.excludes.caps.iter().any(has) {
        return false;
    }
    if !inc_arches.is_empty() && !inc_arches.iter().any(|a| a == arch) {
        return false;
    }
    if rule.excludes.arches.iter().any(|a| a == arch) {
        return false;
    }
    match min_kernel.as_deref().and_then(parse_version) {
        Some(min) => kernel >= min,
        None => true,
    }
}

fn action(name: &str, errno: Option<u32>) -> Result<ScmpAction, SeccompError> {
    let errno = errno.unwrap_or(libc::EPERM as u32) as i32;
    Ok(match name {
        "SCMP_ACT_ALLOW" => ScmpAction::Allow,
        "SCMP_ACT_ERRNO" => ScmpAction::Errno(errno),
        "SCMP_ACT_KILL" | "SCMP_ACT_KILL_THREAD" => ScmpAction::KillThread,
        "SCMP_ACT_KILL_PROCESS" => ScmpAction::KillProcess,
        "SCMP_ACT_TRAP" => ScmpAction::Trap,
        "SCMP_ACT_LOG" => ScmpAction::Log,
        "SCMP_ACT_TRACE" => ScmpAction::Trace(errno as u16),
        other => return Err(SeccompError::UnknownAction(other.to_string())),
    })
}

fn compare(a: &Arg) -> Result<ScmpArgCompare, SeccompError> {
    let (op, datum) = match a.op.as_str() {
        "SCMP_CMP_EQ" => (ScmpCompareOp::Equal, a.value),
        "SCMP_CMP_NE" => (ScmpCompareOp::NotEqual, a.value),
        "SCMP_CMP_LT" => (ScmpCompareOp::Less, a.value),
        "SCMP_CMP_LE" => (ScmpCompareOp::LessOrEqual, a.value),
        "SCMP_CMP_GE" => (ScmpCompareOp::GreaterEqual, a.value),
        "SCMP_CMP_GT" => (ScmpCompareOp::Greater, a.value),
        "SCMP_CMP_MASKED_EQ" => (ScmpCompareOp::MaskedEqual(a.value), a.value_two),
        other => return Err(SeccompError::UnknownOperator(other.to_string())),
    };
    Ok(ScmpArgCompare::new(a.index, op, datum))
}

/// The architectures the filter accepts besides the native one.
fn extra_arches(profile: &Profile) -> Vec<ScmpArch> {
    let native = ScmpArch::native();
    let mut names: Vec<&str> = profile.architectures.iter().map(String::as_str).collect();
    for m in &profile.arch_map {
        if ScmpArch::from_str(&m.architecture).ok() == Some(native) {
            names.push(&m.architecture);
            names.extend(m.sub_architectures.iter().flatten().map(String::as_str));
        }
    }
    names
        .into_iter()
        .filter_map(|n| ScmpArch::from_str(n).ok())
        .filter(|a| *a != native)
        .collect()
}

/// Compiles `profile` for a container with `caps` to the BPF program the kernel takes
/// (an array of `struct sock_filter`).
pub fn compile(profile: &Profile, caps: &CapsHashSet) -> Result<Vec<u8>, SeccompError> {
    let fail = |what: &str, source: libseccomp::error::SeccompError| SeccompError::Compile {
        step: what.to_string(),
        source,
    };
    let default = action(&profile.default_action, profile.default_errno_ret)?;
    let mut ctx = ScmpFilterContext::new(default).map_err(|e| fail("new filter", e))?;
    // no_new_privs is the caller's choice (it installs the program itself).
    ctx.set_ctl_nnp(false).map_err(|e| fail("nnp", e))?;
    for arch in extra_arches(profile) {
        ctx.add_arch(arch)
            .map_err(|e| fail("add architecture", e))?;
    }
    let cap_names: Vec<String> = caps.iter().map(|c| c.to_string()).collect();
    let (arch, kernel) = (go_arch(), kernel_version());
    for rule in &profile.syscalls {
        if !applies(rule, &cap_names, arch, kernel) {
            continue;
        }
        let act = action(&rule.action, rule.errno_ret)?;
        if act == default {
            continue;
        }
        let conds = rule
            .args
            .iter()
            .map(compare)
            .collect::<Result<Vec<_>, _>>()?;
        // Several conditions on one argument are alternatives (each its own rule), as in
        // runc; conditions on different arguments must all hold.
        let mut indexes: Vec<u32> = rule.args.iter().map(|a| a.index).collect();
        indexes.sort_unstable();
        indexes.dedup();
        let alternatives = indexes.len() < rule.args.len();
        for name in rule.all_names() {
            // Names this libseccomp or architecture does not know are passed over.
            let Ok(sc) = ScmpSyscall::from_name(name) else {
                continue;
            };
            let added = if conds.is_empty() {
                ctx.add_rule(act, sc)
            } else if alternatives {
                conds
                    .iter()
                    .try_for_each(|c| ctx.add_rule_conditional(act, sc, &[*c]).map(|_| ()))
                    .map(|_| &mut ctx)
            } else {
                ctx.add_rule_conditional(act, sc, &conds)
            };
            added.map_err(|e| fail(&format!("rule for '{name}'"), e))?;
        }
    }
    let mut out = memfd()?;
    ctx.export_bpf(&out).map_err(|e| fail("export", e))?;
    let mut bytes = Vec::new();
    out.rewind()
        .and_then(|_| out.read_to_end(&mut bytes))
        .map_err(|source| SeccompError::Io {
            step: "read the program back",
            source,
        })?;
    Ok(bytes)
}

/// An anonymous in-memory file for libseccomp to write the program into (its 2.5 API
/// exports only to a file descriptor).
fn memfd() -> Result<std::fs::File, SeccompError> {
    let fd =
        nix::sys::memfd::memfd_create(c"berth-seccomp", nix::sys::memfd::MFdFlags::MFD_CLOEXEC)
            .map_err(|e| SeccompError::Io {
                step: "memfd_create",
                source: e.into(),
            })?;
    Ok(std::fs::File::from(fd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_by_capability_architecture_and_kernel() {
        let r = Rule {
            includes: Filter {
                caps: vec!["CAP_SYS_ADMIN".into()],
                ..Filter::default()
            },
            ..Rule::default()
        };
        let admin = vec!["CAP_SYS_ADMIN".to_string()];
        assert!(applies(&r, &admin, "amd64", (6, 1)));
        assert!(!applies(&r, &[], "amd64", (6, 1)));
        let r = Rule {
            excludes: Filter {
                caps: vec!["CAP_SYS_ADMIN".into()],
                arches: vec!["s390x".into()],
                ..Filter::default()
            },
            includes: Filter {
                min_kernel: Some("4.8".into()),
                ..Filter::default()
            },
            ..Rule::default()
        };
        assert!(applies(&r, &[], "amd64", (6, 1)));
        assert!(!applies(&r, &admin, "amd64", (6, 1)));
        assert!(!applies(&r, &[], "s390x", (6, 1)));
        assert!(!applies(&r, &[], "amd64", (4, 4)));
        assert_eq!(parse_version("6.18.44-fc-v1252"), Some((6, 18)));
    }

    #[test]
    fn the_default_profile_compiles_to_a_program() {
        let caps = crate::engine::runtime::caps::container_set(true);
        let bpf = compile(&super::super::default::profile(), &caps).expect("compile");
        // struct sock_filter is 8 bytes; the allowlist makes hundreds of instructions.
        assert!(bpf.len().is_multiple_of(8));
        assert!(bpf.len() / 8 > 100, "{} instructions", bpf.len() / 8);
    }
}
