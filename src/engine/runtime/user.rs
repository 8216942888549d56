//! Resolving `-u user[:group]` against the container's own /etc/passwd and /etc/group.

use super::error::RuntimeError;

/// The identity the container's process runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// User id.
    pub uid: u32,
    /// Primary group id.
    pub gid: u32,
    /// Supplementary groups.
    pub groups: Vec<u32>,
    /// Home directory from passwd (for `HOME`).
    pub home: String,
}

struct PasswdEntry {
    name: String,
    uid: u32,
    gid: u32,
    home: String,
}

fn passwd_entries(passwd: &str) -> Vec<PasswdEntry> {
    passwd
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            (f.len() >= 6).then(|| PasswdEntry {
                name: f[0].to_string(),
                uid: f[2].parse().unwrap_or(u32::MAX),
                gid: f[3].parse().unwrap_or(u32::MAX),
                home: f[5].to_string(),
            })
        })
        .filter(|e| e.uid != u32::MAX)
        .collect()
}

/// `(name, gid, members)` of each group line.
fn group_entries(group: &str) -> Vec<(String, u32, Vec<String>)> {
    group
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(':').collect();
            let gid = f.get(2)?.parse().ok()?;
            let members = f
                .get(3)
                .map(|m| {
                    m.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            Some((f[0].to_string(), gid, members))
        })
        .collect()
}

/// [`resolve`] for a process to run as: the ids must also be ones Linux lets a process take
/// (up to 2^31-1; above, and 4294967295 is -1, setgid/setuid say EINVAL). A file's owner
/// (a build's `COPY --chown`) may be any id but -1, so the build uses [`resolve`].
pub fn resolve_for_process(
    spec: &str,
    passwd: &str,
    group: &str,
) -> Result<Identity, RuntimeError> {
    let id = resolve(spec, passwd, group)?;
    let max = crate::engine::lifecycle::create::MAX_ID;
    if let Some(bad) = [id.uid, id.gid]
        .into_iter()
        .chain(id.groups.iter().copied())
        .find(|&i| u64::from(i) > max)
    {
        return Err(RuntimeError::IdOutOfRange {
            spec: spec.to_string(),
            id: bad,
            max,
        });
    }
    Ok(id)
}

/// Resolves `spec` (`""`, `name`, `uid`, `name:group`, `uid:gid`) with the contents of the
/// container's passwd and group files. Numeric ids need no entry, as in Docker.
pub fn resolve(spec: &str, passwd: &str, group: &str) -> Result<Identity, RuntimeError> {
    let (user, grp) = match spec.split_once(':') {
        Some((u, g)) => (u, Some(g)),
        None => (spec, None),
    };
    let users = passwd_entries(passwd);
    let groups = group_entries(group);
    let user = if user.is_empty() { "0" } else { user };
    let entry = match user.parse::<u32>() {
        Ok(uid) => users.iter().find(|e| e.uid == uid),
        Err(_) => Some(
            users
                .iter()
                .find(|e| e.name == user)
                .ok_or_else(|| RuntimeError::NoSuchUser(user.to_string()))?,
        ),
    };
    let uid = match user.parse::<u32>() {
        Ok(u) => u,
        Err(_) => entry.map(|e| e.uid).unwrap_or(0),
    };
    let mut gid = entry.map(|e| e.gid).unwrap_or(0);
    if let Some(g) = grp {
        gid = match g.parse::<u32>() {
            Ok(n) => n,
            Err(_) => groups
                .iter()
                .find(|(n, _, _)| n == g)
                .map(|(_, id, _)| *id)
                .ok_or_else(|| RuntimeError::NoSuchGroup(g.to_string()))?,
        };
    }
    let supplementary = match (entry, grp) {
        (Some(e), None) => groups
            .iter()
            .filter(|(_, id, members)| members.contains(&e.name) && *id != gid)
            .map(|(_, id, _)| *id)
            .collect(),
        _ => Vec::new(),
    };
    Ok(Identity {
        uid,
        gid,
        groups: supplementary,
        home: entry.map(|e| e.home.clone()).unwrap_or_else(|| "/".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nweb:x:1000:1000::/home/web:/bin/sh\n";
    const GROUP: &str = "root:x:0:\nweb:x:1000:\nadm:x:4:web\n";

    #[test]
    fn resolves_names_and_numbers() {
        let root = resolve("", PASSWD, GROUP).expect("root");
        assert_eq!((root.uid, root.gid, root.home.as_str()), (0, 0, "/root"));
        let web = resolve("web", PASSWD, GROUP).expect("web");
        assert_eq!(
            (web.uid, web.gid, web.groups.clone()),
            (1000, 1000, vec![4])
        );
        let n = resolve("1234:5678", PASSWD, GROUP).expect("numeric");
        assert_eq!((n.uid, n.gid), (1234, 5678));
        let g = resolve("nobody:adm", PASSWD, GROUP).expect("group name");
        assert_eq!((g.uid, g.gid), (65534, 4));
        assert!(resolve("ghost", PASSWD, GROUP).is_err());
        assert!(resolve("web:ghosts", PASSWD, GROUP).is_err());
    }
}
