//! Link flags for the `berth` binary.
//!
//! Packed relative relocations (`-z pack-relative-relocs`, DT_RELR: binutils 2.38 and glibc
//! 2.36 or later, Debian bookworm has both): berth is position independent and has about
//! 21,000 relative relocations, which as RELA entries are a 500 kB table the dynamic
//! loader reads on every exec (every CLI call and every shim). As RELR they take 3 kB;
//! `berth --version` went from 1.5 to 1.4 ms. A linker that does not know the option
//! warns and ignores it.
fn main() {
    println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    println!("cargo:rerun-if-changed=build.rs");
}
