//! A fast reader for json-file log lines in the shape berth's log writer (and Docker's)
//! writes them: `{"log":"...","stream":"stdout","time":"..."}`. Reading back a million
//! lines is mostly this parse, so the common shape is scanned directly, borrowing the
//! line and unescaping into a reused buffer only when the text has escapes. Any other
//! shape (keys reordered, extra keys, spaces) returns `None` and the caller falls back to
//! serde_json, so every valid line still reads.

use super::logs::Stream;

/// One line's fields, borrowed from the line (or the scratch buffer for unescaped text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    /// Its stream.
    pub stream: Stream,
    /// The recorded time (RFC 3339).
    pub time: &'a str,
    /// The text, unescaped.
    pub text: &'a str,
}

/// Parses `line` (with or without its newline) if it has the writer's shape.
pub fn parse<'a>(line: &'a [u8], scratch: &'a mut String) -> Option<Fields<'a>> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let rest = line.strip_prefix(b"{\"log\":\"")?;
    let (text, rest) = string(rest, scratch)?;
    let rest = rest.strip_prefix(b",\"stream\":\"")?;
    let (stream, rest) = plain(rest)?;
    let rest = rest.strip_prefix(b",\"time\":\"")?;
    let (time, rest) = plain(rest)?;
    if rest != b"}" {
        return None;
    }
    let stream = match stream {
        "stdout" => Stream::Stdout,
        "stderr" => Stream::Stderr,
        _ => return None,
    };
    Some(Fields { stream, time, text })
}

/// A string without escapes up to its closing quote; returns it and what follows the quote.
fn plain(s: &[u8]) -> Option<(&str, &[u8])> {
    let end = s.iter().position(|&b| stops(b))?;
    if s[end] != b'"' {
        return None;
    }
    Some((std::str::from_utf8(&s[..end]).ok()?, &s[end + 1..]))
}

/// A JSON string body up to its closing quote, unescaped (into `scratch` when it has
/// escapes); returns it and what follows the quote.
fn string<'a>(s: &'a [u8], scratch: &'a mut String) -> Option<(&'a str, &'a [u8])> {
    let first = s.iter().position(|&b| stops(b))?;
    if s[first] == b'"' {
        return Some((std::str::from_utf8(&s[..first]).ok()?, &s[first + 1..]));
    }
    if s[first] != b'\\' {
        return None;
    }
    scratch.clear();
    let mut bytes = std::mem::take(scratch).into_bytes();
    let mut i = 0;
    loop {
        let run = s[i..].iter().position(|&b| stops(b))?;
        bytes.extend_from_slice(&s[i..i + run]);
        i += run;
        if s[i] == b'"' {
            break;
        }
        if s[i] != b'\\' {
            return None;
        }
        let esc = *s.get(i + 1)?;
        i += 2;
        match esc {
            b'n' => bytes.push(b'\n'),
            b't' => bytes.push(b'\t'),
            b'r' => bytes.push(b'\r'),
            b'"' => bytes.push(b'"'),
            b'\\' => bytes.push(b'\\'),
            b'/' => bytes.push(b'/'),
            b'b' => bytes.push(0x08),
            b'f' => bytes.push(0x0c),
            b'u' => {
                let mut c = hex4(s.get(i..i + 4)?)?;
                i += 4;
                if (0xD800..0xDC00).contains(&c) {
                    // A surrogate pair: `\uD83D\uDE00`.
                    if s.get(i..i + 2)? != b"\\u" {
                        return None;
                    }
                    let low = hex4(s.get(i + 2..i + 6)?)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    i += 6;
                    c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                }
                let ch = char::from_u32(c)?;
                let mut b = [0u8; 4];
                bytes.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
            }
            _ => return None,
        }
    }
    *scratch = String::from_utf8(bytes).ok()?;
    Some((scratch.as_str(), &s[i + 1..]))
}

/// Where a scan of a JSON string stops: its closing quote, an escape, or a control
/// character (JSON has none raw in a string: the line is not the writer's, serde decides).
fn stops(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

fn hex4(h: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &b in h {
        v = v * 16 + (b as char).to_digit(16)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::observe::logs::parse_line;

    /// The fast reader agrees with serde_json on every line it accepts.
    fn same_as_serde(line: &[u8]) -> bool {
        let mut scratch = String::new();
        let fast = parse(line, &mut scratch);
        let slow = parse_line(line);
        match (fast, slow) {
            (Some(f), Some(s)) => f.text == s.text && f.time == s.time && f.stream == s.stream,
            (None, _) => true,
            (Some(_), None) => false,
        }
    }

    #[test]
    fn reads_the_writers_lines() {
        let mut scratch = String::new();
        let l = parse(
            br#"{"log":"plain\n","stream":"stderr","time":"2026-11-27T10:00:00.1Z"}"#,
            &mut scratch,
        )
        .expect("parse");
        assert_eq!(l.text, "plain\n");
        assert_eq!(l.stream, Stream::Stderr);
        assert_eq!(l.time, "2026-11-27T10:00:00.1Z");
        let l = parse(
            b"{\"log\":\"no newline\",\"stream\":\"stdout\",\"time\":\"t\"}\n",
            &mut scratch,
        )
        .expect("parse");
        assert_eq!(l.text, "no newline");
    }

    #[test]
    fn unescapes_like_serde() {
        for line in [
            &br#"{"log":"a \"q\" \\ back\ttab\u001b[31mred\u00e9 \ud83d\ude00 /\/\n","stream":"stdout","time":"t"}"#[..],
            br#"{"log":"\u003chtml\u003e \u0026","stream":"stdout","time":"t"}"#,
            "{\"log\":\"caf\u{e9} ünï\\n\",\"stream\":\"stdout\",\"time\":\"t\"}".as_bytes(),
        ] {
            let mut scratch = String::new();
            assert!(parse(line, &mut scratch).is_some(), "{}", String::from_utf8_lossy(line));
            assert!(same_as_serde(line), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn other_shapes_fall_back() {
        for line in [
            &br#"{"stream":"stdout","log":"x\n","time":"t"}"#[..],
            br#"{"log":"x\n", "stream":"stdout","time":"t"}"#,
            br#"{"log":"x\n","stream":"stdout","time":"t","attrs":{}}"#,
            br#"{"log":"bad \x","stream":"stdout","time":"t"}"#,
            br#"{"log":"half \ud83d","stream":"stdout","time":"t"}"#,
            br#"{"log":"cut"#,
            b"not json",
            // Raw control characters (found by the property test): not JSON, serde refuses.
            b"{\"log\":\"\r\",\"stream\":\"stderr\",\"time\":\"t\"}",
            b"{\"log\":\"a\\n\tb\",\"stream\":\"stdout\",\"time\":\"t\"}",
            b"{\"log\":\"a\",\"stream\":\"stdout\",\"time\":\"t\x01\"}",
        ] {
            let mut scratch = String::new();
            assert!(
                parse(line, &mut scratch).is_none(),
                "{}",
                String::from_utf8_lossy(line)
            );
            assert!(same_as_serde(line));
        }
    }

    mod props {
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(crate::engine::fuzzing::cases(512)))]
            /// Every line the log writer (serde_json) writes is read by the fast reader,
            /// the same as serde_json reads it.
            #[test]
            fn the_writers_lines_take_the_fast_path(text in any::<String>(), err in any::<bool>()) {
                let stream = if err { "stderr" } else { "stdout" };
                let line = serde_json::to_vec(&serde_json::json!({
                    "log": text, "stream": stream, "time": "2026-12-05T09:00:00.000000001Z"
                })).expect("encode");
                let mut scratch = String::new();
                let fast = super::parse(&line, &mut scratch).expect("the fast reader reads it");
                prop_assert_eq!(fast.text, text.as_str());
                crate::engine::fuzzing::json_log(&line);
            }

            /// Hand-made lines with escapes, quotes and raw control characters: the fast
            /// reader accepts only what serde_json reads the same way.
            #[test]
            fn fast_reader_agrees_with_serde(
                body in r#"([a-z"/ é]|\\[nrtbf"/\\x]|\\u[0-9a-fA-F]{0,4}|\\u[dD][89abAB][0-9a-f]{2}|[\x00-\x1f])*"#,
                stream in "stdout|stderr|other",
            ) {
                let line = format!(r#"{{"log":"{body}","stream":"{stream}","time":"t"}}"#);
                crate::engine::fuzzing::json_log(line.as_bytes());
            }
        }
    }
}
