//! Parsing the command line with clap, cheaply.
//!
//! Every subcommand enum is `#[command(defer = true)]`: clap builds the flags of only the
//! command being run, not of all sixty (most of clap's start-up work: about 0.7 ms and 90
//! page faults of a 10 ms `run --rm`). A deferred build has one side effect this module
//! undoes: when a command's flags are built, the doc comment of its flags struct (`berth
//! ps`) replaces the description its enum variant gave it (`List containers`), and only
//! `--help` shows that description. So when help is asked for, the whole tree is built and
//! every description is put back.

use super::{Cli, Command, build, compose, container, image, kube, network, system, volume};
use clap::builder::StyledStr;
use clap::{CommandFactory, FromArgMatches, Subcommand};
use std::collections::HashMap;

/// `Cli::try_parse_from`, except that clap's tree of commands is not torn down afterwards
/// (the process exits soon; freeing it costs more than building it).
pub fn parse(args: &[String]) -> Result<Cli, clap::Error> {
    let mut command = Cli::command();
    if args.iter().skip(1).any(|a| a == "-h" || a == "--help") {
        command = with_variant_descriptions(command);
    }
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|mut m| {
            let cli = Cli::from_arg_matches_mut(&mut m);
            std::mem::forget(m);
            cli
        })
        .map_err(|e| e.format(&mut command));
    std::mem::forget(command);
    parsed
}

/// A command's descriptions: (`about`, `long_about`).
type Descriptions = (Option<StyledStr>, Option<StyledStr>);

/// Adds an enum's subcommands (each with its description, its flags deferred).
type Augment = fn(clap::Command) -> clap::Command;

/// The commands that group subcommands, with their enums' (eager) subcommand lists.
const GROUPS: &[(&str, Augment)] = &[
    (
        "container",
        container::ContainerCommand::augment_subcommands,
    ),
    ("image", image::ImageCommand::augment_subcommands),
    ("volume", volume::VolumeCommand::augment_subcommands),
    ("network", network::NetworkCommand::augment_subcommands),
    ("system", system::SystemCommand::augment_subcommands),
    ("builder", build::BuilderCommand::augment_subcommands),
    ("kube", kube::KubeCommand::augment_subcommands),
    ("compose", compose::ComposeCommand::augment_subcommands),
];

/// The variant descriptions of every command, by path (`["container", "ls"]`), read from
/// the enums before any deferred build has replaced them.
fn variant_descriptions() -> HashMap<Vec<String>, Descriptions> {
    let mut out = HashMap::new();
    let mut collect = |prefix: &[&str], parent: clap::Command| {
        for sub in parent.get_subcommands() {
            let mut path: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
            path.push(sub.get_name().to_string());
            out.insert(
                path,
                (sub.get_about().cloned(), sub.get_long_about().cloned()),
            );
        }
    };
    collect(
        &[],
        Command::augment_subcommands(clap::Command::new("berth")),
    );
    for (name, augment) in GROUPS {
        collect(&[name], augment(clap::Command::new(*name)));
    }
    out
}

/// Builds the whole tree and gives every command its variant's description back.
fn with_variant_descriptions(mut command: clap::Command) -> clap::Command {
    let descriptions = variant_descriptions();
    command.build();
    restore(&mut command, &mut Vec::new(), &descriptions);
    command
}

fn restore(
    command: &mut clap::Command,
    path: &mut Vec<String>,
    descriptions: &HashMap<Vec<String>, Descriptions>,
) {
    for sub in command.get_subcommands_mut() {
        path.push(sub.get_name().to_string());
        if let Some((about, long_about)) = descriptions.get(path.as_slice()) {
            let taken = std::mem::take(sub);
            let taken = match about {
                Some(a) => taken.about(a.clone()),
                None => taken.about(None::<&'static str>),
            };
            *sub = match long_about {
                Some(a) => taken.long_about(a.clone()),
                None => taken.long_about(None::<&'static str>),
            };
        }
        restore(sub, path, descriptions);
        path.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command that has subcommands is in GROUPS, so its subcommands' descriptions
    /// are restored too.
    #[test]
    fn every_group_is_listed() {
        let mut command = Cli::command();
        command.build();
        for sub in command.get_subcommands() {
            if sub.has_subcommands() {
                assert!(
                    GROUPS.iter().any(|(name, _)| *name == sub.get_name()),
                    "'{}' has subcommands but is not in GROUPS",
                    sub.get_name()
                );
            }
        }
    }

    /// With help asked for, every command shows its variant's description, never the doc
    /// comment of its flags struct (those name the command in backquotes).
    #[test]
    fn help_shows_the_variant_descriptions() {
        let mut command = with_variant_descriptions(Cli::command());
        let mut seen = 0;
        let mut check = |c: &clap::Command| {
            let about = c.get_about().map(ToString::to_string).unwrap_or_default();
            assert!(
                !about.is_empty() && !about.contains('`'),
                "'{}' has the description {about:?}",
                c.get_name()
            );
            seen += 1;
        };
        for sub in command.get_subcommands_mut() {
            check(sub);
            for nested in sub.get_subcommands() {
                check(nested);
            }
        }
        assert!(seen > 60, "only {seen} commands");
        let run = command.find_subcommand("run").expect("run");
        assert_eq!(
            run.get_about().map(ToString::to_string).as_deref(),
            Some("Create and run a new container from an image")
        );
    }
}
