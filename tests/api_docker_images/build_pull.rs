//! `docker build --pull` pulls a base image again although one by that name is here, and
//! `--platform` other than this machine's is refused by both CLIs, before anything runs.

use super::*;

/// Builds `dockerfile` in a fresh context through the docker CLI (legacy builder).
fn docker_build(
    b: &Berth,
    s: &Service,
    name: &str,
    dockerfile: &str,
    extra: &[&str],
) -> harness::Out {
    let ctx = b.scratch(name);
    std::fs::write(ctx.join("Dockerfile"), dockerfile).expect("Dockerfile");
    let mut args = vec!["build", "--network", "none", "-t", name];
    args.extend_from_slice(extra);
    args.push(ctx.to_str().expect("utf-8"));
    s.docker_env(LEGACY, &args)
}

#[test]
fn build_pull_takes_the_registry_base_and_other_platforms_are_refused() {
    let b = Berth::new();
    let s = Service::start(&b);
    let reg = Registry::plain();
    let base = format!("{}/api/base:latest", reg.host);

    // Two bases that differ in one file; the registry gets `two` under the name, while
    // the local image by that name is `one`.
    for which in ["one", "two"] {
        let out = docker_build(
            &b,
            &s,
            which,
            &format!("FROM busybox\nRUN echo {which} > /which\n"),
            &[],
        );
        assert_eq!(out.code, 0, "{out:?}");
    }
    s.ok(&["tag", "two", &base]);
    s.ok(&["push", &base]);
    s.ok(&["tag", "one", &base]);

    let on_top = format!("FROM {base}\nCMD [\"cat\", \"/which\"]\n");
    let run = |image: &str| s.ok(&["run", "--rm", "--network", "none", image]);
    let out = docker_build(&b, &s, "local-base", &on_top, &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        run("local-base"),
        "one\n",
        "without --pull the local base is used"
    );

    let out = docker_build(&b, &s, "pulled-base", &on_top, &["--pull"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains(&format!("Pulling {base}")), "{out:?}");
    assert_eq!(
        run("pulled-base"),
        "two\n",
        "--pull takes the registry's base"
    );
    let base_file = s.ok(&["run", "--rm", "--network", "none", &base, "cat", "/which"]);
    assert_eq!(base_file, "two\n", "and the local name now points at it");

    // Another platform: refused by the API (400) and by berth's CLI, nothing built.
    let images_before = s.ok(&["images", "-q"]);
    let out = docker_build(&b, &s, "arm", &on_top, &["--platform", "linux/arm64"]);
    assert_ne!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("unsupported platform 'linux/arm64'"),
        "{out:?}"
    );
    let ctx = b.scratch("arm");
    let own = b.run(&[
        "build",
        "--platform",
        "linux/arm64",
        "-t",
        "arm",
        ctx.to_str().expect("utf-8"),
    ]);
    assert_ne!(own.code, 0, "{own:?}");
    assert!(
        own.stderr.contains("unsupported platform 'linux/arm64'"),
        "{own:?}"
    );
    assert_eq!(s.ok(&["images", "-q"]), images_before, "nothing was built");
}
