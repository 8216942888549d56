//! Link-time settings for the `berth` binary.
//!
//! The binary is position independent with ~20,000 relative relocations (vtables, string
//! tables); every start of berth (each CLI call, each shim) applies them all. Packed
//! relative relocations (DT_RELR, glibc 2.36+, binutils 2.38+: Debian bookworm) shrink
//! that table from ~480 KiB to a few KiB, so the dynamic loader reads and runs far less
//! before `main`.

fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    println!("cargo:rerun-if-changed=build.rs");
}
