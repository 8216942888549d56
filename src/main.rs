//! The `berth` binary: no arguments opens the dashboard, `berth shim` is the per-container
//! supervisor (re-executed by the engine), anything else is the Docker-compatible CLI.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(berth::engine::runtime::SHIM_ARG) {
        // The shim must stay single-threaded: no runtime is built before it runs.
        std::process::exit(berth::engine::runtime::shim::main(&args[2..]));
    }
    // Like other Unix tools (and Docker's CLI), end quietly when the reader of our output
    // goes away (`berth logs web | head`) instead of failing on a broken pipe.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(berth::cli::run(args));
}
