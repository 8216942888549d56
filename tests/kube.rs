//! `berth kube generate`, `kube play` and `kube down` (root: real containers). What
//! publishes ports runs in a network namespace of its own; the image comes from a registry
//! on loopback; the YAML is checked against Kubernetes' schemas offline with PyPI's
//! `kubernetes-validate` (installed by `scripts/test`).

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;
#[path = "common/registry_harness.rs"]
mod registry_harness;

use harness::{Berth, wait_until};
use netns::NetNs;
use registry_harness::Registry;
use serde_yaml_ng::Value;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// The documents of a YAML stream.
fn documents(yaml: &str) -> Vec<Value> {
    use serde::Deserialize;
    serde_yaml_ng::Deserializer::from_str(yaml)
        .map(|d| Value::deserialize(d).expect("a YAML document"))
        .collect()
}

fn doc<'a>(docs: &'a [Value], kind: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["kind"].as_str() == Some(kind))
        .unwrap_or_else(|| panic!("no {kind} document in {docs:?}"))
}

/// Runs `kubernetes-validate --strict FILE` (unknown fields are errors too); the test fails
/// when the tool is missing.
fn validate(file: &Path) {
    let tool = ["/usr/local/bin/kubernetes-validate", "kubernetes-validate"]
        .into_iter()
        .find(|t| {
            Command::new(t)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .expect("kubernetes-validate is missing: pip install --break-system-packages kubernetes-validate (scripts/test does)");
    let out = Command::new(tool)
        .arg("--strict")
        .arg(file)
        .output()
        .expect("run kubernetes-validate");
    assert!(
        out.status.success(),
        "{} does not validate: {}{}\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
}

fn get(ns: &NetNs, port: u16) -> String {
    let url = format!("http://127.0.0.1:{port}/");
    ns.host(&["timeout", "5", "busybox", "wget", "-qO-", &url])
        .stdout
}

/// busybox pushed to a registry on loopback and pulled back from it: its reference.
fn image_from_registry(b: &Berth, reg: &Registry) -> String {
    let image = format!("{}/kube/busybox:1", reg.host);
    b.ok(&["tag", "busybox", &image]);
    b.ok(&["push", &image]);
    b.ok(&["rmi", &image]);
    b.ok(&["pull", &image]);
    image
}

#[test]
fn generate_describes_the_container_and_play_serves_it_again() {
    let ns = NetNs::new();
    let b = Berth::new();
    b.docker_defaults();
    let reg = Registry::plain();
    let image = image_from_registry(&b, &reg);
    let site = b.scratch("site");
    std::fs::write(site.join("index.html"), "kube-round-trip\n").expect("page");
    let site = site.to_str().expect("utf-8 path");
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "web",
            "-e",
            "GREETING=hello",
            "-p",
            "8088:80",
            "-v",
            "webdata:/data",
            "-v",
            &format!("{site}:/www:ro"),
            "--memory",
            "64m",
            "--health-cmd",
            "wget -qO- http://127.0.0.1/ || exit 1",
            "--health-interval",
            "5s",
            &image,
            "httpd",
            "-f",
            "-p",
            "80",
            "-h",
            "/www",
        ],
    );
    wait_until("the page", Duration::from_secs(10), &mut || {
        get(&ns, 8088).contains("kube-round-trip")
    });

    let yaml = ns.ok(&b, &["kube", "generate", "--service", "web"]);
    let docs = documents(&yaml);
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    assert_eq!(kinds, ["PersistentVolumeClaim", "Pod", "Service"], "{yaml}");
    assert_eq!(
        doc(&docs, "PersistentVolumeClaim")["metadata"]["name"],
        "webdata"
    );
    let pod = doc(&docs, "Pod");
    assert_eq!(pod["metadata"]["name"], "web-pod");
    let c = &pod["spec"]["containers"][0];
    assert_eq!(c["name"], "web");
    assert_eq!(c["image"].as_str(), Some(image.as_str()));
    assert_eq!(
        c["args"],
        serde_yaml_ng::to_value(["httpd", "-f", "-p", "80", "-h", "/www"]).expect("args")
    );
    let env = c["env"].as_sequence().expect("env");
    assert_eq!(env.len(), 1, "only what the image does not set: {yaml}");
    assert_eq!(
        (&env[0]["name"], &env[0]["value"]),
        (&"GREETING".into(), &"hello".into())
    );
    assert_eq!(c["ports"][0]["containerPort"], 80);
    assert_eq!(c["ports"][0]["hostPort"], 8088);
    assert_eq!(c["resources"]["limits"]["memory"], "64Mi");
    let probe = &c["livenessProbe"];
    assert_eq!(
        probe["exec"]["command"],
        serde_yaml_ng::to_value(["/bin/sh", "-c", "wget -qO- http://127.0.0.1/ || exit 1"])
            .expect("probe")
    );
    assert_eq!(probe["periodSeconds"], 5);
    let mounts = c["volumeMounts"].as_sequence().expect("mounts");
    let volumes = pod["spec"]["volumes"].as_sequence().expect("volumes");
    let volume_at = |path: &str| {
        let m = mounts
            .iter()
            .find(|m| m["mountPath"].as_str() == Some(path))
            .unwrap_or_else(|| panic!("no mount at {path}: {yaml}"));
        let v = volumes
            .iter()
            .find(|v| v["name"] == m["name"])
            .unwrap_or_else(|| panic!("no volume for the mount at {path}: {yaml}"));
        (m.clone(), v.clone())
    };
    let (_, data) = volume_at("/data");
    assert_eq!(data["persistentVolumeClaim"]["claimName"], "webdata");
    let (www_mount, www) = volume_at("/www");
    assert_eq!(www_mount["readOnly"], true);
    assert_eq!(www["hostPath"]["path"].as_str(), Some(site));
    assert_eq!(www["hostPath"]["type"], "Directory");
    assert!(
        yaml.contains("# hostPath is host-specific"),
        "the bind carries a comment: {yaml}"
    );
    let svc = doc(&docs, "Service");
    assert_eq!(svc["spec"]["type"], "NodePort");
    assert_eq!(svc["spec"]["ports"][0]["port"], 8088);
    assert_eq!(svc["spec"]["ports"][0]["targetPort"], 80);
    assert_eq!(svc["spec"]["selector"]["app"], "web-pod");
    let file = b.scratch("out").join("web.yaml");
    std::fs::write(&file, &yaml).expect("write the YAML");
    validate(&file);

    // A Deployment of the same container validates too, without host ports.
    let deploy = ns.ok(
        &b,
        &[
            "kube",
            "generate",
            "--type",
            "deployment",
            "--replicas",
            "3",
            "web",
        ],
    );
    let ddocs = documents(&deploy);
    let d = doc(&ddocs, "Deployment");
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["ports"][0]["hostPort"],
        Value::Null
    );
    let dfile = b.scratch("out").join("deploy.yaml");
    std::fs::write(&dfile, &deploy).expect("write the YAML");
    validate(&dfile);

    // Played back, the pod serves on its published port again.
    ns.ok(&b, &["rm", "-f", "web"]);
    assert_eq!(get(&ns, 8088), "", "nothing answers once web is gone");
    let file = file.to_str().expect("utf-8 path");
    let played = ns.ok(&b, &["kube", "play", file]);
    assert!(played.contains("web-pod"), "{played}");
    wait_until(
        "the played pod's page",
        Duration::from_secs(10),
        &mut || get(&ns, 8088).contains("kube-round-trip"),
    );
    let names = ns.ok(&b, &["ps", "--format", "{{.Names}} {{.Ports}}"]);
    assert_eq!(names.trim(), "web-pod-web 0.0.0.0:8088->80/tcp", "{names}");
    let health = ns.ok(
        &b,
        &[
            "inspect",
            "web-pod-web",
            "--format",
            "{{json .Config.Healthcheck.Test}}",
        ],
    );
    assert_eq!(
        health.trim(),
        r#"["CMD-SHELL","wget -qO- http://127.0.0.1/ || exit 1"]"#,
        "the probe is the healthcheck again"
    );

    let down = ns.ok(&b, &["kube", "down", file]);
    assert!(down.contains("Pods removed:\nweb-pod"), "{down}");
    assert_eq!(ns.ok(&b, &["ps", "-a", "-q"]), "", "no container left");
    assert_eq!(get(&ns, 8088), "", "nothing answers after kube down");
    // The claim's volume stays unless --force; the volume was not made by play, so even
    // --force keeps it (only what play made goes).
    ns.ok(&b, &["kube", "down", "--force", file]);
    assert!(ns.ok(&b, &["volume", "ls", "-q"]).contains("webdata"));
}

const CONFIG_MAP_POD: &str = r#"
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  greeting: hello-from-configmap
  app.conf: "level=debug\n"
---
apiVersion: v1
kind: Secret
metadata:
  name: ignored
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: kube-claim
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: cfg
  labels:
    app: cfg
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: [sh, -c]
    args: ["echo $GREETING $X_greeting > /state/out; exec sleep 600"]
    env:
    - name: GREETING
      valueFrom:
        configMapKeyRef: {name: settings, key: greeting}
    envFrom:
    - configMapRef: {name: settings}
      prefix: X_
    volumeMounts:
    - name: conf
      mountPath: /etc/app
    - name: state
      mountPath: /state
  volumes:
  - name: conf
    configMap:
      name: settings
  - name: state
    persistentVolumeClaim:
      claimName: kube-claim
"#;

#[test]
fn play_takes_config_maps_and_claims_and_down_removes_what_it_made() {
    let b = Berth::new();
    let file = b.scratch("in").join("cfg.yaml");
    std::fs::write(&file, CONFIG_MAP_POD).expect("write");
    let file = file.to_str().expect("utf-8 path");
    let out = b.run(&["kube", "play", file]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("kind Secret is not supported"),
        "a warning names the kind: {out:?}"
    );
    let id = b.id_of("cfg-main");
    let conf = b.ok(&["exec", "cfg-main", "cat", "/etc/app/app.conf"]);
    assert_eq!(conf, "level=debug\n");
    wait_until("the pod's output", Duration::from_secs(10), &mut || {
        b.run(&["exec", "cfg-main", "cat", "/state/out"]).stdout
            == "hello-from-configmap hello-from-configmap\n"
    });
    let labels = b.ok(&["inspect", "cfg-main", "--format", "{{json .Config.Labels}}"]);
    assert!(
        labels.contains(r#""io.berth.kube.owner":"cfg""#),
        "{labels}"
    );
    let volumes = b.ok(&["volume", "ls", "-q"]);
    assert!(
        volumes.contains("kube-claim") && volumes.contains("cfg-conf"),
        "{volumes}"
    );

    // Something not of the file stays.
    b.run_detached(&["--name", "bystander", "busybox", "sleep", "600"]);
    let again = b.run(&["kube", "play", file]);
    assert_ne!(again.code, 0, "the names are taken: {again:?}");
    assert!(again.stderr.contains("cfg-main"), "{again:?}");

    let down = b.ok(&["kube", "down", file]);
    assert!(down.contains("Pods removed:\ncfg\n"), "{down}");
    let left = b.ok(&["ps", "-a", "--format", "{{.Names}}"]);
    assert_eq!(left.trim(), "bystander");
    b.assert_no_leftovers(&id);
    let volumes = b.ok(&["volume", "ls", "-q"]);
    assert!(
        volumes.contains("kube-claim"),
        "the claim stays without --force"
    );
    assert!(
        !volumes.contains("cfg-conf"),
        "the ConfigMap's volume goes: {volumes}"
    );
    let forced = b.ok(&["kube", "down", "--force", file]);
    assert!(forced.contains("Volumes removed:\nkube-claim"), "{forced}");
    assert!(!b.ok(&["volume", "ls", "-q"]).contains("kube-claim"));
    b.ok(&["rm", "-f", "bystander"]);
}

#[test]
fn bad_values_name_the_document_and_the_field_and_make_nothing() {
    let b = Berth::new();
    let dir = b.scratch("bad");
    let cases = [
        (
            "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    ports:\n    - containerPort: 99999\n",
            "document 1 (Pod p): spec.containers[0].ports[0].containerPort:",
        ),
        (
            "kind: ConfigMap\nmetadata: {name: m}\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    env:\n    - name: A\n      valueFrom:\n        configMapKeyRef: {name: m, key: nope}\n",
            "document 2 (Pod p): spec.containers[0].env[0].valueFrom.configMapKeyRef.key: ConfigMap 'm' has no key 'nope'",
        ),
        (
            "kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: ok\n    image: busybox\n    command: [sleep, '60']\n  - name: c\n    image: busybox\n    resources:\n      limits: {memory: lots}\n",
            "document 1 (Pod p): spec.containers[1].resources.limits.memory: 'lots' is not a quantity",
        ),
    ];
    for (i, (yaml, message)) in cases.iter().enumerate() {
        let file = dir.join(format!("{i}.yaml"));
        std::fs::write(&file, yaml).expect("write");
        let out = b.run(&["kube", "play", file.to_str().expect("utf-8")]);
        assert_eq!(out.code, 125, "{out:?}");
        assert!(out.stderr.contains(message), "{message} in {out:?}");
        assert_eq!(out.stderr.lines().count(), 1, "one line: {out:?}");
        assert_eq!(b.ok(&["ps", "-a", "-q"]), "", "nothing made: {out:?}");
    }
    let out = b.run(&["kube", "generate", "--replicas", "2", "nope"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr
            .contains("--replicas can only be set with --type=deployment")
    );
}
