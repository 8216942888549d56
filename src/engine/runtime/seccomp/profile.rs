//! Docker's seccomp profile format (the JSON of `--security-opt seccomp=FILE`), read with
//! serde and checked before anything is compiled, so a bad profile is refused at create.

use super::error::SeccompError;
use serde::{Deserialize, Serialize};

/// A whole profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// What a system call no rule matches gets (`SCMP_ACT_ERRNO`, ...).
    pub default_action: String,
    /// The errno of an `SCMP_ACT_ERRNO` default action (EPERM when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_errno_ret: Option<u32>,
    /// Architectures the filter also accepts (besides the native one).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub architectures: Vec<String>,
    /// Per native architecture, the sub-architectures the filter also accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arch_map: Vec<ArchMap>,
    /// The rules, in order.
    #[serde(default)]
    pub syscalls: Vec<Rule>,
}

/// One entry of `archMap`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArchMap {
    /// The native architecture (`SCMP_ARCH_X86_64`).
    pub architecture: String,
    /// Its companions (`SCMP_ARCH_X86`, `SCMP_ARCH_X32`).
    #[serde(default)]
    pub sub_architectures: Option<Vec<String>>,
}

/// One rule: an action for some system calls, maybe only with some arguments, maybe only
/// with some capabilities or on some architectures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// The system calls' names (unknown ones are passed over, as Docker does).
    #[serde(default)]
    pub names: Vec<String>,
    /// The older format's single name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `SCMP_ACT_ALLOW`, `SCMP_ACT_ERRNO`, ...
    pub action: String,
    /// The errno of an `SCMP_ACT_ERRNO` action (EPERM when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errno_ret: Option<u32>,
    /// Conditions on the arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Arg>,
    /// The rule applies only when all of these hold.
    #[serde(default)]
    pub includes: Filter,
    /// The rule does not apply when any of these holds.
    #[serde(default)]
    pub excludes: Filter,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A condition on one argument.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arg {
    /// Which argument (0..=5).
    pub index: u32,
    /// The value compared with (for `SCMP_CMP_MASKED_EQ`: the mask).
    pub value: u64,
    /// For `SCMP_CMP_MASKED_EQ`: the value the masked argument must equal.
    #[serde(default)]
    pub value_two: u64,
    /// `SCMP_CMP_EQ`, `SCMP_CMP_NE`, `SCMP_CMP_LT`, `SCMP_CMP_LE`, `SCMP_CMP_GE`,
    /// `SCMP_CMP_GT`, `SCMP_CMP_MASKED_EQ`.
    pub op: String,
}

/// When a rule applies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filter {
    /// Capabilities (`CAP_SYS_ADMIN`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<String>,
    /// Architectures, in Go's names (`amd64`, `arm64`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arches: Vec<String>,
    /// The lowest kernel version (`4.8`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_kernel: Option<String>,
}

impl Rule {
    /// Every name of the rule (`names` and the older `name`).
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        self.names
            .iter()
            .map(String::as_str)
            .chain(self.name.as_deref())
    }
}

/// The actions berth knows; anything else is refused when the profile is read.
const ACTIONS: &[&str] = &[
    "SCMP_ACT_ALLOW",
    "SCMP_ACT_ERRNO",
    "SCMP_ACT_KILL",
    "SCMP_ACT_KILL_THREAD",
    "SCMP_ACT_KILL_PROCESS",
    "SCMP_ACT_TRAP",
    "SCMP_ACT_LOG",
    "SCMP_ACT_TRACE",
];

/// The comparison operators of `args`.
const OPS: &[&str] = &[
    "SCMP_CMP_EQ",
    "SCMP_CMP_NE",
    "SCMP_CMP_LT",
    "SCMP_CMP_LE",
    "SCMP_CMP_GE",
    "SCMP_CMP_GT",
    "SCMP_CMP_MASKED_EQ",
];

impl Profile {
    /// Reads a profile from Docker's JSON, checking its actions and operators.
    pub fn from_json(text: &str) -> Result<Profile, SeccompError> {
        let p: Profile = serde_json::from_str(text)?;
        p.check()?;
        Ok(p)
    }

    fn check(&self) -> Result<(), SeccompError> {
        let action = |a: &str| {
            if ACTIONS.contains(&a) {
                Ok(())
            } else {
                Err(SeccompError::UnknownAction(a.to_string()))
            }
        };
        action(&self.default_action)?;
        for r in &self.syscalls {
            action(&r.action)?;
            for a in &r.args {
                if !OPS.contains(&a.op.as_str()) {
                    return Err(SeccompError::UnknownOperator(a.op.clone()));
                }
                if a.index > 5 {
                    return Err(SeccompError::ArgumentIndex(a.index));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_json_is_read_and_bad_actions_refused() {
        let p = Profile::from_json(
            r#"{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
                "archMap":[{"architecture":"SCMP_ARCH_X86_64","subArchitectures":null}],
                "syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW",
                  "args":[{"index":0,"value":7,"valueTwo":1,"op":"SCMP_CMP_MASKED_EQ"}],
                  "includes":{"caps":["CAP_SYS_ADMIN"],"minKernel":"4.8"}}]}"#,
        )
        .expect("profile");
        assert_eq!(p.default_errno_ret, Some(1));
        assert_eq!(p.syscalls[0].args[0].value_two, 1);
        assert_eq!(p.syscalls[0].includes.caps, ["CAP_SYS_ADMIN"]);
        let bad = Profile::from_json(r#"{"defaultAction":"SCMP_ACT_MAYBE"}"#);
        assert!(
            bad.expect_err("refused")
                .to_string()
                .contains("SCMP_ACT_MAYBE")
        );
        assert!(Profile::from_json("{").is_err());
    }
}
