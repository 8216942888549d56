//! Running a command with bytes on its standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `cmd` with `input` on its standard input (closed after it, so the command sees its
/// end) and its standard output captured; its standard error is as `cmd` set it.
pub fn output_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {cmd:?}: {e}"));
    let mut pipe = child.stdin.take().expect("stdin");
    pipe.write_all(input).expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("wait")
}
