//! Tab completion in the palette: the first word from the palette's views and berth's
//! commands, a group's subcommands (`network cr` -> `network create`), and names of
//! containers, images or networks where a command takes one.

use super::commands::command_words;
use super::state::WORDS;
use std::sync::OnceLock;

/// What completion can offer besides fixed words: the names the dashboard knows.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Container names.
    pub containers: Vec<String>,
    /// Image references.
    pub images: Vec<String>,
    /// Network names.
    pub networks: Vec<String>,
}

/// Groups of berth commands (their second word is a subcommand).
const GROUPS: &[&str] = &[
    "container",
    "image",
    "network",
    "volume",
    "system",
    "builder",
];

/// Commands (first word, or group and subcommand) whose arguments are containers.
const ON_CONTAINERS: &[&str] = &[
    "logs", "stats", "top", "shell", "start", "stop", "restart", "kill", "rm", "pause", "unpause",
    "wait", "rename", "inspect", "diff", "exec", "attach", "port", "export", "cp",
];

/// Commands whose arguments are images.
const ON_IMAGES: &[&str] = &["run", "create", "rmi", "tag", "history", "push", "save"];

/// Network subcommands whose arguments are networks.
const ON_NETWORKS: &[&str] = &["rm", "inspect", "connect", "disconnect"];

/// The first words: the palette's views, then berth's commands.
fn first_words() -> &'static [String] {
    static WORDS_CACHE: OnceLock<Vec<String>> = OnceLock::new();
    WORDS_CACHE.get_or_init(|| {
        let mut words: Vec<String> = WORDS.iter().map(|(w, _, _)| w.to_string()).collect();
        for w in command_words(None) {
            if !words.contains(&w) {
                words.push(w);
            }
        }
        words
    })
}

/// The candidates for the last word of `input` (after its last space).
pub fn candidates(input: &str, names: &Names) -> Vec<String> {
    let words: Vec<&str> = input.split_whitespace().collect();
    let typing_new = input.is_empty() || input.ends_with(' ');
    let (done, partial) = if typing_new {
        (&words[..], "")
    } else {
        (&words[..words.len() - 1], words[words.len() - 1])
    };
    let done: Vec<&str> = done.iter().copied().skip_while(|w| *w == "berth").collect();
    if partial.starts_with('-') {
        return vec![];
    }
    let pool: Vec<String> = match done.as_slice() {
        [] => first_words().to_vec(),
        [group] if GROUPS.contains(group) => command_words(Some(group)),
        ["network", sub, ..] if ON_NETWORKS.contains(sub) => names.networks.clone(),
        [group, sub, ..] if GROUPS.contains(group) && ON_CONTAINERS.contains(sub) => {
            names.containers.clone()
        }
        ["image", sub, ..] if ON_IMAGES.contains(sub) || *sub == "inspect" => names.images.clone(),
        [first, ..] if ON_CONTAINERS.contains(first) => names.containers.clone(),
        [first, ..] if ON_IMAGES.contains(first) => names.images.clone(),
        _ => vec![],
    };
    pool.into_iter()
        .filter(|w| w.starts_with(partial))
        .collect()
}

/// `input` completed as far as its candidates agree (a word and a space when one is
/// left), and the candidates when several are.
pub fn complete(input: &str, names: &Names) -> (String, Vec<String>) {
    let found = candidates(input, names);
    let partial_len = if input.is_empty() || input.ends_with(' ') {
        0
    } else {
        input.rsplit(' ').next().map_or(0, str::len)
    };
    let head = &input[..input.len() - partial_len];
    match found.as_slice() {
        [] => (input.to_string(), vec![]),
        [one] => (format!("{head}{one} "), vec![]),
        many => {
            let common = many.iter().skip(1).fold(many[0].clone(), |acc, w| {
                acc.chars()
                    .zip(w.chars())
                    .take_while(|(a, b)| a == b)
                    .map(|(a, _)| a)
                    .collect()
            });
            let text = if common.len() > partial_len {
                format!("{head}{common}")
            } else {
                input.to_string()
            };
            (text, found)
        }
    }
}
