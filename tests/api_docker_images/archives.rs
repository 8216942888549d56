//! docker save and load, and clients that hang up mid-upload or mid-build.

use super::*;

#[test]
fn clients_that_hang_up_mid_upload_leave_no_image_and_no_scratch() {
    let b = Berth::new();
    let s = Service::start(&b);
    let archive = b.scratch("out").join("busybox.tar");
    s.ok(&[
        "save",
        "-o",
        archive.to_str().expect("utf-8"),
        "busybox:latest",
    ]);
    s.ok(&["rmi", "busybox:latest"]);
    let tar = std::fs::read(&archive).expect("archive");
    hang_up_mid_upload(&s, "/v1.47/images/load", &tar[..tar.len() / 2], tar.len());
    hang_up_mid_upload(&s, "/v1.47/build?t=half", &tar[..tar.len() / 2], tar.len());
    // An upload over the limit is refused before any of it is read.
    let mut c = UnixStream::connect(&s.sock).expect("connect");
    write!(
        c,
        "POST /v1.47/build HTTP/1.1\r\nHost: berth\r\nContent-Length: {}\r\n\r\n",
        1u64 << 40
    )
    .expect("head");
    c.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut buf = [0u8; 512];
    let n = c.read(&mut buf).expect("an answer");
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");

    b.wait_until("the uploads are abandoned", Duration::from_secs(10), || {
        scratch_entries(&b).is_empty()
    });
    assert_eq!(
        s.ok(&["images", "-q"]).trim(),
        "",
        "nothing was loaded or built"
    );
}

#[test]
fn a_client_that_hangs_up_mid_build_cancels_it() {
    let b = Berth::new();
    let s = Service::start(&b);
    let mut tar = tar::Builder::new(Vec::new());
    let dockerfile = b"FROM busybox\nRUN echo started && sleep 60\n";
    let mut h = tar::Header::new_ustar();
    h.set_size(dockerfile.len() as u64);
    h.set_mode(0o644);
    tar.append_data(&mut h, "Dockerfile", &dockerfile[..])
        .expect("tar");
    let context = tar.into_inner().expect("tar");
    let mut c = UnixStream::connect(&s.sock).expect("connect");
    write!(
        c,
        "POST /v1.47/build?t=slow&networkmode=none HTTP/1.1\r\nHost: berth\r\nContent-Type: application/x-tar\r\nContent-Length: {}\r\n\r\n",
        context.len()
    )
    .expect("head");
    c.write_all(&context).expect("context");
    c.set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    // The RUN's own output (not the step's line, which names it too).
    while !String::from_utf8_lossy(&seen).contains(r#"{"stream":"started\n"}"#) {
        let n = c.read(&mut buf).expect("the build's stream");
        assert!(
            n > 0,
            "the stream ended: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    assert_eq!(
        b.ok(&["ps", "-aq"]).lines().count(),
        1,
        "the RUN's container"
    );
    drop(c);
    b.wait_until("the build is cancelled", Duration::from_secs(20), || {
        b.ok(&["ps", "-aq"]).trim().is_empty() && scratch_entries(&b).is_empty()
    });
    let images = b.ok(&["images", "--format", "{{.Repository}}"]);
    assert!(!images.contains("slow"), "{images}");
}
