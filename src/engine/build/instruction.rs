//! The second pass: each logical line becomes a typed instruction, with its flags checked
//! and its words kept unexpanded (ARG and ENV values are known only while building).

use super::error::ParseError;
use super::forms::{
    cmd_form, healthcheck, json_array, key_values, quote_literal, take_flags, valid_name,
};
use super::lexer::{self, Heredoc, LogicalLine};
use super::words;

/// Shell form (`RUN echo hi`, run through the SHELL) or exec form (`RUN ["echo", "hi"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmdForm {
    /// The text handed to the shell.
    Shell(String),
    /// argv as written.
    Exec(Vec<String>),
}

/// The arguments of COPY and ADD.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CopyArgs {
    /// Source words (unexpanded); a heredoc's name for inline content.
    pub sources: Vec<String>,
    /// Destination word (unexpanded).
    pub dest: String,
    /// `--from=stage|image`.
    pub from: Option<String>,
    /// `--chown=user[:group]`.
    pub chown: Option<String>,
    /// `--chmod=octal`.
    pub chmod: Option<String>,
    /// Inline files (`COPY <<EOF /dest`).
    pub heredocs: Vec<Heredoc>,
}

/// HEALTHCHECK settings (durations in nanoseconds, as in the image config).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Health {
    /// `["CMD-SHELL", cmd]` or `["CMD", argv...]`.
    pub test: Vec<String>,
    /// `--interval`.
    pub interval: Option<i64>,
    /// `--timeout`.
    pub timeout: Option<i64>,
    /// `--start-period`.
    pub start_period: Option<i64>,
    /// `--retries`.
    pub retries: Option<u64>,
}

/// A Dockerfile instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `FROM image [AS name]`.
    From {
        /// The image word (unexpanded; global ARGs apply).
        image: String,
        /// The stage name.
        alias: Option<String>,
    },
    /// `RUN`.
    Run {
        /// The command.
        cmd: CmdForm,
        /// Heredocs following it.
        heredocs: Vec<Heredoc>,
    },
    /// `COPY`.
    Copy(CopyArgs),
    /// `ADD`.
    Add(CopyArgs),
    /// `ENV k=v ...` (key, unexpanded value).
    Env(Vec<(String, String)>),
    /// `ARG name[=default] ...`.
    Arg(Vec<(String, Option<String>)>),
    /// `LABEL k=v ...` (unexpanded key and value).
    Label(Vec<(String, String)>),
    /// `WORKDIR path`.
    Workdir(String),
    /// `USER user[:group]`.
    User(String),
    /// `STOPSIGNAL sig`.
    StopSignal(String),
    /// `EXPOSE port[/proto] ...`.
    Expose(Vec<String>),
    /// `VOLUME path ...`.
    Volume(Vec<String>),
    /// `CMD`.
    Cmd(CmdForm),
    /// `ENTRYPOINT`.
    Entrypoint(CmdForm),
    /// `SHELL ["exe", "arg"]`.
    Shell(Vec<String>),
    /// `HEALTHCHECK NONE` (None) or `HEALTHCHECK [flags] CMD ...`.
    Healthcheck(Option<Health>),
    /// `ONBUILD instruction` (its text, checked to parse).
    Onbuild(String),
    /// `MAINTAINER name` (sets the author).
    Maintainer(String),
}

/// One instruction with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// 1-based line number.
    pub line: usize,
    /// The keyword, uppercase.
    pub keyword: String,
    /// The text after the keyword, as written (continuations joined).
    pub args: String,
    /// What it does.
    pub command: Command,
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    /// Its name in messages.
    pub file: String,
    /// The escape character.
    pub escape: char,
    /// Instructions in order (ARGs before the first FROM included).
    pub instructions: Vec<Instruction>,
}

/// Parses a whole Dockerfile.
pub fn parse(src: &str, file: &str) -> Result<Dockerfile, ParseError> {
    let (dirs, lines) = lexer::split(src, file)?;
    let mut instructions = Vec::new();
    let mut seen_from = false;
    for l in lines {
        let ins = parse_line(&l, file, dirs.escape)?;
        match ins.command {
            Command::From { .. } => seen_from = true,
            Command::Arg(_) => {}
            _ if !seen_from => {
                return Err(ParseError::new(
                    file,
                    ins.line,
                    format!(
                        "'{}' comes before the first FROM: expected FROM (only ARG may come before it)",
                        ins.keyword
                    ),
                ));
            }
            _ => {}
        }
        instructions.push(ins);
    }
    if !seen_from {
        return Err(ParseError::new(
            file,
            1,
            "no build stage: expected at least one FROM instruction",
        ));
    }
    Ok(Dockerfile {
        file: file.to_string(),
        escape: dirs.escape,
        instructions,
    })
}

/// Where an instruction is, for error messages.
pub(super) struct Ctx<'a> {
    pub(super) file: &'a str,
    pub(super) line: usize,
    pub(super) keyword: String,
    pub(super) escape: char,
}

impl Ctx<'_> {
    pub(super) fn err(&self, msg: impl Into<String>) -> ParseError {
        ParseError::new(self.file, self.line, msg)
    }
}

fn parse_line(l: &LogicalLine, file: &str, escape: char) -> Result<Instruction, ParseError> {
    let (word, rest) = match l.text.find(char::is_whitespace) {
        Some(i) => (&l.text[..i], l.text[i..].trim()),
        None => (l.text.as_str(), ""),
    };
    let keyword = word.to_ascii_uppercase();
    let cx = Ctx {
        file,
        line: l.line,
        keyword: keyword.clone(),
        escape,
    };
    let command = command(&cx, rest, &l.heredocs)?;
    Ok(Instruction {
        line: l.line,
        keyword,
        args: rest.to_string(),
        command,
    })
}

const KNOWN: &[&str] = &[
    "FROM",
    "RUN",
    "COPY",
    "ADD",
    "ENV",
    "ARG",
    "LABEL",
    "WORKDIR",
    "USER",
    "STOPSIGNAL",
    "EXPOSE",
    "VOLUME",
    "CMD",
    "ENTRYPOINT",
    "SHELL",
    "HEALTHCHECK",
    "ONBUILD",
    "MAINTAINER",
];

fn command(cx: &Ctx, rest: &str, heredocs: &[Heredoc]) -> Result<Command, ParseError> {
    let k = cx.keyword.as_str();
    if !KNOWN.contains(&k) {
        return Err(cx.err(format!("unknown instruction '{k}'")));
    }
    let allowed: &[&str] = match k {
        "FROM" => &["platform"],
        "COPY" => &["from", "chown", "chmod"],
        "ADD" => &["chown", "chmod"],
        "HEALTHCHECK" => &[
            "interval",
            "timeout",
            "start-period",
            "start-interval",
            "retries",
        ],
        _ => &[],
    };
    let (flags, rest) = take_flags(cx, rest, allowed)?;
    if rest.is_empty() && !matches!(k, "HEALTHCHECK") {
        return Err(cx.err(format!("{k} requires at least one argument")));
    }
    let flag = |name: &str| {
        flags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let split = |s: &str| words::split(s, cx.escape).map_err(|e| cx.err(e.to_string()));
    Ok(match k {
        "FROM" => {
            let w = split(rest)?;
            match w.as_slice() {
                [image] => Command::From {
                    image: image.clone(),
                    alias: None,
                },
                [image, as_, name] if as_.eq_ignore_ascii_case("as") => {
                    let name = name.to_ascii_lowercase();
                    if !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
                    {
                        return Err(cx.err(format!(
                            "invalid stage name '{name}': expected letters, digits, '_', '.' or '-'"
                        )));
                    }
                    Command::From {
                        image: image.clone(),
                        alias: Some(name),
                    }
                }
                _ => {
                    return Err(cx.err(
                        "FROM takes an image and an optional 'AS name': expected FROM image [AS name]",
                    ));
                }
            }
        }
        "RUN" => Command::Run {
            cmd: cmd_form(cx, rest)?,
            heredocs: heredocs.to_vec(),
        },
        "COPY" | "ADD" => {
            let mut w = match json_array(cx, rest)? {
                Some(a) => a.into_iter().map(|s| quote_literal(&s)).collect(),
                None => split(rest)?,
            };
            if w.len() < 2 {
                return Err(cx.err(format!(
                    "{k} requires at least two arguments: expected {k} source... destination"
                )));
            }
            let dest = w.pop().unwrap_or_default();
            let args = CopyArgs {
                sources: w,
                dest,
                from: flag("from"),
                chown: flag("chown"),
                chmod: flag("chmod"),
                heredocs: heredocs.to_vec(),
            };
            if let Some(m) = &args.chmod
                && u32::from_str_radix(m, 8).is_err()
            {
                return Err(cx.err(format!(
                    "invalid --chmod '{m}': expected an octal mode such as 0755"
                )));
            }
            if k == "COPY" {
                Command::Copy(args)
            } else {
                Command::Add(args)
            }
        }
        "ENV" | "LABEL" => {
            let pairs = key_values(cx, rest, k == "ENV")?;
            if k == "ENV" {
                Command::Env(pairs)
            } else {
                Command::Label(pairs)
            }
        }
        "ARG" => {
            let mut out = Vec::new();
            for w in split(rest)? {
                let (name, dflt) = match w.split_once('=') {
                    Some((n, d)) => (n.to_string(), Some(d.to_string())),
                    None => (w.clone(), None),
                };
                if !valid_name(&name) {
                    return Err(cx.err(format!(
                        "invalid ARG name '{name}': expected a name such as VERSION or VERSION=1.0"
                    )));
                }
                out.push((name, dflt));
            }
            Command::Arg(out)
        }
        "WORKDIR" | "USER" | "STOPSIGNAL" | "MAINTAINER" | "ONBUILD" => {
            if k != "ONBUILD" && k != "MAINTAINER" && split(rest)?.len() != 1 {
                return Err(cx.err(format!("{k} requires exactly one argument")));
            }
            match k {
                "WORKDIR" => Command::Workdir(rest.to_string()),
                "USER" => Command::User(rest.to_string()),
                "STOPSIGNAL" => Command::StopSignal(rest.to_string()),
                "MAINTAINER" => Command::Maintainer(rest.to_string()),
                _ => {
                    let inner = LogicalLine {
                        line: cx.line,
                        text: rest.to_string(),
                        heredocs: Vec::new(),
                    };
                    let sub = parse_line(&inner, cx.file, cx.escape)?;
                    if matches!(sub.keyword.as_str(), "ONBUILD" | "FROM" | "MAINTAINER") {
                        return Err(cx.err(format!("'{}' is not allowed in ONBUILD", sub.keyword)));
                    }
                    Command::Onbuild(format!("{} {}", sub.keyword, sub.args))
                }
            }
        }
        "EXPOSE" => Command::Expose(split(rest)?),
        "VOLUME" => Command::Volume(match json_array(cx, rest)? {
            Some(a) => a.into_iter().map(|s| quote_literal(&s)).collect(),
            None => split(rest)?,
        }),
        "CMD" => Command::Cmd(cmd_form(cx, rest)?),
        "ENTRYPOINT" => Command::Entrypoint(cmd_form(cx, rest)?),
        "SHELL" => {
            match json_array(cx, rest)? {
                Some(a) if !a.is_empty() => Command::Shell(a),
                _ => return Err(cx.err(
                    "SHELL requires the exec form: expected SHELL [\"executable\", \"parameters\"]",
                )),
            }
        }
        _ => healthcheck(cx, rest, &flag)?,
    })
}

#[cfg(test)]
#[path = "instruction_tests.rs"]
mod tests;
