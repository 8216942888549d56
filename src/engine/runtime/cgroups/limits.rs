//! Resource limits (`--memory`, `--cpus`, `--pids-limit`) as cgroup control files. The
//! files are written through [`ControlFiles`], so which file gets which value on v1 and v2
//! is unit-tested without root or a cgroup mount.

use super::super::error::{Result, RuntimeError};
use super::{CGROUP_ROOT, Cgroup, Layout};
use crate::engine::container::Resources;
use std::path::Path;

/// Where control files are written: the kernel's cgroup filesystem, or a recorder in tests.
pub trait ControlFiles {
    /// Writes `value` into the control file `file` of the cgroup directory `dir`.
    fn write(&mut self, dir: &Path, file: &str, value: &str) -> Result<()>;
    /// Writes where the kernel may not have the file (swap accounting off): errors ignored.
    fn write_if_present(&mut self, dir: &Path, file: &str, value: &str) {
        let _ = self.write(dir, file, value);
    }
}

/// The cgroup filesystem itself.
pub struct Kernel;

impl ControlFiles for Kernel {
    fn write(&mut self, dir: &Path, file: &str, value: &str) -> Result<()> {
        super::write(dir, file, value)
    }
}

impl Cgroup {
    /// Writes the limits of `res` into the container's control files.
    pub(super) fn apply_limits(&self, res: &Resources, files: &mut dyn ControlFiles) -> Result<()> {
        match self.layout {
            Layout::V1 => self.apply_v1(res, files),
            Layout::V2 => self.apply_v2(res, files),
        }
    }

    /// A limit was asked for but its controller is not mounted: refuse rather than run the
    /// container unconstrained (e.g. under `ip netns exec`, which mounts a fresh /sys).
    fn missing(controller: &str, flag: &str) -> RuntimeError {
        RuntimeError::MissingController {
            controller: controller.to_string(),
            flag: flag.to_string(),
            root: CGROUP_ROOT,
        }
    }

    fn check_v1(&self, res: &Resources) -> Result<()> {
        let wanted = [
            (res.memory.is_some(), "memory", "--memory"),
            (res.nano_cpus.is_some(), "cpu", "--cpus"),
            (res.pids_limit.is_some(), "pids", "--pids-limit"),
        ];
        for (asked, controller, flag) in wanted {
            if asked && self.dir(controller).is_none() {
                return Err(Self::missing(controller, flag));
            }
        }
        Ok(())
    }

    fn apply_v1(&self, res: &Resources, files: &mut dyn ControlFiles) -> Result<()> {
        self.check_v1(res)?;
        if let (Some(mem), Some(d)) = (res.memory, self.dir("memory")) {
            files.write(d, "memory.limit_in_bytes", &mem.to_string())?;
            // Swap is limited to the same amount (no extra swap), as with `--memory-swap` = memory.
            files.write_if_present(d, "memory.memsw.limit_in_bytes", &mem.to_string());
        }
        if let (Some(cpus), Some(d)) = (res.nano_cpus, self.dir("cpu")) {
            files.write(d, "cpu.cfs_period_us", "100000")?;
            files.write(d, "cpu.cfs_quota_us", &(cpus / 10_000).to_string())?;
        }
        if let (Some(pids), Some(d)) = (res.pids_limit, self.dir("pids")) {
            let v = if pids <= 0 {
                "max".to_string()
            } else {
                pids.to_string()
            };
            files.write(d, "pids.max", &v)?;
        }
        Ok(())
    }

    fn apply_v2(&self, res: &Resources, files: &mut dyn ControlFiles) -> Result<()> {
        let Some(d) = self.dir("unified") else {
            return Ok(());
        };
        if let Some(mem) = res.memory {
            files.write(d, "memory.max", &mem.to_string())?;
            files.write_if_present(d, "memory.swap.max", "0");
        }
        if let Some(cpus) = res.nano_cpus {
            files.write(d, "cpu.max", &format!("{} 100000", cpus / 10_000))?;
        }
        if let Some(pids) = res.pids_limit {
            let v = if pids <= 0 {
                "max".to_string()
            } else {
                pids.to_string()
            };
            files.write(d, "pids.max", &v)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn a_limit_without_its_controller_is_refused_not_ignored() {
        // No hierarchy mounted, as under `ip netns exec` (a fresh /sys).
        let none = Cgroup {
            layout: Layout::V1,
            dirs: vec![],
            extra_devices: vec![],
        };
        let res = Resources {
            memory: Some(32 << 20),
            ..Resources::default()
        };
        let e = none.check_v1(&res).expect_err("must refuse");
        assert!(e.to_string().contains("--memory"), "{e}");
        assert!(
            none.check_v1(&Resources::default()).is_ok(),
            "no limit, no need"
        );
        let pids_only = Cgroup {
            layout: Layout::V1,
            dirs: vec![("pids".into(), PathBuf::from("/nonexistent"))],
            extra_devices: vec![],
        };
        let res = Resources {
            pids_limit: Some(10),
            ..Resources::default()
        };
        assert!(pids_only.check_v1(&res).is_ok());
    }

    /// Records the writes instead of making them.
    #[derive(Default)]
    struct Recorder(Vec<(PathBuf, String, String)>);

    impl ControlFiles for Recorder {
        fn write(&mut self, dir: &Path, file: &str, value: &str) -> Result<()> {
            self.0
                .push((dir.to_path_buf(), file.to_string(), value.to_string()));
            Ok(())
        }
    }

    fn limits() -> Resources {
        Resources {
            memory: Some(64 << 20),
            nano_cpus: Some(1_500_000_000),
            pids_limit: Some(0),
        }
    }

    #[test]
    fn v2_limits_go_to_the_unified_files() {
        let dir = PathBuf::from("/cg/berth/c1");
        let cg = Cgroup {
            layout: Layout::V2,
            dirs: vec![("unified".into(), dir.clone())],
            extra_devices: vec![],
        };
        let mut files = Recorder::default();
        cg.apply_limits(&limits(), &mut files).expect("apply");
        let want = [
            ("memory.max", "67108864"),
            ("memory.swap.max", "0"),
            ("cpu.max", "150000 100000"),
            ("pids.max", "max"),
        ];
        let got: Vec<(&str, &str)> = files
            .0
            .iter()
            .inspect(|(d, _, _)| assert_eq!(d, &dir))
            .map(|(_, f, v)| (f.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn v1_limits_go_to_each_controller_s_own_hierarchy() {
        let dir = |c: &str| PathBuf::from(format!("/cg/{c}/berth/c1"));
        let cg = Cgroup {
            layout: Layout::V1,
            dirs: ["memory", "cpu", "pids"]
                .iter()
                .map(|c| (c.to_string(), dir(c)))
                .collect(),
            extra_devices: vec![],
        };
        let mut files = Recorder::default();
        cg.apply_limits(&limits(), &mut files).expect("apply");
        let got: Vec<(PathBuf, &str, &str)> = files
            .0
            .iter()
            .map(|(d, f, v)| (d.clone(), f.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (dir("memory"), "memory.limit_in_bytes", "67108864"),
                (dir("memory"), "memory.memsw.limit_in_bytes", "67108864"),
                (dir("cpu"), "cpu.cfs_period_us", "100000"),
                (dir("cpu"), "cpu.cfs_quota_us", "150000"),
                (dir("pids"), "pids.max", "max"),
            ]
        );
    }
}
