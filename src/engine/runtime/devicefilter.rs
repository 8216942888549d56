//! Device access on cgroup v2: v2 has no `devices` controller; the kernel asks an eBPF
//! program of type `BPF_PROG_TYPE_CGROUP_DEVICE` attached to the cgroup instead, as runc
//! does. This builds that program from the same rules the v1 controller gets (Docker's
//! default set) and attaches it to a container's cgroup before its first process runs.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

/// One device rule, as written to v1's `devices.allow`: `c 1:3 rwm`, `b *:* m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceRule {
    /// `BPF_DEVCG_DEV_BLOCK` (1) or `BPF_DEVCG_DEV_CHAR` (2); `None` for `a` (any).
    kind: Option<u32>,
    /// `None` for `*`.
    major: Option<u32>,
    /// `None` for `*`.
    minor: Option<u32>,
    /// Bits of `BPF_DEVCG_ACC_MKNOD` (1), `_READ` (2), `_WRITE` (4).
    access: u32,
}

impl DeviceRule {
    /// Parses a v1 rule line (`TYPE MAJOR:MINOR ACCESS`).
    pub fn parse(rule: &str) -> Option<DeviceRule> {
        let mut parts = rule.split_whitespace();
        let kind = match parts.next()? {
            "a" => None,
            "b" => Some(1),
            "c" => Some(2),
            _ => return None,
        };
        let (major, minor) = parts.next()?.split_once(':')?;
        let number = |s: &str| -> Option<Option<u32>> {
            if s == "*" {
                Some(None)
            } else {
                s.parse().ok().map(Some)
            }
        };
        let mut access = 0;
        for c in parts.next()?.chars() {
            access |= match c {
                'm' => 1,
                'r' => 2,
                'w' => 4,
                _ => return None,
            };
        }
        if parts.next().is_some() {
            return None;
        }
        Some(DeviceRule {
            kind,
            major: number(major)?,
            minor: number(minor)?,
            access,
        })
    }
}

/// One eBPF instruction (`struct bpf_insn`), encoded.
fn insn(code: u8, dst: u8, src: u8, off: i16, imm: i32) -> [u8; 8] {
    let mut b = [0u8; 8];
    b[0] = code;
    b[1] = (src << 4) | dst;
    b[2..4].copy_from_slice(&off.to_le_bytes());
    b[4..8].copy_from_slice(&imm.to_le_bytes());
    b
}

const LDX_W: u8 = 0x61; // BPF_LDX | BPF_MEM | BPF_W
const AND_K: u8 = 0x57; // BPF_ALU64 | BPF_AND | BPF_K
const RSH_K: u8 = 0x77; // BPF_ALU64 | BPF_RSH | BPF_K
const MOV_K: u8 = 0xb7; // BPF_ALU64 | BPF_MOV | BPF_K
const MOV_X: u8 = 0xbf; // BPF_ALU64 | BPF_MOV | BPF_X
const JNE_K: u8 = 0x55; // BPF_JMP | BPF_JNE | BPF_K
const JNE_X: u8 = 0x5d; // BPF_JMP | BPF_JNE | BPF_X
const EXIT: u8 = 0x95; // BPF_JMP | BPF_EXIT

/// The program: allow (return 1) when a rule matches the request, else deny (0).
/// Registers: r2 device type, r3 access asked, r4 major, r5 minor (from
/// `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`).
pub fn program(rules: &[DeviceRule]) -> Vec<[u8; 8]> {
    let mut p = vec![
        insn(LDX_W, 2, 1, 0, 0),
        insn(AND_K, 2, 0, 0, 0xffff),
        insn(LDX_W, 3, 1, 0, 0),
        insn(RSH_K, 3, 0, 0, 16),
        insn(LDX_W, 4, 1, 4, 0),
        insn(LDX_W, 5, 1, 8, 0),
    ];
    for rule in rules {
        // Each check jumps past the rest of this rule's block when it does not hold.
        let mut block: Vec<(u8, u8, u8, i32)> = Vec::new();
        if let Some(kind) = rule.kind {
            block.push((JNE_K, 2, 0, kind as i32));
        }
        if rule.access != 7 {
            // Every access asked must be allowed: (asked & allowed) == asked.
            block.push((MOV_X, 1, 3, 0));
            block.push((AND_K, 1, 0, rule.access as i32));
            block.push((JNE_X, 1, 3, 0));
        }
        if let Some(major) = rule.major {
            block.push((JNE_K, 4, 0, major as i32));
        }
        if let Some(minor) = rule.minor {
            block.push((JNE_K, 5, 0, minor as i32));
        }
        let len = block.len() + 2; // and `r0 = 1; exit`
        for (i, (code, dst, src, imm)) in block.into_iter().enumerate() {
            let off = if code == JNE_K || code == JNE_X {
                (len - i - 1) as i16
            } else {
                0
            };
            p.push(insn(code, dst, src, off, imm));
        }
        p.push(insn(MOV_K, 0, 0, 0, 1));
        p.push(insn(EXIT, 0, 0, 0, 0));
    }
    p.push(insn(MOV_K, 0, 0, 0, 0));
    p.push(insn(EXIT, 0, 0, 0, 0));
    p
}

const BPF_PROG_LOAD: libc::c_long = 5;
const BPF_PROG_ATTACH: libc::c_long = 8;
const BPF_PROG_TYPE_CGROUP_DEVICE: u32 = 15;
const BPF_CGROUP_DEVICE: u32 = 6;
const BPF_F_ALLOW_MULTI: u32 = 2;

/// `union bpf_attr` for BPF_PROG_LOAD, zero-padded (the kernel wants unknown bytes zero).
#[repr(C)]
#[derive(Default)]
struct ProgLoadAttr {
    prog_type: u32,
    insn_cnt: u32,
    insns: u64,
    license: u64,
    log_level: u32,
    log_size: u32,
    log_buf: u64,
    kern_version: u32,
    prog_flags: u32,
    prog_name: [u8; 16],
    prog_ifindex: u32,
    expected_attach_type: u32,
    rest: [u64; 8],
}

/// `union bpf_attr` for BPF_PROG_ATTACH.
#[repr(C)]
#[derive(Default)]
struct ProgAttachAttr {
    target_fd: u32,
    attach_bpf_fd: u32,
    attach_type: u32,
    attach_flags: u32,
    replace_bpf_fd: u32,
    rest: [u32; 11],
}

fn bpf<T>(cmd: libc::c_long, attr: &mut T) -> std::io::Result<i64> {
    // SAFETY: `attr` is a valid, fully initialised `union bpf_attr` prefix of the given
    // size; the kernel reads it (and for PROG_LOAD the buffers it points to) only during
    // the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_bpf,
            cmd,
            attr as *mut T as *mut libc::c_void,
            std::mem::size_of::<T>() as libc::c_uint,
        )
    };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

/// Loads the program `code` (instructions, encoded); with `log`, the verifier writes there.
fn load(code: &[u8], log: Option<&mut [u8]>) -> std::io::Result<i32> {
    let license = b"Apache\0";
    let mut name = [0u8; 16];
    name[..12].copy_from_slice(b"berth_device");
    let (log_level, log_size, log_buf) = match log {
        Some(l) => (1, l.len() as u32, l.as_mut_ptr() as u64),
        None => (0, 0, 0),
    };
    let mut attr = ProgLoadAttr {
        prog_type: BPF_PROG_TYPE_CGROUP_DEVICE,
        insn_cnt: (code.len() / 8) as u32,
        insns: code.as_ptr() as u64,
        license: license.as_ptr() as u64,
        log_level,
        log_size,
        log_buf,
        prog_name: name,
        ..ProgLoadAttr::default()
    };
    bpf(BPF_PROG_LOAD, &mut attr).map(|fd| fd as i32)
}

/// Loads the program for `rules` and attaches it to the v2 cgroup directory `dir`. The
/// cgroup keeps the program after the descriptors here are closed.
pub fn attach(dir: &Path, rules: &[DeviceRule]) -> std::io::Result<()> {
    let code: Vec<u8> = program(rules).concat();
    let prog = load(&code, None).or_else(|e| {
        // Again with the verifier's log, to say why.
        let mut log = vec![0u8; 1 << 16];
        match load(&code, Some(&mut log)) {
            Ok(fd) => Ok(fd),
            Err(_) => {
                let text = String::from_utf8_lossy(&log);
                let text = text.trim_end_matches('\0').trim();
                Err(std::io::Error::new(
                    e.kind(),
                    format!("loading the device filter: {e} {text}"),
                ))
            }
        }
    })?;
    // SAFETY: `prog` is a descriptor the kernel just returned and nothing else owns.
    let prog = unsafe { <std::os::fd::OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(prog) };
    let cgroup = File::open(dir)?;
    let mut at = ProgAttachAttr {
        target_fd: cgroup.as_raw_fd() as u32,
        attach_bpf_fd: prog.as_raw_fd() as u32,
        attach_type: BPF_CGROUP_DEVICE,
        attach_flags: BPF_F_ALLOW_MULTI,
        ..ProgAttachAttr::default()
    };
    bpf(BPF_PROG_ATTACH, &mut at)
        .map_err(|e| std::io::Error::new(e.kind(), format!("attaching the device filter: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_as_v1_writes_them() {
        let r = DeviceRule::parse("c 136:* rwm").expect("parses");
        assert_eq!(
            r,
            DeviceRule {
                kind: Some(2),
                major: Some(136),
                minor: None,
                access: 7
            }
        );
        let any = DeviceRule::parse("a *:* m").expect("parses");
        assert_eq!((any.kind, any.major, any.access), (None, None, 1));
        for bad in [
            "x 1:3 rwm",
            "c 1 rwm",
            "c 1:3 rwx",
            "c 1:3",
            "c a:3 r",
            "c 1:3 r x",
        ] {
            assert!(DeviceRule::parse(bad).is_none(), "{bad}");
        }
    }

    /// Runs the program on one request, as the kernel would (only the instructions this
    /// module emits are interpreted).
    fn run(prog: &[[u8; 8]], kind: u32, access: u32, major: u32, minor: u32) -> u64 {
        let mut r = [0u64; 11];
        let ctx = [(access << 16) | kind, major, minor];
        let mut pc = 0usize;
        loop {
            let i = prog[pc];
            let (dst, src) = ((i[1] & 0xf) as usize, (i[1] >> 4) as usize);
            let off = i16::from_le_bytes([i[2], i[3]]);
            let imm = i32::from_le_bytes([i[4], i[5], i[6], i[7]]) as i64 as u64;
            pc += 1;
            match i[0] {
                LDX_W => {
                    assert_eq!(src, 1);
                    r[dst] = u64::from(ctx[off as usize / 4]);
                }
                AND_K => r[dst] &= imm,
                RSH_K => r[dst] >>= imm,
                MOV_K => r[dst] = imm,
                MOV_X => r[dst] = r[src],
                JNE_K if r[dst] != imm => pc = (pc as i64 + i64::from(off)) as usize,
                JNE_X if r[dst] != r[src] => pc = (pc as i64 + i64::from(off)) as usize,
                JNE_K | JNE_X => {}
                EXIT => return r[0],
                op => panic!("unexpected opcode {op:#x}"),
            }
        }
    }

    #[test]
    fn the_program_allows_what_the_rules_allow_and_nothing_else() {
        let rules: Vec<DeviceRule> = ["c *:* m", "b *:* m", "c 1:3 rwm", "c 136:* rw"]
            .iter()
            .map(|r| DeviceRule::parse(r).expect("rule"))
            .collect();
        let p = program(&rules);
        let (blk, chr) = (1, 2);
        let (m, r, w) = (1, 2, 4);
        assert_eq!(run(&p, chr, r | w, 1, 3), 1, "/dev/null read-write");
        assert_eq!(run(&p, chr, r, 1, 5), 0, "/dev/zero is not listed");
        assert_eq!(run(&p, blk, m, 8, 0), 1, "mknod of a disk");
        assert_eq!(run(&p, blk, r, 8, 0), 0, "reading a disk");
        assert_eq!(run(&p, blk, w, 8, 0), 0, "writing a disk");
        assert_eq!(run(&p, chr, w, 136, 4), 1, "a pty");
        assert_eq!(run(&p, chr, m | r, 136, 4), 0, "mknod is not in that rule");
        assert_eq!(run(&program(&[]), chr, r, 1, 3), 0, "no rules, no devices");
    }

    /// A cgroup2 mount to try the filter in: the unified root, or the empty v2 hierarchy of
    /// a hybrid host.
    fn cgroup2() -> Option<std::path::PathBuf> {
        ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"]
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.join("cgroup.procs").exists() && p.join("cgroup.subtree_control").exists())
    }

    #[test]
    fn the_kernel_enforces_the_attached_filter() {
        use std::os::unix::process::CommandExt;
        let Some(root) = cgroup2() else {
            panic!("no cgroup2 mount: the kernel's device filter cannot be tried");
        };
        let dir = root.join(format!("berth-devicefilter-test-{}", std::process::id()));
        std::fs::create_dir(&dir).expect("make a test cgroup (needs root)");
        let rules: Vec<DeviceRule> = ["c 1:3 rw"]
            .iter()
            .filter_map(|r| DeviceRule::parse(r))
            .collect();
        let attached = attach(&dir, &rules);
        let procs = std::ffi::CString::new(
            dir.join("cgroup.procs")
                .into_os_string()
                .into_encoded_bytes(),
        )
        .expect("path");
        let mut cmd = std::process::Command::new("/bin/sh");
        cmd.args([
            "-c",
            "echo x >/dev/null && echo null-ok; head -c1 /dev/zero >/dev/null && echo zero-ok",
        ]);
        // SAFETY: between fork and exec only open/write/close (async-signal-safe).
        unsafe {
            cmd.pre_exec(move || {
                let fd = libc::open(procs.as_ptr(), libc::O_WRONLY);
                if fd < 0 || libc::write(fd, b"0".as_ptr().cast(), 1) != 1 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(fd);
                Ok(())
            });
        }
        let out = if attached.is_ok() {
            cmd.output().map_err(|e| e.to_string())
        } else {
            Err("not attached".into())
        };
        let _ = std::fs::remove_dir(&dir);
        attached.expect("attach");
        let out = out.expect("run sh in the test cgroup");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("null-ok"), "/dev/null refused: {out:?}");
        assert!(!stdout.contains("zero-ok"), "/dev/zero allowed: {out:?}");
    }
}
