//! `berth system service` as a child of a test, on a private socket, and the docker CLI
//! pointed at it (`DOCKER_HOST`, a private `DOCKER_CONFIG`). Killed by pid when dropped.

#![allow(dead_code)]

use super::harness::{Berth, Out};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `berth system service` on a private socket.
pub struct Service {
    /// The service process (ours, killed by pid on drop).
    pub child: Child,
    /// Its socket.
    pub sock: PathBuf,
    /// The docker CLI's config directory (private to the test).
    pub docker_config: PathBuf,
    /// The service's own credentials directory (`BERTH_CONFIG_DIR`, private to the test,
    /// so it reads and writes no credentials of the machine's user).
    pub berth_config: PathBuf,
}

impl Service {
    /// Starts the service for `b`'s root and waits until its socket answers.
    pub fn start(b: &Berth) -> Service {
        Service::start_in(b, None)
    }

    /// [`Service::start`] inside network namespace `netns` (a path under /run/netns), for
    /// tests that make bridges.
    pub fn start_in(b: &Berth, netns: Option<&Path>) -> Service {
        Service::start_with(b, netns, b.cmd(&[]), "0")
    }

    /// [`Service::start_in`] with the berth command `berth` (a `Berth::cmd` whose program
    /// may be another copy of the binary) and idle time `idle` (`--time`, seconds).
    pub fn start_with(b: &Berth, netns: Option<&Path>, berth: Command, idle: &str) -> Service {
        let dir = b.scratch("api");
        let sock = dir.join("docker.sock");
        let uri = format!("unix://{}", sock.display());
        let mut berth = berth;
        berth.args(["system", "service", "--time", idle, &uri]);
        let mut cmd = match netns {
            // nsenter execs berth (no fork for a network namespace): the child is berth.
            Some(ns) => {
                let mut c = Command::new("nsenter");
                c.arg(format!("--net={}", ns.display()))
                    .arg(berth.get_program())
                    .args(berth.get_args());
                c
            }
            None => berth,
        };
        let berth_config = b.scratch("berth-config");
        let child = cmd
            .env("BERTH_CONFIG_DIR", &berth_config)
            .env("DOCKER_CONFIG", b.scratch("service-docker-config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn berth system service");
        let s = Service {
            child,
            sock,
            docker_config: b.scratch("docker-config"),
            berth_config,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::os::unix::net::UnixStream::connect(&s.sock).is_err() {
            assert!(Instant::now() < deadline, "the API socket never answered");
            std::thread::sleep(Duration::from_millis(50));
        }
        s
    }

    /// Sends one raw HTTP/1.0 request (no body) to the service; the status code and the
    /// whole answer (head and body).
    pub fn raw(&self, method: &str, target: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let mut c = std::os::unix::net::UnixStream::connect(&self.sock).expect("connect");
        write!(c, "{method} {target} HTTP/1.0\r\nHost: berth\r\n\r\n").expect("send");
        let mut answer = String::new();
        c.read_to_string(&mut answer).expect("read the answer");
        let status = answer
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line in {answer:?}"));
        (status, answer)
    }

    /// Runs the docker CLI against the service.
    pub fn docker(&self, args: &[&str]) -> Out {
        self.docker_env(&[], args)
    }

    /// Runs the docker CLI against the service with extra environment variables.
    pub fn docker_env(&self, env: &[(&str, &str)], args: &[&str]) -> Out {
        let o = Command::new("docker")
            .envs(env.iter().copied())
            .env("DOCKER_HOST", format!("unix://{}", self.sock.display()))
            .env("DOCKER_CONFIG", &self.docker_config)
            .env_remove("DOCKER_CONTEXT")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run the docker CLI (scripts/test installs docker.io when it is missing)");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Runs Debian's `docker-compose` (1.29, docker-py) against the service.
    pub fn compose(&self, args: &[&str]) -> Out {
        let o = Command::new("docker-compose")
            .env("DOCKER_HOST", format!("unix://{}", self.sock.display()))
            .env("DOCKER_CONFIG", &self.docker_config)
            .env_remove("DOCKER_CONTEXT")
            .env_remove("COMPOSE_PROJECT_NAME")
            .env_remove("COMPOSE_FILE")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run docker-compose (scripts/test installs it when it is missing)");
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Runs the docker CLI and asserts it succeeded; its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.docker(args);
        assert_eq!(out.code, 0, "docker {args:?} failed: {out:?}");
        out.stdout
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // Our own child, by pid.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
