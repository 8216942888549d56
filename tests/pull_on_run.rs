//! `run` and `create` pull an image they do not have, as Docker does (`--pull missing`, the
//! default; `always`; `never`), from a real registry on loopback. The pull's progress goes
//! to stderr, so stdout stays the container's output (or its id); a failed pull exits 125
//! with one message and leaves no container and no image behind. Runs as root.

#[path = "common/container_harness.rs"]
mod container_harness;
#[path = "common/registry_harness.rs"]
mod registry_harness;

use container_harness::Berth;
use registry_harness::Registry;
use std::path::Path;

/// A root with busybox that publishes images to `reg`.
struct Publisher {
    berth: Berth,
}

impl Publisher {
    fn new() -> Publisher {
        Publisher {
            berth: Berth::new(),
        }
    }

    /// Imports busybox with `ENV VERSION=<version>` and pushes it as `reference`.
    fn push(&self, reference: &str, version: &str) {
        let tar = self.berth.scratch("import").join("busybox.tar");
        std::fs::write(&tar, container_harness::busybox_tar()).expect("write tar");
        self.berth.ok(&[
            "import",
            tar.to_str().expect("utf-8"),
            reference,
            "-c",
            &format!("ENV VERSION={version}"),
        ]);
        self.berth.ok(&["push", reference]);
    }
}

/// The references `images/index.json` holds (none when it does not exist yet).
fn references(root: &Path) -> Vec<String> {
    let Ok(raw) = std::fs::read(root.join("images/index.json")) else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_slice(&raw).expect("index json");
    v["references"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Entries of a directory of the state root (none when it does not exist).
fn entries(root: &Path, dir: &str) -> Vec<String> {
    std::fs::read_dir(root.join(dir))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Asserts the root holds no container, no image, no blob and no layer.
fn assert_nothing_stored(b: &Berth) {
    let root = b.root();
    assert_eq!(b.container_ids(), Vec::<String>::new(), "no container");
    assert_eq!(references(&root), Vec::<String>::new(), "no tag");
    assert_eq!(
        entries(&root, "blobs/sha256"),
        Vec::<String>::new(),
        "no blob"
    );
    assert_eq!(entries(&root, "layers"), Vec::<String>::new(), "no layer");
    assert_eq!(b.ok(&["images", "-q"]), "", "no image listed");
}

#[test]
fn run_of_a_missing_image_pulls_it_then_runs_it() {
    let reg = Registry::plain();
    let image = format!("{}/busybox:v1", reg.host);
    Publisher::new().push(&image, "v1");

    let b = Berth::empty();
    let out = b.run(&[
        "run",
        "--rm",
        "--network",
        "none",
        &image,
        "sh",
        "-c",
        "echo version $VERSION",
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout, "version v1\n",
        "only the container's output on stdout"
    );
    for line in [
        format!("Unable to find image '{image}' locally"),
        "v1: Pulling from busybox".to_string(),
        "Pull complete".to_string(),
        "Digest: sha256:".to_string(),
        format!("Status: Downloaded newer image for {image}"),
    ] {
        assert!(out.stderr.contains(&line), "no '{line}' in {}", out.stderr);
    }
    assert_eq!(references(&b.root()), vec![image.clone()]);

    // Now it is there: no pull, nothing on stderr.
    let again = b.run(&["run", "--rm", "--network", "none", &image, "echo", "hi"]);
    assert_eq!(again.code, 0, "{again:?}");
    assert_eq!(again.stdout, "hi\n");
    assert_eq!(again.stderr, "", "a present image is not pulled");
}

#[test]
fn create_and_run_d_of_a_missing_image_print_only_the_id_on_stdout() {
    let reg = Registry::plain();
    let image = format!("{}/team/busybox:latest", reg.host);
    let short = format!("{}/team/busybox", reg.host);
    Publisher::new().push(&image, "v1");

    let b = Berth::empty();
    let out = b.run(&["create", "--network", "none", &short, "echo", "made"]);
    assert_eq!(out.code, 0, "{out:?}");
    let id = out.stdout.trim();
    assert_eq!(
        id.len(),
        64,
        "create printed the id alone: {:?}",
        out.stdout
    );
    assert!(
        out.stderr
            .contains(&format!("Unable to find image '{image}' locally")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("latest: Pulling from team/busybox"),
        "{}",
        out.stderr
    );
    assert_eq!(b.status(id), "created");
    assert_eq!(b.config(id)["image"], short.as_str());
    let started = b.ok(&["start", "-a", id]);
    assert_eq!(started, "made\n");

    // `-q` pulls silently; `run -d` prints the id alone.
    let c = Berth::empty();
    let out = c.run(&["run", "-d", "-q", "--network", "none", &short, "true"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.trim().len(), 64, "{:?}", out.stdout);
    assert_eq!(out.stderr, "", "-q suppresses the pull output");
    assert_eq!(references(&c.root()), [image]);
}

#[test]
fn pull_never_fails_on_a_missing_image_and_creates_nothing() {
    let reg = Registry::plain();
    let image = format!("{}/busybox:v1", reg.host);
    Publisher::new().push(&image, "v1");

    let b = Berth::empty();
    for verb in ["run", "create"] {
        let out = b.run(&[verb, "--pull", "never", "--network", "none", &image, "true"]);
        assert_eq!(out.code, 125, "{verb}: {out:?}");
        assert_eq!(out.stdout, "", "{verb}");
        assert!(
            out.stderr.contains(&format!("no such image: '{image}'")),
            "{verb}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("Unable to find"), "{}", out.stderr);
    }
    assert_nothing_stored(&b);

    let bad = b.run(&["run", "--pull", "sometimes", &image]);
    assert_eq!(bad.code, 125, "{bad:?}");
    assert!(
        bad.stderr.contains("invalid pull option: 'sometimes'"),
        "{}",
        bad.stderr
    );
}

#[test]
fn pull_always_runs_the_image_the_tag_names_now() {
    let reg = Registry::plain();
    let image = format!("{}/busybox:latest", reg.host);
    let publisher = Publisher::new();
    publisher.push(&image, "v1");

    let b = Berth::empty();
    let echo = |extra: &[&str]| {
        let mut args = vec!["run", "--rm", "--network", "none"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[&image, "sh", "-c", "echo $VERSION"]);
        b.run(&args)
    };
    assert_eq!(echo(&[]).stdout, "v1\n");

    // The tag moves to a new image in the registry.
    publisher.push(&image, "v2");
    let missing = echo(&[]);
    assert_eq!(
        missing.stdout, "v1\n",
        "--pull missing keeps the local image"
    );
    assert_eq!(missing.stderr, "");

    let always = echo(&["--pull", "always"]);
    assert_eq!(always.code, 0, "{always:?}");
    assert_eq!(always.stdout, "v2\n", "--pull always runs the new image");
    assert!(
        !always.stderr.contains("Unable to find"),
        "{}",
        always.stderr
    );
    assert!(
        always
            .stderr
            .contains(&format!("Status: Downloaded newer image for {image}")),
        "{}",
        always.stderr
    );
    let again = echo(&["--pull", "always"]);
    assert_eq!(again.stdout, "v2\n");
    assert!(
        again
            .stderr
            .contains(&format!("Status: Image is up to date for {image}")),
        "{}",
        again.stderr
    );
}

#[test]
fn a_failed_pull_exits_125_with_one_message_and_leaves_nothing() {
    let reg = Registry::plain();
    let unused = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let dead = format!("127.0.0.1:{}", unused.local_addr().expect("addr").port());
    drop(unused);
    let cases = [
        (format!("{}/nothing:latest", reg.host), "not found"),
        (format!("{dead}/busybox:latest"), "cannot reach registry"),
        ("Bad/Name".to_string(), "invalid reference format"),
    ];
    let b = Berth::empty();
    for (image, why) in &cases {
        for verb in ["run", "create"] {
            let out = b.run(&[verb, "--network", "none", image, "true"]);
            assert_eq!(out.code, 125, "{verb} {image}: {out:?}");
            assert_eq!(out.stdout, "", "{verb} {image}");
            let errors: Vec<&str> = out
                .stderr
                .lines()
                .filter(|l| l.starts_with("berth:"))
                .collect();
            assert_eq!(errors.len(), 1, "{verb} {image}: {}", out.stderr);
            assert!(errors[0].contains(why), "{verb} {image}: {}", out.stderr);
            assert!(!out.stderr.contains("Pulling from"), "{}", out.stderr);
        }
    }
    assert_nothing_stored(&b);
    assert_eq!(
        entries(&b.root(), "tmp"),
        Vec::<String>::new(),
        "no partial file"
    );
}

#[test]
fn a_pull_that_fails_after_resolving_leaves_no_container_and_no_layer() {
    let reg = Registry::plain();
    let image = format!("{}/lies/busybox:v1", reg.host);
    let publisher = Publisher::new();
    publisher.push(&image, "v1");
    // The layer was pushed uncompressed: its blob digest is its diff id. Flip bytes in the
    // registry's copy, keeping the size, so the download fails its digest check.
    let inspect = publisher.berth.ok(&[
        "image",
        "inspect",
        "--format",
        "{{index .RootFS.Layers 0}}",
        &image,
    ]);
    let file = reg.blob_file(inspect.trim());
    let mut data = std::fs::read(&file).expect("registry blob");
    let mid = data.len() / 2;
    data[mid] ^= 0xff;
    std::fs::write(&file, data).expect("tamper");

    let b = Berth::empty();
    let out = b.run(&["run", "--network", "none", &image, "true"]);
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains("v1: Pulling from lies/busybox"),
        "{}",
        out.stderr
    );
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("berth:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(errors[0].contains("digest mismatch"), "{}", out.stderr);
    assert_nothing_stored(&b);
    assert_eq!(
        entries(&b.root(), "tmp"),
        Vec::<String>::new(),
        "a bad download is not kept"
    );
}

/// On a host without CA certificates (a bare Debian without `ca-certificates`), a pull is
/// one clear error with exit 125, not a panic of the HTTP client: berth runs in a mount
/// namespace of its own where /etc/ssl is an empty tmpfs.
#[test]
fn a_host_without_ca_certificates_gets_a_clear_error() {
    let b = Berth::new();
    let berth = b.cmd(&[]).get_program().to_owned();
    let args: Vec<String> = b
        .cmd(&["run", "--network", "none", "127.0.0.1:1/nowhere:1"])
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let out = std::process::Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(r#"mount -t tmpfs none /etc/ssl && exec "$0" "$@""#)
        .arg(&berth)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run unshare");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(125), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("cannot set up the registry client") && stderr.contains("ca-certificates"),
        "{stderr}"
    );
    assert_eq!(b.ok(&["ps", "-aq"]), "");
}
