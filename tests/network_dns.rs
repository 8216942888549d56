//! The embedded DNS server over TCP and UDP as a resolver inside a container sees it (root
//! only; in a network namespace of the test's own): the test's thread enters a running
//! container's network namespace (setns, that thread only) and asks 127.0.0.11:53.

#[path = "common/container_harness.rs"]
mod harness;
#[path = "common/netns.rs"]
mod netns;

use harness::Berth;
use hickory_proto::op::{Message, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use netns::NetNs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpStream, UdpSocket};
use std::os::fd::AsFd;
use std::time::Duration;

fn query(id: u16, name: &str, t: RecordType) -> Vec<u8> {
    let mut m = Message::query();
    m.metadata.id = id;
    m.metadata.recursion_desired = true;
    m.add_query(Query::query(Name::from_ascii(name).expect("name"), t));
    m.to_vec().expect("encode")
}

fn addrs(m: &Message) -> Vec<Ipv4Addr> {
    let mut v: Vec<Ipv4Addr> = m
        .answers
        .iter()
        .filter_map(|r| match &r.data {
            RData::A(a) => Some(a.0),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

/// One query over TCP (two-byte length framing), one answer.
fn over_tcp(q: &[u8]) -> Message {
    let mut s = TcpStream::connect("127.0.0.11:53").expect("connect 127.0.0.11:53/tcp");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let mut framed = (q.len() as u16).to_be_bytes().to_vec();
    framed.extend_from_slice(q);
    s.write_all(&framed).expect("send");
    let mut len = [0u8; 2];
    s.read_exact(&mut len).expect("answer length");
    let mut body = vec![0u8; usize::from(u16::from_be_bytes(len))];
    s.read_exact(&mut body).expect("answer");
    Message::from_vec(&body).expect("decode the TCP answer")
}

/// One query over UDP (no EDNS), the answer's bytes.
fn udp_bytes(q: &[u8]) -> Vec<u8> {
    let s = UdpSocket::bind("127.0.0.1:0").expect("udp socket");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    s.send_to(q, "127.0.0.11:53").expect("send");
    let mut buf = [0u8; 4096];
    let n = s.recv(&mut buf).expect("udp answer");
    buf[..n].to_vec()
}

fn over_udp(q: &[u8]) -> Message {
    Message::from_vec(&udp_bytes(q)).expect("decode the UDP answer")
}

/// Runs `f` on a thread that has entered the network namespace of process `pid`.
fn in_netns_of<T: Send + 'static>(pid: i64, f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::spawn(move || {
        let ns = std::fs::File::open(format!("/proc/{pid}/ns/net")).expect("open netns");
        nix::sched::setns(ns.as_fd(), nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
        f()
    })
    .join()
    .expect("the netns thread")
}

#[test]
fn tcp_and_udp_give_the_same_answers_and_aaaa_is_an_empty_noerror() {
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.88.0.0/16", "app"],
    );
    let mut ips = Vec::new();
    for name in ["s1", "s2"] {
        ns.ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "app",
                "--network-alias",
                "search",
                "busybox",
                "sleep",
                "300",
            ],
        );
        let ip = ns.ok(
            &b,
            &[
                "inspect",
                name,
                "--format",
                "{{(index .NetworkSettings.Networks \"app\").IPAddress}}",
            ],
        );
        ips.push(ip.trim().parse::<Ipv4Addr>().expect("an address"));
    }
    ips.sort();
    let pid = b.state(&b.id_of("s1"))["pid"].as_i64().expect("pid");

    let (tcp, udp, aaaa_tcp, aaaa_udp, by_name) = in_netns_of(pid, || {
        (
            over_tcp(&query(1, "search.", RecordType::A)),
            over_udp(&query(2, "search.", RecordType::A)),
            over_tcp(&query(3, "s2.", RecordType::AAAA)),
            over_udp(&query(4, "s2.", RecordType::AAAA)),
            over_tcp(&query(5, "s2.", RecordType::A)),
        )
    });
    assert_eq!(tcp.metadata.id, 1);
    assert_eq!(tcp.metadata.response_code, ResponseCode::NoError);
    assert_eq!(addrs(&tcp), ips, "TCP: every address of the alias");
    assert_eq!(addrs(&udp), ips, "UDP: the same addresses");
    for m in [&aaaa_tcp, &aaaa_udp] {
        assert_eq!(m.metadata.response_code, ResponseCode::NoError, "{m:?}");
        assert!(m.answers.is_empty(), "no AAAA records: {m:?}");
    }
    assert_eq!(addrs(&by_name), vec![ips[1]], "s2 by name over TCP");
}

/// dnsmasq on the test namespace's loopback, port 53: the upstream resolver the embedded
/// server forwards other names to (`--dns 127.0.0.1`); authoritative for `.test`. Killed
/// on drop.
struct Upstream(std::process::Child);

/// How many addresses the upstream has for `big.test`.
const BIG: usize = 40;

impl Upstream {
    fn start(ns: &NetNs, b: &Berth) -> Upstream {
        let hosts = b.scratch("dns").join("hosts");
        // `big.test` has more addresses than a 512-byte UDP answer holds.
        let big: String = (1..=BIG)
            .map(|i| format!("10.1.3.{i} big.test\n"))
            .collect();
        std::fs::write(&hosts, format!("10.1.2.3 outside.test\n{big}")).expect("write hosts");
        let child = std::process::Command::new("nsenter")
            .arg(format!("--net={}", ns.path().display()))
            .args([
                "dnsmasq",
                "-k",
                "-C",
                "/dev/null",
                "--port=53",
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                "--no-resolv",
                "--no-hosts",
                "--local=/test/",
                "--pid-file=",
                "--user=root",
            ])
            .arg(format!("--addn-hosts={}", hosts.display()))
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("start dnsmasq (apt-get install dnsmasq-base)");
        let up = Upstream(child);
        harness::wait_until("dnsmasq to answer", Duration::from_secs(5), &mut || {
            ns.host(&["busybox", "nslookup", "outside.test", "127.0.0.1"])
                .stdout
                .contains("10.1.2.3")
        });
        up
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn other_names_are_forwarded_over_udp_and_over_tcp_for_tcp_clients() {
    let ns = NetNs::new();
    let b = Berth::new();
    let _up = Upstream::start(&ns, &b);
    ns.ok(&b, &["network", "create", "app"]);
    ns.ok(
        &b,
        &[
            "run",
            "-d",
            "--name",
            "asker",
            "--network",
            "app",
            "--dns",
            "127.0.0.1",
            "busybox",
            "sleep",
            "300",
        ],
    );
    let pid = b.state(&b.id_of("asker"))["pid"].as_i64().expect("pid");
    let (udp, tcp, nx_udp, nx_tcp, big_udp, big_tcp) = in_netns_of(pid, || {
        (
            over_udp(&query(11, "outside.test.", RecordType::A)),
            over_tcp(&query(12, "outside.test.", RecordType::A)),
            over_udp(&query(13, "nope.test.", RecordType::A)),
            over_tcp(&query(14, "nope.test.", RecordType::A)),
            over_udp(&query(15, "big.test.", RecordType::A)),
            over_tcp(&query(16, "big.test.", RecordType::A)),
        )
    });
    // A TCP client's question goes upstream over TCP: the whole answer, where the
    // upstream's UDP answer is truncated.
    assert!(
        big_udp.metadata.truncation,
        "the UDP answer is truncated: {big_udp:?}"
    );
    assert_eq!(big_tcp.metadata.id, 16);
    assert!(
        !big_tcp.metadata.truncation,
        "the TCP answer is whole: {big_tcp:?}"
    );
    assert_eq!(
        addrs(&big_tcp).len(),
        BIG,
        "every address over TCP: {big_tcp:?}"
    );
    let want = vec![Ipv4Addr::new(10, 1, 2, 3)];
    assert_eq!((udp.metadata.id, tcp.metadata.id), (11, 12));
    assert_eq!(addrs(&udp), want, "forwarded over UDP: {udp:?}");
    assert_eq!(addrs(&tcp), want, "forwarded for a TCP client: {tcp:?}");
    for m in [&nx_udp, &nx_tcp] {
        assert_eq!(m.metadata.response_code, ResponseCode::NXDomain, "{m:?}");
    }
}

/// An alias with more addresses than 512 bytes hold: a UDP client without EDNS gets a
/// truncated answer (TC set, within 512 bytes) and over TCP the whole set, as a resolver
/// that retries over TCP on TC would.
#[test]
fn an_answer_too_large_for_udp_is_truncated_and_whole_over_tcp() {
    const SERVERS: usize = 36; // 36 A records of 16 bytes each, plus header and question
    let ns = NetNs::new();
    let b = Berth::new();
    ns.ok(
        &b,
        &["network", "create", "--subnet", "10.89.0.0/16", "big"],
    );
    for i in 0..SERVERS {
        let name = format!("m{i}");
        ns.ok(
            &b,
            &[
                "run",
                "-d",
                "--name",
                &name,
                "--network",
                "big",
                "--network-alias",
                "many",
                "busybox",
                "sleep",
                "300",
            ],
        );
    }
    let pid = b.state(&b.id_of("m0"))["pid"].as_i64().expect("pid");
    let q = query(7, "many.", RecordType::A);
    let (raw, tcp) = in_netns_of(pid, move || (udp_bytes(&q), over_tcp(&q)));
    let raw_len = raw.len();
    let udp = Message::from_vec(&raw).expect("decode the UDP answer");
    assert!(
        raw_len <= 512,
        "a UDP answer of {raw_len} bytes to a client without EDNS"
    );
    assert!(
        udp.metadata.truncation,
        "TC is set on the UDP answer: {udp:?}"
    );
    assert!(
        addrs(&udp).len() < SERVERS,
        "UDP cannot carry them all: {udp:?}"
    );
    assert!(!tcp.metadata.truncation, "the TCP answer is whole");
    assert_eq!(
        addrs(&tcp).len(),
        SERVERS,
        "TCP: every address of the alias"
    );
    assert!(
        addrs(&tcp).iter().all(|a| a.octets()[..2] == [10, 89]),
        "addresses of the network: {:?}",
        addrs(&tcp)
    );
}
