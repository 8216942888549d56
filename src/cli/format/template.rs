//! Go templates (`--format`) over JSON values, with Docker's extra functions.
//!
//! Built on gtmpl. Where gtmpl differs from Go's text/template the source is rewritten first
//! (see `rewrite`): `range` visits maps in key order and printed values look like Go's `%v`.
//! Known gaps: objects print as `map[k:v]` even where Docker would print a struct as `{v ...}`;
//! `{{json .}}` sorts object keys; gtmpl has no `slice`, `html`, `js` or `and`/`or` short-circuit;
//! what gtmpl cannot lex or unquote is refused before it is given to it (see
//! `lexer_trap`), among it a raw string ending in a backslash, which Go takes.

use super::{funcs, lexer_trap, rewrite};
use anyhow::Result;
use serde_json::Value;

/// A parsed template, reusable for many values.
pub struct Template {
    source: String,
    inner: gtmpl::Template,
}

impl Template {
    /// Parses `source` (Docker's `\t` and `\n` escapes are not expanded here).
    pub fn parse(source: &str) -> Result<Template> {
        let mut inner = gtmpl::Template::default();
        inner.add_funcs(funcs::FUNCS);
        let rewritten = rewrite::rewrite(source);
        if let Some(why) = lexer_trap::lexer_trap(&rewritten) {
            return Err(invalid(source, why));
        }
        inner
            .parse(rewritten)
            .map_err(|e| invalid(source, &e.to_string()))?;
        Ok(Template {
            source: source.to_string(),
            inner,
        })
    }

    /// Renders the template against `value`.
    pub fn render(&self, value: &Value) -> Result<String> {
        let ctx = gtmpl::Context::from(funcs::from_json(value));
        self.inner
            .render(&ctx)
            .map_err(|e| invalid(&self.source, &e.to_string()))
    }
}

/// The one-line error every bad template gives (the caller exits 125).
fn invalid(source: &str, reason: &str) -> anyhow::Error {
    let reason = reason.replace("__print", "print");
    let reason: Vec<&str> = reason.split_whitespace().collect();
    anyhow::anyhow!("invalid format template '{source}': {}", reason.join(" "))
}

/// Renders `template` against `value`.
pub fn render(template: &str, value: &Value) -> Result<String> {
    Template::parse(template)?.render(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({
            "Id": "abc",
            "State": {"Pid": 1234, "Running": true, "ExitCode": 0},
            "Config": {"Cmd": ["sh", "-c", "echo hi"], "Labels": {"b": "2", "a": "1"}, "Env": []},
            "NetworkSettings": {"IPAddress": "", "Networks": {"none": {"IPAddress": "10.0.0.2"}}},
            "Ratio": 1.5
        })
    }

    /// Found by fuzzing: gtmpl's lexer looped forever on an open action at the end and
    /// panicked (on its own thread, printing to stderr) on a non-ASCII character in one.
    #[test]
    fn templates_gtmpl_cannot_lex_are_refused() {
        for (bad, why) in [
            ("{{json .", "unclosed action"),
            ("x {{- ", "unclosed action"),
            ("{{.Id}} {{1", "unclosed action"),
            ("{{é}}", "non-ASCII character"),
            ("{{ .Id→}}", "non-ASCII character"),
        ] {
            let e = Template::parse(bad).err().expect("refused").to_string();
            assert!(
                e.starts_with(&format!("invalid format template '{bad}': {why}")),
                "{e}"
            );
        }
        assert_eq!(
            render("{{\"é\"}} {{/* é */}}→", &doc()).expect("render"),
            "é →"
        );
    }

    #[test]
    fn fields_and_numbers() {
        assert_eq!(render("{{.State.Pid}}", &doc()).expect("render"), "1234");
        assert_eq!(render("{{.Ratio}}", &doc()).expect("render"), "1.5");
        assert_eq!(
            render("{{.State.Running}} {{.Id}}", &doc()).expect("render"),
            "true abc"
        );
    }

    #[test]
    fn lists_and_maps_print_like_go() {
        assert_eq!(
            render("{{.Config.Cmd}}", &doc()).expect("render"),
            "[sh -c echo hi]"
        );
        assert_eq!(
            render("{{.Config.Labels}}", &doc()).expect("render"),
            "map[a:1 b:2]"
        );
    }

    #[test]
    fn range_over_map_is_sorted_with_variables() {
        let out = render(
            "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}",
            &doc(),
        )
        .expect("render");
        assert_eq!(out, "a=1;b=2;");
        let out = render(
            "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
            &doc(),
        )
        .expect("render");
        assert_eq!(out, "10.0.0.2");
        let out = render(
            "{{range $i, $a := .Config.Cmd}}{{$i}}:{{$a}} {{end}}",
            &doc(),
        )
        .expect("render");
        assert_eq!(out, "0:sh 1:-c 2:echo hi ");
        let out = render("{{range .Config.Env}}x{{else}}empty{{end}}", &doc()).expect("render");
        assert_eq!(out, "empty");
    }

    #[test]
    fn nested_ranges_keep_outer_variables() {
        let v = json!({"A": {"x": [1, 2]}, "B": {"y": [3]}});
        let out = render(
            "{{range $k, $v := .}}{{range $i, $n := $v}}{{$k}}{{$i}}{{range $n}}{{.}}{{end}} {{end}}{{end}}",
            &v,
        )
        .expect("render");
        assert_eq!(out, "Ax12 By3 ");
    }

    #[test]
    fn docker_functions() {
        let d = doc();
        let r = |t: &str| render(t, &d).expect(t);
        assert_eq!(
            r("{{json .Config}}"),
            // Keys come out sorted (template values are hash maps).
            r#"{"Cmd":["sh","-c","echo hi"],"Env":[],"Labels":{"a":"1","b":"2"}}"#
        );
        assert_eq!(r("{{json .State.Pid}}"), "1234");
        assert_eq!(r("{{upper .Id}}"), "ABC");
        assert_eq!(r("{{lower \"ABC\"}}"), "abc");
        assert_eq!(r("{{title \"hello world\"}}"), "Hello World");
        assert_eq!(r("{{join .Config.Cmd \",\"}}"), "sh,-c,echo hi");
        assert_eq!(r("{{split \"a:b\" \":\"}}"), "[a b]");
        assert_eq!(r("{{index (split \"a:b\" \":\") 1}}"), "b");
        assert_eq!(r("{{truncate .Id 2}}"), "ab");
        assert_eq!(r("{{pad .Id 1 2}}|"), " abc  |");
        assert_eq!(r("{{len .Config.Labels}} {{len .Config.Cmd}}"), "2 3");
        assert_eq!(r("{{index .Config.Labels \"a\"}}"), "1");
        assert_eq!(r("{{index .Config.Labels \"zz\"}}"), "<no value>");
        assert_eq!(r("{{println .Id}}"), "abc\n");
        assert_eq!(r("{{.Id | upper}}"), "ABC");
        assert_eq!(r("{{if .State.Running}}up{{else}}down{{end}}"), "up");
        assert_eq!(r("{{$p := .State.Pid}}{{$p}}"), "1234");
        assert_eq!(r("{{- .Id -}}  x"), "abcx");
    }

    #[test]
    fn bad_templates_give_one_line() {
        let e = render("{{.Id", &doc()).expect_err("unterminated");
        let msg = e.to_string();
        assert!(
            msg.starts_with("invalid format template '{{.Id': "),
            "{msg}"
        );
        assert!(!msg.contains('\n'));
        let e = render("{{nosuch .Id}}", &doc()).expect_err("unknown function");
        assert!(
            e.to_string()
                .starts_with("invalid format template '{{nosuch .Id}}': ")
        );
        let e = render("{{.Nope}}", &doc()).expect_err("unknown field");
        assert!(e.to_string().contains("Nope"), "{e}");
    }
}
