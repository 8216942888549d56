//! Round trips without containers: a container's configuration written by `generate`,
//! read back by `parse` and `plan`, gives the same create options.

use super::generate::{self, ImageDefaults, Kind, Source};
use super::play::{self, PlayOptions};
use crate::engine::{ContainerConfig, MountKind, MountSpec, PortBinding, Resources};

fn web() -> Source {
    let mut config = ContainerConfig {
        name: "web_1".into(),
        image: "registry.example/web:2".into(),
        entrypoint: vec!["/bin/sh".into()],
        cmd: vec!["-c".into(), "exec httpd -f".into()],
        env: vec!["PATH=/bin".into(), "MODE=prod".into(), "EMPTY=".into()],
        working_dir: "/srv".into(),
        user: "1000:1000".into(),
        read_only: true,
        resources: Resources {
            memory: Some(128 << 20),
            nano_cpus: Some(1_500_000_000),
            pids_limit: None,
        },
        mounts: vec![
            MountSpec {
                kind: MountKind::Volume,
                source: "web_data".into(),
                destination: "/data".into(),
                read_only: false,
                options: String::new(),
            },
            MountSpec {
                kind: MountKind::Bind,
                source: "/etc/web".into(),
                destination: "/conf".into(),
                read_only: true,
                options: String::new(),
            },
        ],
        ..ContainerConfig::default()
    };
    config.security.cap_add = vec!["CAP_NET_ADMIN".into()];
    config.security.cap_drop = vec!["CAP_MKNOD".into()];
    config.net.ports = vec![PortBinding {
        host_ip: String::new(),
        host_port: 8080,
        container_port: 80,
        protocol: "tcp".into(),
    }];
    config.net.exposed_ports = vec!["80/tcp".into(), "53/udp".into()];
    config.labels.insert("tier".into(), "front".into());
    config
        .labels
        .insert("io.berth.kube.pod".into(), "old".into());
    config.restart.name = "always".into();
    config.healthcheck = Some(crate::engine::HealthConfig {
        interval: Some(std::time::Duration::from_secs(5)),
        retries: Some(2),
        ..crate::engine::HealthConfig::shell("wget -qO- http://127.0.0.1/ || exit 1")
    });
    Source {
        config,
        image: ImageDefaults {
            env: vec!["PATH=/bin".into()],
            ..ImageDefaults::default()
        },
        ..Source::default()
    }
}

fn played(yaml: &str) -> play::Plan {
    let m = play::parse(yaml).expect("parse");
    let opts = PlayOptions {
        network: "bridge".into(),
        no_new_privileges: false,
    };
    play::plan(&m, &opts).expect("plan")
}

#[test]
fn a_pod_round_trips_to_the_same_create_options() {
    let out = generate::generate(&[web()], &[], Kind::Pod, true);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let plan = played(&out.yaml);
    assert_eq!(plan.pods.len(), 1);
    let pod = &plan.pods[0];
    assert_eq!(pod.name, "web-1-pod");
    let o = &pod.containers[0].options;
    assert_eq!(o.name.as_deref(), Some("web-1-pod-web-1"));
    assert_eq!(o.image, "registry.example/web:2");
    assert_eq!(o.entrypoint.as_deref(), Some("/bin/sh"));
    assert_eq!(o.cmd, ["-c", "exec httpd -f"]);
    assert_eq!(
        o.env,
        ["MODE=prod", "EMPTY="],
        "the image's PATH is left out"
    );
    assert_eq!(o.working_dir.as_deref(), Some("/srv"));
    assert_eq!(o.user.as_deref(), Some("1000:1000"));
    assert!(o.read_only);
    assert_eq!(o.resources.memory, Some(128 << 20));
    assert_eq!(o.resources.nano_cpus, Some(1_500_000_000));
    assert_eq!(o.security.cap_add, ["CAP_NET_ADMIN"]);
    assert_eq!(o.security.cap_drop, ["CAP_MKNOD"]);
    assert_eq!(o.restart.name, "always");
    let h = o
        .healthcheck
        .as_ref()
        .expect("the probe is the healthcheck");
    assert_eq!(
        h.test,
        ["CMD-SHELL", "wget -qO- http://127.0.0.1/ || exit 1"]
    );
    assert_eq!(h.interval, Some(std::time::Duration::from_secs(5)));
    assert_eq!(
        h.timeout,
        Some(std::time::Duration::from_secs(30)),
        "Docker's default"
    );
    assert_eq!(h.retries, Some(2));
    // The Pod's hostPort and the Service's port are one binding.
    assert_eq!(o.ports.len(), 1, "{:?}", o.ports);
    assert_eq!(
        (o.ports[0].host_port, o.ports[0].container_port),
        (8080, 80)
    );
    assert_eq!(o.expose, ["53/udp"]);
    let kinds: Vec<_> = o
        .mounts
        .iter()
        .map(|m| {
            (
                m.kind,
                m.source.as_str(),
                m.destination.as_str(),
                m.read_only,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (MountKind::Volume, "web_data", "/data", false),
            (MountKind::Bind, "/etc/web", "/conf", true),
        ]
    );
    assert_eq!(
        plan.volumes[0].name, "web_data",
        "the annotation keeps the name"
    );
    assert!(out.yaml.contains("name: web-data\n"), "{}", out.yaml);
    assert_eq!(o.labels.get("tier").map(String::as_str), Some("front"));
    assert_eq!(
        o.labels.get("io.berth.kube.pod").map(String::as_str),
        Some("web-1-pod")
    );
}

#[test]
fn a_deployment_has_its_replicas_and_the_service_publishes_on_the_first() {
    let out = generate::generate(&[web()], &[], Kind::Deployment { replicas: 3 }, true);
    let plan = played(&out.yaml);
    let names: Vec<_> = plan.pods.iter().map(|p| p.name.as_str()).collect();
    let deployment = "web-1-pod-deployment";
    assert_eq!(
        names,
        [
            format!("{deployment}-pod"),
            format!("{deployment}-pod-1"),
            format!("{deployment}-pod-2"),
        ]
    );
    let published: Vec<usize> = plan
        .pods
        .iter()
        .map(|p| p.containers[0].options.ports.len())
        .collect();
    assert_eq!(published, [1, 0, 0]);
    assert!(
        plan.warnings.iter().any(|w| w.contains("selects 3 pods")),
        "{:?}",
        plan.warnings
    );
}

#[test]
fn http_probes_are_a_warning_and_exec_probes_take_kubernetes_defaults() {
    let yaml = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: i\n    livenessProbe:\n      httpGet: {path: /, port: 80}\n  - name: b\n    image: i\n    livenessProbe:\n      exec: {command: [cat, /ok]}\n";
    let plan = played(yaml);
    assert!(plan.pods[0].containers[0].options.healthcheck.is_none());
    assert!(
        plan.warnings
            .iter()
            .any(|w| w.contains("spec.containers[0].livenessProbe: httpGet probes are not run")),
        "{:?}",
        plan.warnings
    );
    let h = plan.pods[0].containers[1]
        .options
        .healthcheck
        .clone()
        .expect("exec probe");
    assert_eq!(h.test, ["CMD", "cat", "/ok"]);
    assert_eq!(h.interval, Some(std::time::Duration::from_secs(10)));
    assert_eq!(h.timeout, Some(std::time::Duration::from_secs(1)));
    assert_eq!(h.retries, Some(3));
}

#[test]
fn unsupported_sources_are_errors_naming_the_field() {
    let yaml = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n    env:\n    - name: S\n      valueFrom:\n        secretKeyRef: {name: s, key: k}\n";
    let m = play::parse(yaml).expect("parse");
    let e = play::plan(&m, &PlayOptions::default()).expect_err("secret");
    assert_eq!(
        e.to_string(),
        "document 1 (Pod p): spec.containers[0].env[0].valueFrom: only configMapKeyRef is supported (not secretKeyRef or fieldRef)"
    );
    let yaml = "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: i\n  volumes:\n  - name: n\n    nfs: {server: x, path: /}\n";
    let m = play::parse(yaml).expect("parse");
    let e = play::plan(&m, &PlayOptions::default()).expect_err("nfs");
    assert!(
        e.to_string().starts_with(
            "document 1 (Pod p): spec.volumes[0]: volume 'n' has no source berth supports"
        ),
        "{e}"
    );
}
