//! Refusals: clients without a certificate the CA signed fail at the handshake; tcp://
//! without TLS, or with files that cannot serve, is refused and nothing listens.

use super::*;

#[test]
fn clients_without_a_certificate_of_the_ca_are_refused_at_the_handshake() {
    let b = Berth::new();
    let ns = NetNs::new();
    let pki = Pki::new(b.scratch("pki"));
    let _s = TlsService::start(&ns, &b, &pki);
    for set in ["nocert", "stranger"] {
        let out = docker(
            &ns,
            &b,
            &pki.set(set),
            &["run", "--rm", "--network", "none", "busybox", "echo", "hi"],
        );
        assert_ne!(out.code, 0, "{set}: {out:?}");
        assert_eq!(out.stdout, "", "{set}: nothing served: {out:?}");
        assert!(
            out.stderr.contains("tls") || out.stderr.contains("certificate"),
            "{set}: {out:?}"
        );
        let out = docker(&ns, &b, &pki.set(set), &["ps"]);
        assert_ne!(out.code, 0, "{set}: {out:?}");
        assert_eq!(out.stdout, "", "{set}: nothing served: {out:?}");
    }
    // Nothing was made by them, and the service still serves its own clients.
    assert_eq!(b.ok(&["ps", "-aq"]).trim(), "");
    let ps = docker_ok(&ns, &b, &pki.set("client"), &["ps", "-aq"]);
    assert_eq!(ps.trim(), "");
}

#[test]
fn tcp_without_tls_or_with_unusable_files_is_refused_and_nothing_listens() {
    let b = Berth::empty();
    let ns = NetNs::new();
    let pki = Pki::new(b.scratch("pki"));
    let server = pki.set("server");

    let out = output(&mut berth_in(
        &ns,
        &b,
        &["system", "service", "tcp://127.0.0.1:2376"],
    ));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains("without TLS") && out.stderr.contains("client certificates"),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {out:?}");

    let ca = format!("--tlscacert={}", server.join("ca.pem").display());
    let out = output(&mut berth_in(
        &ns,
        &b,
        &["system", "service", "--tlsverify", &ca, URL],
    ));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains("--tlscert, --tlskey missing"),
        "{out:?}"
    );

    // A key that is not PEM: named, with its flag.
    let bad = b.scratch("bad").join("key.pem");
    std::fs::write(&bad, "not a key\n").expect("write");
    let mut args: Vec<String> = vec!["system".into(), "service".into()];
    args.extend(tls_flags(&server));
    args.pop();
    args.push(format!("--tlskey={}", bad.display()));
    args.push(URL.into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = output(&mut berth_in(&ns, &b, &argv));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains(&bad.display().to_string()) && out.stderr.contains("--tlskey"),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "one line: {out:?}");

    // A CA file that does not exist: named.
    let mut args: Vec<String> = vec!["system".into(), "service".into()];
    args.extend(tls_flags(&server));
    args[3] = "--tlscacert=/nonexistent/ca.pem".into();
    args.push(URL.into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = output(&mut berth_in(&ns, &b, &argv));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(out.stderr.contains("/nonexistent/ca.pem"), "{out:?}");

    // A key that is not the certificate's: both named.
    let mut args: Vec<String> = vec!["system".into(), "service".into()];
    args.extend(tls_flags(&server));
    let client_key = pki.set("client").join("key.pem");
    args[5] = format!("--tlskey={}", client_key.display());
    args.push(URL.into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = output(&mut berth_in(&ns, &b, &argv));
    assert_eq!(out.code, 125, "{out:?}");
    assert!(
        out.stderr.contains(&client_key.display().to_string()) && out.stderr.contains("not usable"),
        "{out:?}"
    );

    // None of them left a listening socket in the namespace.
    let listening = ns.host(&["ss", "-Hltn"]);
    assert_eq!(listening.code, 0, "{listening:?}");
    assert_eq!(
        listening.stdout.trim(),
        "",
        "nothing listens: {listening:?}"
    );
}
