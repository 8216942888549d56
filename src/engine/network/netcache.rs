//! The network records as the embedded DNS server reads them: kept between queries while
//! the records directory is unchanged, so a burst of queries does not re-read every JSON
//! file each time.
//!
//! Every change to a record renames a file into `networks/`, which updates the directory's
//! modification time. That time is coarse (the kernel's tick), so a listing is reused
//! only when it was read after the directory had stayed unchanged for `SETTLED`: a change
//! made in the same tick as the read can then not go unseen.

use super::{Network, store};
use crate::engine::store::Paths;
use std::time::{Duration, SystemTime};

/// How old the directory's modification time must be for a listing to be reused.
const SETTLED: Duration = Duration::from_millis(100);

/// A cached listing of `networks/`.
#[derive(Default)]
pub struct NetCache {
    stamp: Option<SystemTime>,
    nets: Vec<Network>,
}

impl NetCache {
    /// Every network record, read again when the directory changed.
    pub fn networks(&mut self, paths: &Paths) -> &[Network] {
        let mtime = std::fs::metadata(store::dir(paths))
            .and_then(|m| m.modified())
            .ok();
        if mtime.is_none() || mtime != self.stamp {
            self.nets = store::list_raw(paths);
            let settled =
                mtime.and_then(|m| SystemTime::now().duration_since(m).ok()) >= Some(SETTLED);
            self.stamp = if settled { mtime } else { None };
        }
        &self.nets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_directory_is_read_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = Paths::new(dir.path());
        std::fs::create_dir_all(store::dir(&paths)).expect("mkdir");
        let mut c = NetCache::default();
        assert!(c.networks(&paths).is_empty());
        let n = Network {
            id: crate::engine::NetworkId::from_trusted("a".repeat(64)),
            name: "app".into(),
            driver: "bridge".into(),
            created: chrono::Utc::now(),
            subnet: None,
            gateway: None,
            ip_range: None,
            internal: false,
            labels: Default::default(),
            bridge: String::new(),
            endpoints: Default::default(),
            mtu: None,
        };
        store::save(&paths, &n).expect("save");
        assert_eq!(c.networks(&paths).len(), 1);
        std::thread::sleep(SETTLED * 2);
        assert_eq!(c.networks(&paths).len(), 1);
        assert!(c.stamp.is_some(), "a settled listing is kept");
        store::delete(&paths, &n.id).expect("delete");
        assert!(c.networks(&paths).is_empty());
    }
}
