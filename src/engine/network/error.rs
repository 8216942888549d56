//! The network module's errors: bad user input (ports, subnets, options) named with the
//! value and the flag it came in, and failed kernel requests (netlink, nftables, sockets,
//! /proc/sys) named with what was being done and to which interface, bridge or address.

use super::mtu;
use super::nft::NftError;

/// Why a network operation failed.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// A `--expose` value is not a port, a range or a protocol berth knows.
    #[error("invalid value '{value}' for --expose: {why}")]
    InvalidExpose {
        /// The value as given.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// A `-p` value is not `[ip:][host:]container[/proto]`.
    #[error("invalid port mapping '{value}': {why}")]
    InvalidPortMapping {
        /// The value as given.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// A published port cannot be bound on the host.
    #[error("bind for {address}/{protocol} failed: {why}")]
    PortUnavailable {
        /// `host_ip:host_port`.
        address: String,
        /// `tcp` or `udp`.
        protocol: String,
        /// `port is already allocated`, or the system's error.
        why: String,
    },
    /// A published port's host address is not an address.
    #[error("invalid host address '{0}'")]
    InvalidHostAddress(String),
    /// A subnet or range is not an IPv4 CIDR (or has host bits set).
    #[error("invalid {what} '{value}': {why}")]
    InvalidCidr {
        /// The flag or field (`subnet`, `ip-range`).
        what: String,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        why: String,
    },
    /// An MTU option is not a number in range.
    #[error(
        "invalid value '{value}' for option '{key}': the MTU must be a number from {} to {}",
        mtu::VALID.start(),
        mtu::VALID.end()
    )]
    InvalidMtu {
        /// The option's name.
        key: String,
        /// The value as given.
        value: String,
    },
    /// A driver option the bridge driver does not take.
    #[error(
        "unsupported network option '{0}': the bridge driver takes only '{opt}' (or '{short}')",
        opt = mtu::OPTION,
        short = mtu::SHORT_OPTION
    )]
    UnsupportedOption(String),
    /// A netlink request (links, addresses, routes) failed.
    #[error("{what}: {source}")]
    Netlink {
        /// What was asked, with the interface or address: `create veth 'vb1234abcd0'`.
        what: String,
        /// The kernel's answer.
        source: rtnetlink::Error,
    },
    /// An interface berth just made or needs is not there.
    #[error("network interface '{name}' not found {place}")]
    LinkMissing {
        /// The interface's name.
        name: String,
        /// `on the host` or `in the container`.
        place: &'static str,
    },
    /// An nftables request failed.
    #[error("{what}: {source}")]
    Firewall {
        /// What was being done: `firewall rules for 'berth0'`.
        what: String,
        /// The nftables error.
        source: NftError,
    },
    /// A file, socket or namespace operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done, with the path or address.
        what: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// A system call failed.
    #[error("{what}: {source}")]
    Sys {
        /// What was being done.
        what: String,
        /// The errno.
        source: nix::Error,
    },
    /// A network record holds a value berth cannot use.
    #[error("network '{network}': {why}")]
    BadRecord {
        /// The network's name.
        network: String,
        /// What is wrong.
        why: String,
    },
    /// The bridge or its firewall rules could not be made (what was made is undone).
    #[error("cannot create network '{network}': {source}")]
    CreateFailed {
        /// The network's name.
        network: String,
        /// What failed.
        source: Box<NetworkError>,
    },
    /// The bridge or its firewall rules could not be removed.
    #[error("cannot remove network '{network}': {source}")]
    RemoveFailed {
        /// The network's name.
        network: String,
        /// What failed.
        source: Box<NetworkError>,
    },
    /// A running container could not be given its interface on a network.
    #[error("cannot connect '{container}': {source}")]
    ConnectFailed {
        /// The container's name.
        container: String,
        /// What failed.
        source: Box<NetworkError>,
    },
    /// A running container's interface could not be removed.
    #[error("cannot disconnect '{container}': {source}")]
    DisconnectFailed {
        /// The container's name.
        container: String,
        /// What failed.
        source: Box<NetworkError>,
    },
    /// A DNS log entry could not be encoded.
    #[error("cannot encode a DNS log entry: {0}")]
    DnsLogEncode(serde_json::Error),
    /// The helper thread that runs netlink requests panicked.
    #[error("netlink thread panicked")]
    ThreadPanicked,
}

impl NetworkError {
    /// A failed I/O call, with what was being done.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> NetworkError {
        NetworkError::Io {
            what: what.into(),
            source,
        }
    }
    /// A failed netlink request, with what was asked.
    pub fn netlink(what: impl Into<String>, source: rtnetlink::Error) -> NetworkError {
        NetworkError::Netlink {
            what: what.into(),
            source,
        }
    }
    /// A failed nftables request, with what was being done.
    pub fn firewall(what: impl Into<String>, source: NftError) -> NetworkError {
        NetworkError::Firewall {
            what: what.into(),
            source,
        }
    }
}

/// The network module's result type.
pub type Result<T> = std::result::Result<T, NetworkError>;
