//! Links, addresses and routes through rtnetlink; never by running `ip`.
//!
//! rtnetlink is async, so every operation here runs on a thread of its own with a
//! current-thread tokio runtime that ends with the thread. The caller's thread never enters
//! a runtime or another network namespace, and once the call returns the process has the
//! threads it had before: the shim calls these between clones and stays single-threaded
//! whenever it clones. Work inside a container's namespace is done by that helper thread
//! after `setns(2)` into `/proc/<pid>/ns/net` (a per-thread change).

use super::dns_tcp::DnsSockets;
use super::error::{NetworkError, Result};
use futures_util::TryStreamExt;
use rtnetlink::packet_route::link::{InfoData, InfoVeth, LinkAttribute, LinkFlags, LinkMessage};
use rtnetlink::{
    Handle, LinkBridge, LinkMessageBuilder, LinkUnspec, LinkVeth, RouteMessageBuilder,
    new_connection,
};
use std::net::{IpAddr, Ipv4Addr, TcpListener, UdpSocket};
use std::os::fd::{AsFd, AsRawFd, RawFd};

/// One interface to give a container: a veth pair whose host end joins `bridge`.
#[derive(Debug, Clone)]
pub struct Attach {
    /// The bridge on the host (`berth0`, `br-<id12>`).
    pub bridge: String,
    /// The bridge's address (the container's gateway).
    pub gateway: Ipv4Addr,
    /// The subnet's prefix length.
    pub prefix: u8,
    /// The container's address.
    pub ip: Ipv4Addr,
    /// The container's MAC address.
    pub mac: [u8; 6],
    /// Its name inside the container (`eth0`, `eth1`).
    pub ifname: String,
    /// The host end's name.
    pub host_veth: String,
    /// Whether to add the default route through `gateway`.
    pub default_route: bool,
    /// The network is `--internal` (no NAT, nothing forwarded out).
    pub internal: bool,
    /// The MTU of the bridge and of both ends of the veth pair (None: the kernel's).
    pub mtu: Option<u32>,
}

impl Attach {
    /// The firewall rules of this attachment's network.
    pub fn rules(&self) -> super::firewall::Rules {
        super::firewall::rules_for(&self.bridge, self.gateway, self.prefix, self.internal)
    }
}

/// The host end's name of a container's interface: `vb` + 8 hex of the id + the index.
pub fn host_veth_name(container_id: &str, ifname: &str) -> String {
    let short: String = container_id.chars().take(8).collect();
    format!("vb{short}{}", ifname.trim_start_matches("eth"))
}

/// Parses `02:42:ac:11:00:02`.
pub fn parse_mac(s: &str) -> Option<[u8; 6]> {
    let v: Vec<u8> = s
        .split(':')
        .map(|p| u8::from_str_radix(p, 16).ok())
        .collect::<Option<_>>()?;
    v.try_into().ok()
}

fn on_thread<T: Send + 'static>(
    f: impl FnOnce(&tokio::runtime::Runtime) -> Result<T> + Send + 'static,
) -> Result<T> {
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(|e| NetworkError::io("netlink runtime", e))?;
        f(&rt)
    })
    .join()
    .map_err(|_| NetworkError::ThreadPanicked)?
}

fn connect() -> Result<Handle> {
    let (conn, handle, _) = new_connection().map_err(|e| NetworkError::io("netlink socket", e))?;
    tokio::spawn(conn);
    Ok(handle)
}

fn exists(e: &rtnetlink::Error) -> bool {
    matches!(e, rtnetlink::Error::NetlinkError(m) if m.raw_code() == -libc::EEXIST)
}

async fn link_of(h: &Handle, name: &str) -> Option<LinkMessage> {
    let mut links = h.link().get().match_name(name.to_string()).execute();
    links.try_next().await.ok().flatten()
}

async fn index_of(h: &Handle, name: &str) -> Option<u32> {
    link_of(h, name).await.map(|l| l.header.index)
}

/// Whether `l` is up with MTU `mtu` (any MTU when None).
fn up_with_mtu(l: &LinkMessage, mtu: Option<u32>) -> bool {
    let up = l.header.flags.contains(LinkFlags::Up);
    let mtu_ok = mtu.is_none_or(|m| {
        l.attributes
            .iter()
            .any(|a| matches!(a, LinkAttribute::Mtu(x) if *x == m))
    });
    up && mtu_ok
}

/// Makes the bridge `name` if missing, gives it `gateway/prefix`, its MTU and brings it
/// up; returns its index and whether it was made now. A bridge already up with that MTU
/// is only checked for its address (an `EEXIST` answer costs nothing).
async fn ensure_bridge_in(
    h: &Handle,
    name: &str,
    gateway: Ipv4Addr,
    prefix: u8,
    mtu: Option<u32>,
) -> Result<(u32, bool)> {
    let (idx, made, ready) = match link_of(h, name).await {
        Some(l) => (l.header.index, false, up_with_mtu(&l, mtu)),
        None => {
            let r = h.link().add(LinkBridge::new(name).build()).execute().await;
            if let Err(e) = r
                && !exists(&e)
            {
                return Err(NetworkError::netlink(format!("create bridge '{name}'"), e));
            }
            let i = index_of(h, name)
                .await
                .ok_or_else(|| NetworkError::LinkMissing {
                    name: name.to_string(),
                    place: "on the host",
                })?;
            (i, true, false)
        }
    };
    let r = h
        .address()
        .add(idx, IpAddr::V4(gateway), prefix)
        .execute()
        .await;
    if let Err(e) = r
        && !exists(&e)
    {
        return Err(NetworkError::netlink(
            format!("address {gateway}/{prefix} on '{name}'"),
            e,
        ));
    }
    if !ready {
        h.link()
            .set(with_mtu(LinkUnspec::new_with_index(idx).up(), mtu).build())
            .execute()
            .await
            .map_err(|e| NetworkError::netlink(format!("bring up '{name}'"), e))?;
    }
    Ok((idx, made))
}

/// Adds `mtu` (when there is one) to a link change.
fn with_mtu(
    b: rtnetlink::LinkMessageBuilder<LinkUnspec>,
    mtu: Option<u32>,
) -> rtnetlink::LinkMessageBuilder<LinkUnspec> {
    match mtu {
        Some(m) => b.mtu(m),
        None => b,
    }
}

/// Creates the bridge `name` with address `gateway/prefix` if missing, sets its MTU (when
/// given) and brings it up.
pub fn ensure_bridge(name: &str, gateway: Ipv4Addr, prefix: u8, mtu: Option<u32>) -> Result<()> {
    let name = name.to_string();
    on_thread(move |rt| {
        rt.block_on(async {
            let h = connect()?;
            ensure_bridge_in(&h, &name, gateway, prefix, mtu)
                .await
                .map(|_| ())
        })
    })
}

/// Whether the link `name` exists in the caller's namespace.
pub fn link_exists(name: &str) -> bool {
    let name = name.to_string();
    on_thread(move |rt| {
        rt.block_on(async {
            let h = connect()?;
            Ok(index_of(&h, &name).await.is_some())
        })
    })
    .unwrap_or(true)
}

/// Deletes the link `name` in the caller's namespace; a missing link is fine.
pub fn delete_link(name: &str) -> Result<()> {
    let name = name.to_string();
    on_thread(move |rt| {
        rt.block_on(async {
            let h = connect()?;
            if let Some(i) = index_of(&h, &name).await {
                h.link()
                    .del(i)
                    .execute()
                    .await
                    .map_err(|e| NetworkError::netlink(format!("delete '{name}'"), e))?;
            }
            Ok(())
        })
    })
}

/// The veth pair of `a` in one request: the host end on the bridge `br`, up; the peer made
/// directly in the container's namespace (`netns`, a descriptor of it) under its final
/// name, MAC and MTU, so nothing has to be moved or renamed afterwards (moving a device
/// between namespaces waits for an RCU grace period).
fn veth_pair(a: &Attach, br: u32, netns: RawFd) -> LinkMessage {
    let peer = with_mtu(
        LinkMessageBuilder::<LinkUnspec>::new()
            .name(a.ifname.clone())
            .address(a.mac.to_vec())
            .setns_by_fd(netns),
        a.mtu,
    )
    .build();
    let mut b = LinkVeth::new(&a.host_veth, &a.ifname)
        .controller(br)
        .up()
        .set_info_data(InfoData::Veth(InfoVeth::Peer(peer)));
    if let Some(m) = a.mtu {
        b = b.mtu(m);
    }
    b.build()
}

/// Host side: the bridge (and its firewall chains when they are not in place yet) and the
/// veth pair, its peer already inside the container's namespace.
async fn host_side(h: &Handle, netns: RawFd, a: &Attach) -> Result<()> {
    let (br, made) = ensure_bridge_in(h, &a.bridge, a.gateway, a.prefix, a.mtu).await?;
    let rules = a.rules();
    if made || !super::firewall::in_place(&rules) {
        super::firewall::ensure(&rules)?;
    } else {
        // The host firewall's accept rules for the bridge may have gone (a firewall
        // reload, a hand edit): a chain listing, and a batch only when they are missing.
        super::host_firewall::ensure(&a.bridge)?;
    }
    let mut r = h.link().add(veth_pair(a, br, netns)).execute().await;
    if let Err(e) = &r
        && exists(e)
        && let Some(i) = index_of(h, &a.host_veth).await
    {
        // A host end left by this container's last run (its old namespace is still
        // being taken down by the kernel): delete it and try again.
        let _ = h.link().del(i).execute().await;
        r = h.link().add(veth_pair(a, br, netns)).execute().await;
    }
    r.map_err(|e| NetworkError::netlink(format!("create veth '{}'", a.host_veth), e))
}

/// Container side (run after setns): address, up, default route; the requests that do not
/// depend on each other are sent together.
async fn container_side(h: &Handle, a: &Attach) -> Result<()> {
    let idx = index_of(h, &a.ifname)
        .await
        .ok_or_else(|| NetworkError::LinkMissing {
            name: a.ifname.clone(),
            place: "in the container",
        })?;
    let addr = async {
        h.address()
            .add(idx, IpAddr::V4(a.ip), a.prefix)
            .execute()
            .await
            .map_err(|e| NetworkError::netlink(format!("address {}/{}", a.ip, a.prefix), e))
    };
    let up = async {
        h.link()
            .set(LinkUnspec::new_with_index(idx).up().build())
            .execute()
            .await
            .map_err(|e| NetworkError::netlink(format!("bring up '{}'", a.ifname), e))
    };
    futures_util::try_join!(addr, up)?;
    if a.default_route {
        h.route()
            .add(
                RouteMessageBuilder::<Ipv4Addr>::new()
                    .gateway(a.gateway)
                    .output_interface(idx)
                    .build(),
            )
            .execute()
            .await
            .map_err(|e| NetworkError::netlink(format!("default route via {}", a.gateway), e))?;
    }
    Ok(())
}

async fn lo_up(h: &Handle) -> Result<()> {
    let lo = index_of(h, "lo")
        .await
        .ok_or_else(|| NetworkError::LinkMissing {
            name: "lo".into(),
            place: "in the container",
        })?;
    h.link()
        .set(LinkUnspec::new_with_index(lo).up().build())
        .execute()
        .await
        .map_err(|e| NetworkError::netlink("bring up lo", e))
}

fn open_netns(pid: i32) -> Result<std::fs::File> {
    let path = format!("/proc/{pid}/ns/net");
    std::fs::File::open(&path).map_err(|e| {
        NetworkError::io(
            format!("open the container's network namespace ({path})"),
            e,
        )
    })
}

fn enter_netns(f: &std::fs::File) -> Result<()> {
    nix::sched::setns(f.as_fd(), nix::sched::CloneFlags::CLONE_NEWNET).map_err(|source| {
        NetworkError::Sys {
            what: "enter the container's network namespace".into(),
            source,
        }
    })
}

/// Gives the container `pid` its interfaces (all of `attaches`), brings its loopback up,
/// and with `dns` binds UDP and TCP sockets on 127.0.0.11:53 inside its namespace for the
/// embedded DNS server. On error the host ends made so far are deleted.
pub fn setup_container(pid: i32, attaches: Vec<Attach>, dns: bool) -> Result<Option<DnsSockets>> {
    on_thread(move |rt| {
        rt.block_on(async {
            let netns = open_netns(pid)?;
            let host = connect()?;
            let mut done: Vec<&Attach> = Vec::new();
            for a in &attaches {
                if let Err(e) = host_side(&host, netns.as_raw_fd(), a).await {
                    for d in done {
                        if let Some(i) = index_of(&host, &d.host_veth).await {
                            let _ = host.link().del(i).execute().await;
                        }
                    }
                    return Err(e);
                }
                done.push(a);
            }
            let inside = async {
                enter_netns(&netns)?;
                let h = connect()?;
                let links = async {
                    for a in &attaches {
                        container_side(&h, a).await?;
                    }
                    Ok::<(), NetworkError>(())
                };
                futures_util::try_join!(lo_up(&h), links)?;
                if dns {
                    let s = UdpSocket::bind("127.0.0.11:53")
                        .map_err(|e| NetworkError::io("bind the DNS server on 127.0.0.11:53", e))?;
                    s.set_nonblocking(true)
                        .map_err(|e| NetworkError::io("DNS socket", e))?;
                    let t = TcpListener::bind("127.0.0.11:53").map_err(|e| {
                        NetworkError::io("bind the DNS server on 127.0.0.11:53/tcp", e)
                    })?;
                    t.set_nonblocking(true)
                        .map_err(|e| NetworkError::io("DNS socket", e))?;
                    return Ok(Some(DnsSockets { udp: s, tcp: t }));
                }
                Ok(None)
            }
            .await;
            if inside.is_err() {
                for a in &attaches {
                    if let Some(i) = index_of(&host, &a.host_veth).await {
                        let _ = host.link().del(i).execute().await;
                    }
                }
            }
            inside
        })
    })
}
