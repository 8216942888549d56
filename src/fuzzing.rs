//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature): one function per
//! input format, taking raw bytes. The engine's live in `engine::fuzzing` (they reach
//! its private parsers); the Go template one is here, over the CLI's `--format` code.
//! Each asserts properties that hold for any input; a violation panics.

pub use crate::engine::fuzzing::*;

/// A `--format` Go template: rewritten (`range` over maps in key order, `%v` printing),
/// parsed by gtmpl and rendered against a container-like document. Text outside actions
/// is kept byte for byte by the rewrite.
pub fn go_template(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    if !src.contains("{{") {
        assert_eq!(crate::cli::format::rewrite::rewrite(src), src);
    }
    let doc = serde_json::json!({
        "Id": "abc",
        "Names": ["/web"],
        "State": {"Pid": 1234, "Running": true, "ExitCode": 0},
        "Config": {"Cmd": ["sh", "-c", "echo hi"], "Labels": {"b": "2", "a": "1"}, "Env": []},
        "Ratio": 1.5,
        "Null": null
    });
    if let Ok(t) = crate::cli::format::Template::parse(src) {
        let _ = t.render(&doc);
    }
}
