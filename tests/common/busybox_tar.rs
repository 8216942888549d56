//! The busybox root filesystem the container tests import, as a tar made from Debian's
//! static busybox (part of the container harness).

use super::BUSYBOX;
use std::process::Command;
use std::sync::OnceLock;

/// The busybox rootfs as an uncompressed tar, built once per test binary.
pub fn busybox_tar() -> &'static [u8] {
    static TAR: OnceLock<Vec<u8>> = OnceLock::new();
    TAR.get_or_init(build_busybox_tar)
}

fn build_busybox_tar() -> Vec<u8> {
    let bin = std::fs::read(BUSYBOX).unwrap_or_else(|e| {
        panic!(
            "these tests need Debian's static busybox at {BUSYBOX} ({e}): \
             install it with 'apt-get install busybox-static'"
        )
    });
    let list = Command::new(BUSYBOX)
        .arg("--list")
        .output()
        .expect("run busybox --list");
    assert!(list.status.success(), "busybox --list failed");
    let applets = String::from_utf8(list.stdout).expect("utf-8 applet list");

    let mut b = tar::Builder::new(Vec::new());
    let dir = |b: &mut tar::Builder<Vec<u8>>, name: &str, mode: u32| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Directory);
        h.set_mode(mode);
        h.set_size(0);
        h.set_mtime(1_700_000_000);
        h.set_uid(0);
        h.set_gid(0);
        b.append_data(&mut h, name, std::io::empty())
            .expect("append dir");
    };
    let file = |b: &mut tar::Builder<Vec<u8>>, name: &str, mode: u32, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(mode);
        h.set_size(data.len() as u64);
        h.set_mtime(1_700_000_000);
        h.set_uid(0);
        h.set_gid(0);
        b.append_data(&mut h, name, data).expect("append file");
    };
    dir(&mut b, "bin", 0o755);
    dir(&mut b, "etc", 0o755);
    dir(&mut b, "tmp", 0o1777);
    dir(&mut b, "root", 0o700);
    file(&mut b, "bin/busybox", 0o755, &bin);
    for applet in applets.lines().map(str::trim) {
        if applet.is_empty() || applet == "busybox" {
            continue;
        }
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Symlink);
        h.set_mode(0o777);
        h.set_size(0);
        h.set_mtime(1_700_000_000);
        h.set_uid(0);
        h.set_gid(0);
        b.append_link(&mut h, format!("bin/{applet}"), "busybox")
            .expect("append applet link");
    }
    file(
        &mut b,
        "etc/passwd",
        0o644,
        b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
    );
    file(&mut b, "etc/group", 0o644, b"root:x:0:\nnogroup:x:65534:\n");
    b.into_inner().expect("finish tar")
}
