//! nf_tables over netlink: sending a batch of messages atomically and listing chains.
//!
//! The messages themselves come from netlink-packet-netfilter (the rtnetlink family's
//! crate; pure Rust, no libnftnl); this module only frames them as one nfnetlink batch
//! (`NFNL_MSG_BATCH_BEGIN` … `END`) on a `NETLINK_NETFILTER` socket and reads the
//! kernel's acknowledgements, and dumps chains and rules (`dump`: undecoded attributes,
//! so that rules of other tables with expressions the crate does not know are still
//! read). Everything is synchronous and uses a socket of its own, in the caller's network
//! namespace.

use netlink_packet_core::{
    NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage, NetlinkPayload,
    NlasIterator,
};
use netlink_packet_netfilter::nftables::{ChainAttribute, ChainMessage, NfTablesMessage};
use netlink_packet_netfilter::none::ControlMessage;
use netlink_packet_netfilter::{
    NetfilterHeader, NetfilterMessage, NetfilterMessageInner, NetfilterProtoFamily,
};
use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_NETFILTER};
use std::time::Duration;

/// `NFNL_SUBSYS_NFTABLES`: the resource id of a batch's begin and end messages.
const SUBSYS_NFTABLES: u16 = 10;

/// How long to wait for the kernel's answer before giving up.
const TIMEOUT: Duration = Duration::from_secs(5);

/// One message of a batch: what to send, in which family, with which extra netlink flags
/// (`NLM_F_CREATE`, `NLM_F_APPEND`, ...).
pub struct Op {
    /// The nf_tables message.
    pub msg: NfTablesMessage,
    /// Extra header flags.
    pub flags: u16,
}

/// Why an nftables request failed.
#[derive(Debug, thiserror::Error)]
pub enum NftError {
    /// The netlink socket could not be made, set up or used.
    #[error("nftables: {step}: {source}")]
    Socket {
        /// `socket`, `bind`, `connect`, `timeout`, `send`, `receive`.
        step: &'static str,
        /// The system's error.
        source: std::io::Error,
    },
    /// The kernel refused the request.
    #[error("nftables: {request}: {source}")]
    Kernel {
        /// `batch`, `list chains`, `dump`.
        request: &'static str,
        /// The kernel's errno (positive), e.g. `ENOENT` for a missing table or chain.
        errno: i32,
        /// The errno as an error.
        source: std::io::Error,
    },
}

impl NftError {
    /// The kernel's errno for a refused request; 0 when the socket failed.
    pub fn errno(&self) -> i32 {
        match self {
            NftError::Socket { .. } => 0,
            NftError::Kernel { errno, .. } => *errno,
        }
    }
    fn kernel(request: &'static str, errno: i32) -> NftError {
        NftError::Kernel {
            request,
            errno,
            source: std::io::Error::from_raw_os_error(errno),
        }
    }
}

fn sock_err(step: &'static str) -> impl FnOnce(std::io::Error) -> NftError {
    move |source| NftError::Socket { step, source }
}

fn socket() -> Result<Socket, NftError> {
    let mut s = Socket::new(NETLINK_NETFILTER).map_err(sock_err("socket"))?;
    s.bind_auto().map_err(sock_err("bind"))?;
    s.connect(&SocketAddr::new(0, 0))
        .map_err(sock_err("connect"))?;
    let tv = nix::sys::time::TimeVal::new(TIMEOUT.as_secs() as _, 0);
    nix::sys::socket::setsockopt(&s, nix::sys::socket::sockopt::ReceiveTimeout, &tv)
        .map_err(|e| sock_err("timeout")(e.into()))?;
    Ok(s)
}

fn frame(
    family: NetfilterProtoFamily,
    res_id: u16,
    inner: NetfilterMessageInner,
    flags: u16,
    seq: u32,
) -> Vec<u8> {
    let mut m = NetlinkMessage::new(
        NetlinkHeader::default(),
        NetlinkPayload::InnerMessage(NetfilterMessage::new(
            NetfilterHeader::new(family, 0, res_id),
            inner,
        )),
    );
    m.header.flags = NLM_F_REQUEST | flags;
    m.header.sequence_number = seq;
    m.finalize();
    let mut buf = vec![0; m.buffer_len()];
    m.serialize(&mut buf);
    buf
}

/// The netlink messages in `buf`, one datagram.
fn messages(buf: &[u8]) -> Vec<NetlinkMessage<NetfilterMessage>> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + 16 <= buf.len() {
        let len = u32::from_ne_bytes([buf[off], buf[off + 1], buf[off + 2], buf[off + 3]]) as usize;
        if len < 16 || off + len > buf.len() {
            break;
        }
        if let Ok(m) = NetlinkMessage::<NetfilterMessage>::deserialize(&buf[off..off + len]) {
            out.push(m);
        }
        off += (len + 3) & !3;
    }
    out
}

fn recv(s: &Socket) -> Result<Vec<u8>, NftError> {
    s.recv_from_full()
        .map(|(b, _)| b)
        .map_err(sock_err("no answer from the kernel"))
}

/// Sends `ops` in `family` as one atomic batch: either all of them take effect or none.
/// Returns the first error the kernel reported, e.g. `ENOENT` for a missing chain (see
/// [`NftError::errno`]).
pub fn batch(family: NetfilterProtoFamily, ops: Vec<Op>) -> Result<(), NftError> {
    let s = socket()?;
    let mut buf = frame(
        NetfilterProtoFamily::Unspec,
        SUBSYS_NFTABLES,
        NetfilterMessageInner::None(ControlMessage::BatchBegin),
        0,
        0,
    );
    let n = ops.len() as u32;
    for (i, op) in ops.into_iter().enumerate() {
        buf.extend(frame(
            family,
            0,
            NetfilterMessageInner::NfTables(op.msg),
            op.flags | NLM_F_ACK,
            i as u32 + 1,
        ));
    }
    buf.extend(frame(
        NetfilterProtoFamily::Unspec,
        SUBSYS_NFTABLES,
        NetfilterMessageInner::None(ControlMessage::BatchEnd),
        0,
        n + 1,
    ));
    s.send(&buf, 0).map_err(sock_err("send"))?;
    // Every message asked for an acknowledgement: one answer each, an error for the one
    // that failed (the kernel then undoes the whole batch).
    let mut seen = 0;
    while seen < n {
        for m in messages(&recv(&s)?) {
            if let NetlinkPayload::Error(e) = m.payload {
                seen += 1;
                if e.code.is_some() {
                    return Err(NftError::kernel("batch", -e.raw_code()));
                }
            }
        }
    }
    Ok(())
}

/// The names of the chains of table `table` in `family` (none when it does not exist).
pub fn chains(family: NetfilterProtoFamily, table: &str) -> Result<Vec<String>, NftError> {
    let s = socket()?;
    let req = frame(
        family,
        0,
        NetfilterMessageInner::NfTables(NfTablesMessage::GetChain(ChainMessage {
            attributes: vec![],
        })),
        NLM_F_DUMP,
        1,
    );
    s.send(&req, 0).map_err(sock_err("send"))?;
    let mut out = Vec::new();
    loop {
        for m in messages(&recv(&s)?) {
            match m.payload {
                NetlinkPayload::Done(_) => return Ok(out),
                NetlinkPayload::Error(e) if e.code.is_some() => {
                    return Err(NftError::kernel("list chains", -e.raw_code()));
                }
                NetlinkPayload::InnerMessage(NetfilterMessage {
                    inner: NetfilterMessageInner::NfTables(NfTablesMessage::NewChain(c)),
                    ..
                }) => {
                    let mine = c
                        .attributes
                        .iter()
                        .any(|a| matches!(a, ChainAttribute::Table(t) if t == table));
                    let name = c.attributes.iter().find_map(|a| match a {
                        ChainAttribute::Name(n) => Some(n.clone()),
                        _ => None,
                    });
                    if mine && let Some(n) = name {
                        out.push(n);
                    }
                }
                _ => {}
            }
        }
    }
}

/// One object of a dump, undecoded: its family (`NFPROTO_*`) and its top-level attributes.
pub struct Raw {
    /// The nfgenmsg family of the object (1 inet, 2 ip, 7 bridge, 10 ip6, ...).
    pub family: u8,
    /// Its attributes: (type without flags, value).
    pub attrs: Vec<(u16, Vec<u8>)>,
}

impl Raw {
    /// The value of attribute `kind`, if present.
    pub fn attr(&self, kind: u16) -> Option<&[u8]> {
        attr(&self.attrs, kind)
    }
}

/// The value of attribute `kind` in `attrs`.
pub fn attr(attrs: &[(u16, Vec<u8>)], kind: u16) -> Option<&[u8]> {
    attrs
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, v)| v.as_slice())
}

/// The attributes in `buf` (a message body or a nested attribute's value), undecoded.
pub fn attrs(buf: &[u8]) -> Vec<(u16, Vec<u8>)> {
    NlasIterator::new(buf)
        .filter_map(Result::ok)
        .map(|n| (n.kind(), n.value().to_vec()))
        .collect()
}

/// A string attribute's value without its trailing NULs.
pub fn string(v: &[u8]) -> String {
    let end = v.iter().position(|&b| b == 0).unwrap_or(v.len());
    String::from_utf8_lossy(&v[..end]).into_owned()
}

/// Dumps what `msg` (a `Get*` message, its attributes a filter) asks for in `family`
/// (`Unspec`: every family). Fails with the kernel's error, e.g. `ENOENT` when the table
/// or chain filtered on does not exist (see [`NftError::errno`]).
pub fn dump(family: NetfilterProtoFamily, msg: NfTablesMessage) -> Result<Vec<Raw>, NftError> {
    const NLMSG_ERROR: u16 = 2;
    const NLMSG_DONE: u16 = 3;
    let s = socket()?;
    let req = frame(
        family,
        0,
        NetfilterMessageInner::NfTables(msg),
        NLM_F_DUMP,
        1,
    );
    s.send(&req, 0).map_err(sock_err("send"))?;
    let mut out = Vec::new();
    loop {
        let buf = recv(&s)?;
        let mut off = 0;
        while off + 16 <= buf.len() {
            let word =
                |at: usize| u32::from_ne_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
            let len = word(off) as usize;
            if len < 16 || off + len > buf.len() {
                break;
            }
            let kind = u16::from_ne_bytes([buf[off + 4], buf[off + 5]]);
            match kind {
                NLMSG_DONE => return Ok(out),
                NLMSG_ERROR if len >= 20 => {
                    let errno = -(word(off + 16) as i32);
                    if errno != 0 {
                        return Err(NftError::kernel("dump", errno));
                    }
                }
                _ if len >= 20 => out.push(Raw {
                    family: buf[off + 16],
                    attrs: attrs(&buf[off + 20..off + len]),
                }),
                _ => {}
            }
            off += (len + 3) & !3;
        }
    }
}
