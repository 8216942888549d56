//! The keys berth understands, level by level: anything else in a compose file is reported
//! (one warning line naming the file and the key) and ignored, as the brief of
//! `berth compose` wants: a file written for Docker Compose still runs what berth can run.

use super::locate::Step;
use serde_yaml_ng::Value;

const TOP: &[&str] = &["version", "name", "services", "networks", "volumes"];
const SERVICE: &[&str] = &[
    "image",
    "build",
    "command",
    "entrypoint",
    "environment",
    "env_file",
    "ports",
    "expose",
    "volumes",
    "networks",
    "depends_on",
    "healthcheck",
    "restart",
    "labels",
    "working_dir",
    "user",
    "hostname",
    "container_name",
    "tty",
    "stdin_open",
    "stop_grace_period",
];
const BUILD: &[&str] = &["context", "dockerfile", "args", "target", "labels"];
const PORT: &[&str] = &["target", "published", "host_ip", "protocol", "mode", "name"];
const MOUNT: &[&str] = &[
    "type",
    "source",
    "target",
    "read_only",
    "bind",
    "volume",
    "tmpfs",
];
const HEALTH: &[&str] = &[
    "test",
    "interval",
    "timeout",
    "retries",
    "start_period",
    "start_interval",
    "disable",
];
const DEPENDENCY: &[&str] = &["condition", "required", "restart"];
const SERVICE_NETWORK: &[&str] = &["aliases", "ipv4_address"];
const RESOURCE: &[&str] = &["external", "name", "driver", "labels", "internal"];

/// The paths of every key berth does not know (extension keys `x-*` are allowed).
pub fn unknown_keys(tree: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    check(tree, TOP, &[], &mut out);
    let Some(top) = tree.as_mapping() else {
        return out;
    };
    let key = |k: &str| Step::Key(k.to_string());
    for section in ["networks", "volumes"] {
        for (name, v) in entries(top.get(section)) {
            check(v, RESOURCE, &[key(section), key(&name)], &mut out);
        }
    }
    for (name, svc) in entries(top.get("services")) {
        let p = [key("services"), key(&name)];
        check(svc, SERVICE, &p, &mut out);
        let Some(m) = svc.as_mapping() else { continue };
        for (k, known) in [("build", BUILD), ("healthcheck", HEALTH)] {
            if let Some(v) = m.get(k) {
                check(v, known, &[p.to_vec(), vec![key(k)]].concat(), &mut out);
            }
        }
        for (k, known) in [("ports", PORT), ("volumes", MOUNT)] {
            for (i, item) in m
                .get(k)
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = [p.to_vec(), vec![key(k), Step::Index(i)]].concat();
                check(item, known, &at, &mut out);
            }
        }
        for (k, known) in [("depends_on", DEPENDENCY), ("networks", SERVICE_NETWORK)] {
            for (name, v) in entries(m.get(k)) {
                let at = [p.to_vec(), vec![key(k), key(&name)]].concat();
                check(v, known, &at, &mut out);
            }
        }
    }
    out
}

/// The entries of a mapping (none when `v` is not one).
fn entries(v: Option<&Value>) -> Vec<(String, &Value)> {
    v.and_then(Value::as_mapping)
        .map(|m| m.iter().map(|(k, v)| (key_text(k), v)).collect())
        .unwrap_or_default()
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Records the keys of mapping `v` that are not in `known` (nor `x-*`).
fn check(v: &Value, known: &[&str], path: &[Step], out: &mut Vec<Vec<Step>>) {
    let Some(m) = v.as_mapping() else { return };
    for k in m.keys() {
        let k = key_text(k);
        if !known.contains(&k.as_str()) && !k.starts_with("x-") {
            let mut p = path.to_vec();
            p.push(Step::Key(k));
            out.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::locate::path_text;

    #[test]
    fn unknown_keys_are_found_at_every_level() {
        let tree: Value = serde_yaml_ng::from_str(
            "x-common: 1\nfoo: 1\nservices:\n  web:\n    image: a\n    deploy: {}\n    x-ok: 1\n    ports:\n      - target: 80\n        bogus: 1\n    healthcheck:\n      test: [CMD, true]\n      nope: 2\n    depends_on:\n      db:\n        condition: service_started\n        when: now\nvolumes:\n  data:\n    driver_opts: {}\n",
        )
        .expect("yaml");
        let mut found: Vec<String> = unknown_keys(&tree).iter().map(|p| path_text(p)).collect();
        found.sort();
        assert_eq!(
            found,
            vec![
                "foo",
                "services.web.depends_on.db.when",
                "services.web.deploy",
                "services.web.healthcheck.nope",
                "services.web.ports[0].bogus",
                "volumes.data.driver_opts",
            ]
        );
    }
}
