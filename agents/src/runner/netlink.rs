//! Bringing up the loopback interface of a fresh network namespace with one
//! rtnetlink message, as `ip link set lo up` does, so that the util-linux
//! sandbox needs no iproute2. Safe code: nix opens the socket, the message
//! is 32 bytes built here.

use std::fs::File;
use std::io::{Read, Write};

use nix::sys::socket::{AddressFamily, SockFlag, SockProtocol, SockType, socket};

/// `RTM_NEWLINK` (linux/rtnetlink.h).
const RTM_NEWLINK: u16 = 16;
/// `NLMSG_ERROR`: the kernel's acknowledgement (error 0) or error.
const NLMSG_ERROR: u16 = 2;
/// `NLM_F_REQUEST | NLM_F_ACK`.
const FLAGS: u16 = 0x1 | 0x4;
/// `IFF_UP`.
const IFF_UP: u32 = 0x1;
/// The loopback device's index in every network namespace
/// (`LOOPBACK_IFINDEX`).
const LOOPBACK_INDEX: i32 = 1;

/// `nlmsghdr` then `ifinfomsg` setting `IFF_UP` on the loopback device.
fn set_loopback_up_message() -> Vec<u8> {
    let mut m = Vec::with_capacity(32);
    m.extend_from_slice(&32u32.to_ne_bytes()); // nlmsg_len
    m.extend_from_slice(&RTM_NEWLINK.to_ne_bytes()); // nlmsg_type
    m.extend_from_slice(&FLAGS.to_ne_bytes()); // nlmsg_flags
    m.extend_from_slice(&1u32.to_ne_bytes()); // nlmsg_seq
    m.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid: the kernel assigns
    m.push(0); // ifi_family: AF_UNSPEC
    m.push(0); // padding
    m.extend_from_slice(&0u16.to_ne_bytes()); // ifi_type
    m.extend_from_slice(&LOOPBACK_INDEX.to_ne_bytes()); // ifi_index
    m.extend_from_slice(&IFF_UP.to_ne_bytes()); // ifi_flags
    m.extend_from_slice(&IFF_UP.to_ne_bytes()); // ifi_change
    m
}

/// Brings `lo` up in the calling thread's network namespace.
pub fn loopback_up() -> std::io::Result<()> {
    let fd = socket(
        AddressFamily::Netlink,
        SockType::Raw,
        SockFlag::SOCK_CLOEXEC,
        SockProtocol::NetlinkRoute,
    )
    .map_err(std::io::Error::from)?;
    // An unbound netlink socket writes to the kernel and reads its answers.
    let mut sock = File::from(fd);
    sock.write_all(&set_loopback_up_message())?;
    let mut answer = [0u8; 512];
    let n = sock.read(&mut answer)?;
    parse_ack(answer.get(..n).unwrap_or_default())
}

/// The kernel's answer: an `NLMSG_ERROR` whose error is 0, or the error.
fn parse_ack(a: &[u8]) -> std::io::Result<()> {
    let field = |at: usize, len: usize| a.get(at..at + len);
    let bad = || std::io::Error::other("rtnetlink: unexpected answer to RTM_NEWLINK");
    let kind = field(4, 2)
        .and_then(|b| b.try_into().ok())
        .map(u16::from_ne_bytes)
        .ok_or_else(bad)?;
    if kind != NLMSG_ERROR {
        return Err(bad());
    }
    let errno = field(16, 4)
        .and_then(|b| b.try_into().ok())
        .map(i32::from_ne_bytes)
        .ok_or_else(bad)?;
    match errno {
        0 => Ok(()),
        e => Err(std::io::Error::from_raw_os_error(-e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_is_32_bytes_asking_for_an_ack() {
        let m = set_loopback_up_message();
        assert_eq!(m.len(), 32);
        assert_eq!(u32::from_ne_bytes([m[0], m[1], m[2], m[3]]), 32);
        assert_eq!(u16::from_ne_bytes([m[6], m[7]]), FLAGS);
    }

    #[test]
    fn acks_and_errors_are_told_apart() {
        let mut ack = vec![0u8; 36];
        ack[4..6].copy_from_slice(&NLMSG_ERROR.to_ne_bytes());
        assert!(parse_ack(&ack).is_ok());
        ack[16..20].copy_from_slice(&(-1i32).to_ne_bytes());
        let err = parse_ack(&ack).expect_err("EPERM");
        assert_eq!(err.raw_os_error(), Some(1));
        assert!(parse_ack(&[0u8; 3]).is_err());
    }
}
