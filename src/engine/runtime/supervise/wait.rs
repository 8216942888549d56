//! One poll of the loop: every source's descriptor with the events wanted, a timeout for
//! the next timer (output drain, the network service, the CPU sampler, the idle trim).

use super::{IDLE_TRIM, Loop, Slot};
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::{Duration, Instant};

impl Loop<'_> {
    /// Polls every source; returns the slots and their readiness.
    pub(super) fn wait(&mut self) -> Option<(Vec<Slot>, Vec<PollFlags>)> {
        let mut slots = Vec::new();
        let mut fds: Vec<PollFd> = Vec::new();
        let mut deadline: Option<Instant> = None;
        let mut timer: Option<Instant> = None;
        for (pi, p) in self.procs.iter().enumerate() {
            for (si, fd) in p.out.iter().enumerate() {
                if let Some(fd) = fd {
                    fds.push(PollFd::new(fd.as_fd(), PollFlags::POLLIN));
                    slots.push(Slot::Out(pi, si));
                }
            }
            if let (None, Some(pf)) = (p.status, &p.pidfd) {
                fds.push(PollFd::new(pf.as_fd(), PollFlags::POLLIN));
                slots.push(Slot::Exit(pi));
            }
            if let Some(d) = p.drain_until {
                deadline = Some(deadline.map_or(d, |x: Instant| x.min(d)));
            }
        }
        fds.push(PollFd::new(self.listener.as_fd(), PollFlags::POLLIN));
        slots.push(Slot::Listener);
        for (i, c) in self.clients.iter().enumerate() {
            let mut ev = PollFlags::POLLIN;
            if !c.out.is_empty() {
                ev |= PollFlags::POLLOUT;
            }
            // SAFETY: the client's socket outlives this poll call.
            let bfd = unsafe { BorrowedFd::borrow_raw(c.stream.as_raw_fd()) };
            fds.push(PollFd::new(bfd, ev));
            slots.push(Slot::Client(i));
        }
        for (which, x) in self.extra.iter_mut().enumerate() {
            if let Some(w) = x.tick() {
                let at = Instant::now() + w;
                // A far timer (the next healthcheck probe) is no work in progress: the
                // loop still counts as idle until then.
                let slot = if w > IDLE_TRIM {
                    &mut timer
                } else {
                    &mut deadline
                };
                *slot = Some(slot.map_or(at, |d: Instant| d.min(at)));
            }
            for (fd, ev, token) in x.interest() {
                // SAFETY: the poller owns these descriptors and keeps them open until its
                // next `ready`/`interest` call, after this poll returns.
                fds.push(PollFd::new(unsafe { BorrowedFd::borrow_raw(fd) }, ev));
                slots.push(Slot::Extra(which, token));
            }
        }
        // Idle (nothing but the sampler's timer to wait for): after IDLE_TRIM without
        // activity, give the clean pages back once.
        let trim_at = (deadline.is_none() && !self.trimmed).then(|| self.active_at + IDLE_TRIM);
        let wake = [deadline, timer, trim_at, self.cpu.as_ref().map(|c| c.due())]
            .into_iter()
            .flatten()
            .min();
        let timeout = match wake {
            // Rounded up to the next millisecond: no early wake-up to wait again.
            Some(d) => PollTimeout::try_from(
                d.saturating_duration_since(Instant::now()) + Duration::from_micros(999),
            )
            .unwrap_or(PollTimeout::ZERO),
            None => PollTimeout::NONE,
        };
        let n = poll(&mut fds, timeout).ok()?;
        let now = Instant::now();
        if n > 0 {
            self.trimmed = false;
            self.active_at = now;
        } else if trim_at.is_some_and(|t| now >= t) {
            // Nothing happened for a while: what stays resident while idle is the shim's
            // own memory, not the code pages setup and the last activity touched.
            self.clean_pages = super::super::idle::drop_clean_file_pages();
            self.trimmed = true;
        }
        let sampled = self.cpu.as_mut().is_some_and(|c| c.tick());
        if sampled && n == 0 && self.trimmed {
            // Idle still: the few code pages the sample (and this loop) faulted back in
            // go again, so an idle shim stays as small as before sampling existed.
            self.clean_pages.drop_again();
        }
        let ready = fds
            .iter()
            .map(|f| f.revents().unwrap_or(PollFlags::empty()))
            .collect();
        Some((slots, ready))
    }
}
