//! `berth login [-u USER] [-p PASS | --password-stdin] [SERVER]` and `berth logout [SERVER]`.

use super::{LoginArgs, LogoutArgs, runtime};
use crate::cli::Ctx;
use crate::engine::{Credentials, normalize_registry};
use std::io::{BufRead, IsTerminal, Write};

/// Runs `login`: checks the credentials with the registry, then saves them (mode 0600).
pub fn login(ctx: &Ctx, a: LoginArgs) -> anyhow::Result<i32> {
    let server = a.server.clone();
    let shown = server.clone().unwrap_or_else(|| "docker.io".into());
    let stdin = std::io::stdin();
    let username = match a.username {
        Some(u) => u,
        None => {
            anyhow::ensure!(
                stdin.is_terminal() && !a.password_stdin,
                "username required: pass -u USER"
            );
            prompt("Username: ")?
        }
    };
    let password = if a.password_stdin {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else if let Some(p) = a.password {
        eprintln!("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        p
    } else {
        anyhow::ensure!(
            stdin.is_terminal(),
            "password required: pass --password-stdin and pipe it in"
        );
        prompt_hidden("Password: ")?
    };
    anyhow::ensure!(
        !username.is_empty() && !password.is_empty(),
        "username and password must not be empty"
    );
    let creds = Credentials { username, password };
    let rt = runtime()?;
    let file = rt.block_on(ctx.engine.registry_login(
        server.as_deref(),
        &creds,
        &ctx.config.registries,
    ))?;
    eprintln!(
        "Login to '{}' succeeded: credentials saved in '{}'",
        normalize_registry(&shown),
        file.display()
    );
    println!("Login Succeeded");
    Ok(0)
}

/// Runs `logout`.
pub fn logout(ctx: &Ctx, a: LogoutArgs) -> anyhow::Result<i32> {
    let host = normalize_registry(a.server.as_deref().unwrap_or("docker.io"));
    if ctx.engine.registry_logout(a.server.as_deref())? {
        println!("Removing login credentials for {host}");
    } else {
        println!("Not logged in to {host}");
    }
    Ok(0)
}

fn prompt(label: &str) -> anyhow::Result<String> {
    print!("{label}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

fn prompt_hidden(label: &str) -> anyhow::Result<String> {
    use nix::sys::termios::{LocalFlags, SetArg, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    let old = tcgetattr(&stdin)?;
    let mut quiet = old.clone();
    quiet.local_flags.remove(LocalFlags::ECHO);
    tcsetattr(&stdin, SetArg::TCSANOW, &quiet)?;
    let line = prompt(label);
    tcsetattr(&stdin, SetArg::TCSANOW, &old)?;
    println!();
    line
}
