//! The `berth` binary, and its one bootstrap: argv is parsed once here and goes to the shim
//! (`berth __shim`, the per-container supervisor re-executed by the engine), the dashboard
//! (no command), the Docker Engine API (`berth system service`) or the Docker-compatible
//! CLI. Every front end gets its engine from `berth::bootstrap::open`.

use berth::cli::{Command, system::SystemCommand};
use berth::{api, bootstrap, cli, tui};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some(berth::engine::SHIM_ARG) {
        // The shim must stay single-threaded and quick to start: nothing else (no clap, no
        // config, no runtime) is built before it runs.
        std::process::exit(berth::engine::shim_main(&args[2..]));
    }
    // Like other Unix tools (and Docker's CLI), end quietly when the reader of our output
    // goes away (`berth logs web | head`) instead of failing on a broken pipe.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    std::process::exit(front_end(&args));
}

/// Parses the command line and runs the dashboard or the command; gives the exit code.
fn front_end(args: &[String]) -> i32 {
    let parsed = match cli::parse_args(args) {
        Ok(parsed) => parsed,
        Err(code) => return code,
    };
    let opened = bootstrap::open(parsed.root, parsed.config);
    bootstrap::exit_code(opened.and_then(|setup| match parsed.command {
        // `berth --root DIR` with no command: the dashboard on DIR.
        None => tui::run(setup.engine, &setup.config, &setup.config_path).map(|()| 0),
        // `berth system service`: the Docker Engine API, the third front end.
        Some(Command::System(SystemCommand::Service(a))) => api::serve(
            setup.engine,
            api::ServiceOptions {
                uri: a.uri,
                tls: api::TlsFlags {
                    verify: a.tlsverify,
                    ca: a.tlscacert,
                    cert: a.tlscert,
                    key: a.tlskey,
                },
                idle_secs: a.time,
                registries: setup.config.registries.clone(),
                default_network: setup.config.network.default.clone(),
            },
        ),
        Some(command) => {
            let ctx = cli::Ctx {
                engine: setup.engine,
                config: setup.config,
            };
            cli::dispatch(&ctx, command)
        }
    }))
}
