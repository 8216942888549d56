//! The network side of a shim: the embedded DNS server and the published ports' proxies,
//! as non-blocking sockets the shim polls together with its own.
//!
//! The DNS sockets (UDP, and TCP through `dns_tcp`) are bound inside the container's
//! namespace (by `netlink::setup_container`, again on every start); the forwarding socket
//! and the proxies live in the shim's own namespace, the host's, and stay across restarts.
//! Names forwarded for a TCP client go upstream over TCP (`dns_forward_tcp`), the others
//! over UDP.

use super::dns::{self, Reply};
use super::dns_forward_tcp::{Outcome, TcpForwarder};
use super::dns_tcp::{DnsSockets, TcpDns};
use super::error::NetworkError;
use super::netcache::NetCache;
use super::proxy::{Interest, Proxy};
use super::{attachments, hosts, store};
use crate::engine::container::{ContainerConfig, Link, Status, record};
use crate::engine::store::Paths;
use hickory_proto::op::ResponseCode;
use hickory_proto::rr::RecordType;
use nix::poll::PollFlags;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// How long a forwarded query may wait for the upstream before the client gets SERVFAIL.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone, Copy)]
enum Tok {
    Dns,
    Upstream,
    Proxy(usize, usize),
    Tcp(usize),
    TcpUpstream(usize),
}

/// Who asked: a UDP client's address, or a TCP connection of `TcpDns`.
#[derive(Clone, Copy)]
enum Client {
    Udp(SocketAddr),
    Tcp(usize),
}

struct Pending {
    id: u16,
    client: Client,
    client_id: u16,
    query: Vec<u8>,
    since: Instant,
}

/// The container's DNS server and port proxies.
pub struct Service {
    paths: Paths,
    me: String,
    /// The container's `--link`s: their aliases resolve for it alone.
    links: Vec<Link>,
    dns: Option<UdpSocket>,
    tcp: TcpDns,
    nets: NetCache,
    upstream: Option<UdpSocket>,
    upstreams: Vec<SocketAddr>,
    tcp_upstream: TcpForwarder,
    pending: Vec<Pending>,
    next_id: u16,
    rr: usize,
    proxies: Vec<Proxy>,
    /// Whether the container's DNAT chain (`publish_nat`) was made.
    published: bool,
    tokens: Vec<Tok>,
}

impl Drop for Service {
    fn drop(&mut self) {
        if self.published {
            super::publish_nat::unpublish(&self.me);
        }
    }
}

impl Service {
    /// Binds the published ports of `config` (to its address on its first network).
    /// Errors are one line, e.g. a port already in use.
    pub fn start(paths: &Paths, config: &ContainerConfig) -> Result<Service, NetworkError> {
        // A container on `none` or `host` is on no network of berth's and cannot be
        // connected to one: no records to read, no ports to serve, no DNS to forward.
        let own_network = config.on_berth_network();
        let all = if own_network {
            store::list_raw(paths)
        } else {
            Vec::new()
        };
        let target_ip: Option<Ipv4Addr> = attachments(&all, &config.id)
            .first()
            .and_then(|(_, e)| e.ipv4.parse().ok());
        let mut proxies = Vec::new();
        for p in &config.net.ports {
            let Some(ip) = target_ip else { break };
            let host_ip: IpAddr = if p.host_ip.is_empty() {
                IpAddr::V4(Ipv4Addr::UNSPECIFIED)
            } else {
                p.host_ip
                    .parse()
                    .map_err(|_| NetworkError::InvalidHostAddress(p.host_ip.clone()))?
            };
            let host = SocketAddr::new(host_ip, p.host_port);
            let target = SocketAddr::new(IpAddr::V4(ip), p.container_port);
            let proxy = Proxy::bind(&p.protocol, host, target).map_err(|e| {
                NetworkError::PortUnavailable {
                    address: host.to_string(),
                    protocol: p.protocol.clone(),
                    why: if e.kind() == std::io::ErrorKind::AddrInUse {
                        "port is already allocated".to_string()
                    } else {
                        e.to_string()
                    },
                }
            })?;
            proxies.push(proxy);
        }
        // Connections from the host's loopback go through the kernel when it can (the
        // proxies stay for every other address; see `publish_nat`).
        let published = match target_ip {
            Some(ip) if !proxies.is_empty() => {
                super::publish_nat::publish(&config.id, ip, &config.net.ports).is_ok()
            }
            _ => false,
        };
        let (upstreams, upstream) = if own_network {
            let host_resolv = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
            let upstreams: Vec<SocketAddr> = hosts::upstreams(&host_resolv, &config.net.dns)
                .into_iter()
                .filter(SocketAddr::is_ipv4)
                .collect();
            let upstream = UdpSocket::bind("0.0.0.0:0").ok();
            if let Some(u) = &upstream {
                let _ = u.set_nonblocking(true);
            }
            (upstreams, upstream)
        } else {
            (Vec::new(), None)
        };
        Ok(Service {
            paths: paths.clone(),
            me: config.id.to_string(),
            links: config.net.links.clone(),
            dns: None,
            tcp: TcpDns::default(),
            nets: NetCache::default(),
            upstream,
            upstreams,
            tcp_upstream: TcpForwarder::default(),
            pending: Vec::new(),
            next_id: 1,
            rr: 0,
            proxies,
            published,
            tokens: Vec::new(),
        })
    }

    /// Gives the published ports back (closes the proxies' sockets, removes the DNAT
    /// chain): before the record says the container stopped, so a `start` or `restart`
    /// right after can bind them again.
    pub fn release_ports(&mut self) {
        self.proxies.clear();
        if self.published {
            super::publish_nat::unpublish(&self.me);
            self.published = false;
        }
    }

    /// Uses `socks` (bound in the container's new namespace) for DNS from now on.
    pub fn set_dns(&mut self, socks: Option<DnsSockets>) {
        let (udp, tcp) = socks.map_or((None, None), |s| (Some(s.udp), Some(s.tcp)));
        self.dns = udp;
        self.tcp = TcpDns::new(tcp);
        self.pending.clear();
    }

    /// Sends `bytes` to whoever asked.
    fn send_to_client(&mut self, client: Client, bytes: &[u8]) {
        match client {
            Client::Udp(addr) => {
                if let Some(s) = &self.dns {
                    let _ = s.send_to(bytes, addr);
                }
            }
            Client::Tcp(conn) => self.tcp.reply(conn, bytes),
        }
    }

    /// Queries that came over TCP: the same answers, never truncated.
    fn serve_tcp(&mut self, sub: usize, revents: PollFlags) {
        for (conn, query) in self.tcp.ready(sub, revents) {
            match dns::answer_tcp(&query, &mut |name, t| self.resolve(name, t)) {
                Reply::Answer(bytes) => self.tcp.reply(conn, &bytes),
                Reply::Drop => {}
                Reply::Forward => self.forward(query, Client::Tcp(conn)),
            }
        }
    }

    /// The addresses of `name`; A queries turn the round-robin wheel.
    fn resolve(&mut self, name: &str, qtype: RecordType) -> Vec<Ipv4Addr> {
        let paths = self.paths.clone();
        let all = self.nets.networks(&self.paths);
        let running = move |id: &str| {
            record::load(&paths, id).is_ok_and(|c| c.state.status == Status::Running)
        };
        let mut v = dns::lookup(all, &self.me, &self.links, name, &running);
        if !v.is_empty() {
            let n = self.rr % v.len();
            v.rotate_left(n);
            if qtype == RecordType::A {
                self.rr = self.rr.wrapping_add(1);
            }
        }
        let upstream = self.upstreams.first();
        super::dnslog::record(&self.paths, all, &self.me, name, qtype, &v, upstream);
        v
    }

    fn serve_dns(&mut self) {
        let mut buf = [0u8; 4096];
        loop {
            let Some(sock) = &self.dns else { return };
            let Ok((n, from)) = sock.recv_from(&mut buf) else {
                return;
            };
            let query = buf[..n].to_vec();
            match dns::answer(&query, &mut |name, t| self.resolve(name, t)) {
                Reply::Answer(bytes) => {
                    if let Some(s) = &self.dns {
                        let _ = s.send_to(&bytes, from);
                    }
                }
                Reply::Drop => {}
                Reply::Forward => self.forward(query, Client::Udp(from)),
            }
        }
    }

    fn reply_error(&mut self, query: &[u8], client: Client, code: ResponseCode) {
        if let Some(b) = dns::error_reply(query, code) {
            self.send_to_client(client, &b);
        }
    }

    fn forward(&mut self, query: Vec<u8>, client: Client) {
        if let (Client::Tcp(conn), Some(server)) = (client, self.upstreams.first().copied()) {
            if let Some(o) = self.tcp_upstream.start(server, conn, query) {
                self.tcp_forwarded(o);
            }
            return;
        }
        let (Some(up), Some(server)) = (&self.upstream, self.upstreams.first()) else {
            self.reply_error(&query, client, ResponseCode::NXDomain);
            return;
        };
        let client_id = u16::from_be_bytes([query[0], query[1]]);
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        let mut out = query.clone();
        out[..2].copy_from_slice(&id.to_be_bytes());
        if up.send_to(&out, server).is_err() {
            self.reply_error(&query, client, ResponseCode::ServFail);
            return;
        }
        if self.pending.len() > 256 {
            self.pending.remove(0);
        }
        self.pending.push(Pending {
            id,
            client,
            client_id,
            query,
            since: Instant::now(),
        });
    }

    fn upstream_reply(&mut self) {
        let mut buf = [0u8; 65536];
        loop {
            let Some(up) = &self.upstream else { return };
            let Ok((n, from)) = up.recv_from(&mut buf) else {
                return;
            };
            if n < 12 || !self.upstreams.contains(&from) {
                continue;
            }
            let id = u16::from_be_bytes([buf[0], buf[1]]);
            let Some(i) = self.pending.iter().position(|p| p.id == id) else {
                continue;
            };
            let p = self.pending.remove(i);
            buf[..2].copy_from_slice(&p.client_id.to_be_bytes());
            self.send_to_client(p.client, &buf[..n]);
        }
    }

    /// Passes on how a query forwarded over TCP ended.
    fn tcp_forwarded(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Answer { client, message } => self.tcp.reply(client, &message),
            Outcome::Failed { client, query } => {
                self.reply_error(&query, Client::Tcp(client), ResponseCode::ServFail)
            }
        }
    }

    fn expire(&mut self) {
        for o in self.tcp_upstream.expire(FORWARD_TIMEOUT) {
            self.tcp_forwarded(o);
        }
        let (old, keep): (Vec<Pending>, Vec<Pending>) = std::mem::take(&mut self.pending)
            .into_iter()
            .partition(|p| p.since.elapsed() > FORWARD_TIMEOUT);
        self.pending = keep;
        for p in old {
            self.reply_error(&p.query, p.client, ResponseCode::ServFail);
        }
    }
}

impl crate::engine::runtime::supervise::Poller for Service {
    fn interest(&mut self) -> Vec<Interest> {
        self.tokens.clear();
        let mut out = Vec::new();
        if let Some(s) = &self.dns {
            out.push((s.as_raw_fd(), PollFlags::POLLIN, self.tokens.len()));
            self.tokens.push(Tok::Dns);
        }
        if let Some(s) = &self.upstream {
            out.push((s.as_raw_fd(), PollFlags::POLLIN, self.tokens.len()));
            self.tokens.push(Tok::Upstream);
        }
        let mut sub = Vec::new();
        self.tcp.interest(&mut sub);
        for (fd, ev, t) in sub {
            out.push((fd, ev, self.tokens.len()));
            self.tokens.push(Tok::Tcp(t));
        }
        let mut sub = Vec::new();
        self.tcp_upstream.interest(&mut sub);
        for (fd, ev, t) in sub {
            out.push((fd, ev, self.tokens.len()));
            self.tokens.push(Tok::TcpUpstream(t));
        }
        for (i, p) in self.proxies.iter().enumerate() {
            let mut sub = Vec::new();
            p.interest(&mut sub);
            for (fd, ev, t) in sub {
                out.push((fd, ev, self.tokens.len()));
                self.tokens.push(Tok::Proxy(i, t));
            }
        }
        out
    }

    fn ready(&mut self, token: usize, revents: PollFlags) {
        match self.tokens.get(token).copied() {
            Some(Tok::Dns) => self.serve_dns(),
            Some(Tok::Upstream) => self.upstream_reply(),
            Some(Tok::Tcp(t)) => self.serve_tcp(t, revents),
            Some(Tok::TcpUpstream(t)) => {
                if let Some(o) = self.tcp_upstream.ready(t, revents) {
                    self.tcp_forwarded(o);
                }
            }
            Some(Tok::Proxy(i, t)) => {
                if let Some(p) = self.proxies.get_mut(i) {
                    p.ready(t, revents);
                }
            }
            None => {}
        }
    }

    fn tick(&mut self) -> Option<Duration> {
        for p in &mut self.proxies {
            p.sweep();
        }
        self.expire();
        self.tcp.sweep();
        if self.pending.is_empty() && !self.tcp.busy() && !self.tcp_upstream.busy() {
            None
        } else {
            Some(Duration::from_millis(200))
        }
    }
}
