//! Tests of the instruction parser.

use super::super::forms::parse_duration;
use super::*;

fn one(src: &str) -> Result<Command, ParseError> {
    parse(&format!("FROM x\n{src}\n"), "Dockerfile").map(|d| d.instructions[1].command.clone())
}

#[test]
fn every_instruction_parses() {
    let src = "ARG V=1\nFROM busybox:${V} AS Build\nRUN echo hi\nRUN [\"sh\", \"-c\", \"x\"]\n\
        COPY --from=build --chown=1:2 --chmod=0644 a b /dst/\nADD x.tar /\nENV A=1 B=\"two words\"\nENV C legacy value\n\
        ARG X Y=2\nLABEL a=b\nWORKDIR /app\nUSER nobody\nSTOPSIGNAL SIGINT\nEXPOSE 80 53/udp\n\
        VOLUME [\"/data\"]\nVOLUME /a /b\nCMD [\"sh\"]\nENTRYPOINT top -b\nSHELL [\"/bin/sh\", \"-ec\"]\n\
        HEALTHCHECK --interval=5s --retries=3 CMD true\nHEALTHCHECK NONE\nONBUILD RUN echo later\nMAINTAINER me\n";
    let d = parse(src, "Dockerfile").expect("parse");
    assert_eq!(d.instructions.len(), 23);
    assert_eq!(
        d.instructions[1].command,
        Command::From {
            image: "busybox:${V}".into(),
            alias: Some("build".into())
        }
    );
    match &d.instructions[4].command {
        Command::Copy(c) => {
            assert_eq!(c.from.as_deref(), Some("build"));
            assert_eq!(c.chmod.as_deref(), Some("0644"));
            assert_eq!(c.sources, vec!["a", "b"]);
            assert_eq!(c.dest, "/dst/");
        }
        other => panic!("not a copy: {other:?}"),
    }
    assert_eq!(
        d.instructions[7].command,
        Command::Env(vec![("C".into(), "legacy value".into())])
    );
    match &d.instructions[19].command {
        Command::Healthcheck(Some(h)) => {
            assert_eq!(h.interval, Some(5_000_000_000));
            assert_eq!(h.test, vec!["CMD-SHELL", "true"]);
        }
        other => panic!("not a healthcheck: {other:?}"),
    }
}

#[test]
fn errors_name_the_line_and_what_was_expected() {
    let e = parse("FROM a\n\nFORM b\n", "Dockerfile").expect_err("unknown");
    assert_eq!(e.to_string(), "Dockerfile:3: unknown instruction 'FORM'");
    let e = parse("FROM a\nCMD [\"sh\", 1]\n", "Dockerfile").expect_err("json");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("invalid JSON array for CMD"), "{e}");
    assert!(one("CMD ['sh']").is_err(), "single quotes are not JSON");
    assert!(one("COPY onlyone").is_err());
    assert!(
        one("COPY --frm=x a b")
            .expect_err("flag")
            .message
            .contains("unknown flag '--frm'")
    );
    assert!(one("ENV novalue").is_err());
    assert!(one("WORKDIR").is_err());
    assert!(one("ONBUILD FROM x").is_err());
    assert!(parse("RUN x\nFROM a\n", "Dockerfile").is_err());
    assert!(parse("# only a comment\n", "Dockerfile").is_err());
    assert_eq!(
        one("RUN [ -f /x ]").expect("shell test"),
        Command::Run {
            cmd: CmdForm::Shell("[ -f /x ]".into()),
            heredocs: vec![],
        }
    );
}

#[test]
fn durations() {
    assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
    assert_eq!(parse_duration("500ms"), Some(500_000_000));
    assert_eq!(parse_duration("x"), None);
}

#[test]
fn a_byte_order_mark_before_the_first_instruction_is_dropped() {
    let d = parse("\u{feff}FROM busybox\nRUN true\n", "Dockerfile").expect("parse");
    assert_eq!(d.instructions[0].keyword, "FROM");
    let d = parse("\u{feff}# escape=`\nFROM busybox\n", "Dockerfile").expect("directive");
    assert_eq!(d.escape, '`');
    // Only at the very start: elsewhere it is text.
    assert!(parse("FROM busybox\n\u{feff}RUN true\n", "Dockerfile").is_err());
}
