//! `berth compose` end to end (root only; each test in a network namespace of its own with
//! its own state root): a stack with two services behind one alias, a client, a published
//! port answered on the namespace's loopback and a named volume comes up, shows in
//! `compose ps`, streams `compose logs -f`, is kept or recreated by `up` as its file
//! changes, and `compose down` (`-v`) leaves no container, network (or volume).

#[path = "../common/container_harness.rs"]
mod harness;
mod lifecycle;
#[path = "../common/netns.rs"]
mod netns;
mod stack;
#[path = "../common/tmux.rs"]
mod tmux;

use harness::{Berth, LineReader, wait_until};
use netns::NetNs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn web(text: &str) -> String {
    format!(
        "[\"sh\", \"-c\", \"mkdir -p /www && echo {text} > /www/index.html && exec httpd -f -p 80 -h /www\"]"
    )
}

/// The stack: web1 and web2 behind the alias `web` (web2 published on 127.0.0.1:18080),
/// a db writing to the named volume `data`, a client that asks `web`.
fn stack(client_says: &str) -> String {
    format!(
        r#"services:
  web1:
    image: busybox
    command: {w1}
    networks:
      default:
        aliases: [web]
  web2:
    image: busybox
    command: {w2}
    networks:
      default:
        aliases: [web]
    ports:
      - "127.0.0.1:18080:80"
  db:
    image: busybox
    command: ["sh", "-c", "echo stored > /data/state; i=0; while true; do echo tick $$i; i=$$((i+1)); sleep 0.2; done"]
    volumes:
      - data:/data
  client:
    image: busybox
    command: ["sh", "-c", "echo {client_says}; exec sleep 300"]
    depends_on:
      - web1
      - web2
volumes:
  data:
"#,
        w1 = web("web1"),
        w2 = web("web2"),
    )
}

fn write(dir: &Path, yaml: &str) -> PathBuf {
    let f = dir.join("compose.yaml");
    std::fs::write(&f, yaml).expect("write compose.yaml");
    f
}

/// `berth compose -f FILE -p PROJECT ARGS...` in the namespace.
fn compose(ns: &NetNs, b: &Berth, file: &Path, project: &str, args: &[&str]) -> harness::Out {
    let mut all = vec![
        "compose",
        "-f",
        file.to_str().expect("utf-8"),
        "-p",
        project,
    ];
    all.extend_from_slice(args);
    ns.berth(b, &all)
}

fn compose_ok(ns: &NetNs, b: &Berth, file: &Path, project: &str, args: &[&str]) -> harness::Out {
    let o = compose(ns, b, file, project, args);
    assert_eq!(o.code, 0, "compose {args:?} failed: {o:?}");
    o
}

/// Starts `berth compose ... ARGS` in the namespace with piped output.
fn spawn_compose(ns: &NetNs, b: &Berth, file: &Path, project: &str, args: &[&str]) -> Child {
    let mut all = vec![
        "compose",
        "-f",
        file.to_str().expect("utf-8"),
        "-p",
        project,
    ];
    all.extend_from_slice(args);
    let c = b.cmd(&all);
    Command::new("nsenter")
        .arg(format!("--net={}", ns.path().display()))
        .arg(c.get_program())
        .args(c.get_args())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn berth compose")
}

fn get(ns: &NetNs, port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}/");
    ns.host(&["timeout", "5", "busybox", "wget", "-qO-", &url])
        .stdout
}

fn ip_of(ns: &NetNs, b: &Berth, name: &str, network: &str) -> String {
    let f = format!("{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}");
    ns.ok(b, &["inspect", name, "--format", &f])
        .trim()
        .to_string()
}
