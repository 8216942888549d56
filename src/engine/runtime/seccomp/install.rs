//! Installing a compiled filter in the calling process: one `seccomp(2)` call with the
//! program's bytes. Written here rather than through libseccomp because the program was
//! compiled in the shim before the clone; the container's process only hands the bytes to
//! the kernel, without a filter context to build.

/// `struct sock_fprog`.
#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const libc::sock_filter,
}

/// Installs `bpf` (an array of `struct sock_filter`) as a seccomp filter of this thread.
/// Without no_new_privs the caller must hold CAP_SYS_ADMIN.
pub fn install(bpf: &[u8]) -> Result<(), super::SeccompError> {
    let size = std::mem::size_of::<libc::sock_filter>();
    if bpf.is_empty() || !bpf.len().is_multiple_of(size) || bpf.len() / size > u16::MAX as usize {
        return Err(super::SeccompError::BadProgram(bpf.len()));
    }
    // Copied into properly aligned instructions (the bytes may sit at any address).
    let program: Vec<libc::sock_filter> = bpf
        .chunks_exact(size)
        .map(|c| libc::sock_filter {
            code: u16::from_ne_bytes([c[0], c[1]]),
            jt: c[2],
            jf: c[3],
            k: u32::from_ne_bytes([c[4], c[5], c[6], c[7]]),
        })
        .collect();
    let prog = SockFprog {
        len: program.len() as u16,
        filter: program.as_ptr(),
    };
    // SAFETY: `prog` points at `program`, which lives until the call returns; the kernel
    // copies the program.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_seccomp,
            libc::SECCOMP_SET_MODE_FILTER,
            0,
            &prog as *const SockFprog,
        )
    };
    if rc != 0 {
        return Err(super::SeccompError::Install(std::io::Error::last_os_error()));
    }
    Ok(())
}
