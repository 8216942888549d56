//! The compose loader's tests: names, values that name file, line and key, syntax and
//! interpolation errors, warnings, several files merged.

#[cfg(test)]
mod tests {
    use super::super::*;

    #[test]
    fn project_names_are_normalized() {
        assert_eq!(normalize_name("My App.v2"), "myappv2");
        assert_eq!(normalize_name("-x_y"), "x_y");
        assert!(valid_name("web-1"));
        assert!(!valid_name("Web"));
    }
}

#[cfg(test)]
mod file_tests {
    use super::super::*;

    fn load_text(text: &str) -> (Result<Loaded>, Vec<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("compose.yaml"), text).expect("write");
        let mut warned = Vec::new();
        let r = load(
            &LoadOptions {
                files: Vec::new(),
                project_name: Some("t".into()),
                dir: dir.path().to_path_buf(),
            },
            &mut |w| warned.push(w.to_string()),
        );
        (r, warned)
    }

    fn value_error(text: &str) -> (String, usize, String, String) {
        match load_text(text).0 {
            Err(ComposeError::Value {
                file,
                line,
                key,
                message,
            }) => (file, line, key, message),
            other => panic!("not a value error: {other:?}"),
        }
    }

    #[test]
    fn a_bad_value_names_file_line_and_key() {
        let (file, line, key, msg) =
            value_error("services:\n  web:\n    image: busybox\n    tty: maybe\n");
        assert_eq!(
            (file.as_str(), line, key.as_str()),
            ("compose.yaml", 4, "services.web.tty")
        );
        assert!(msg.contains("expected a boolean"), "{msg}");
        let (_, line, key, msg) = value_error(
            "services:\n  web:\n    image: busybox\n    ports:\n      - \"80:80\"\n      - \"99999:80\"\n",
        );
        assert_eq!((line, key.as_str()), (6, "services.web.ports[1]"));
        assert!(msg.contains("'99999' is not a port number"), "{msg}");
        let (_, line, key, _) = value_error(
            "services:\n  web:\n    image: busybox\n    depends_on:\n      db:\n        condition: service_ready\n  db:\n    image: busybox\n",
        );
        assert_eq!(
            (line, key.as_str()),
            (6, "services.web.depends_on.db.condition")
        );
        let (_, line, key, msg) =
            value_error("services:\n  web:\n    image: busybox\n    volumes:\n      - cache:/c\n");
        assert_eq!((line, key.as_str()), (5, "services.web.volumes[0]"));
        assert_eq!(msg, "service \"web\" refers to undefined volume cache");
    }

    #[test]
    fn syntax_errors_interpolation_errors_and_warnings() {
        match load_text("services:\n  web: [\n").0 {
            Err(ComposeError::Syntax { file, line, .. }) => {
                assert_eq!((file.as_str(), line), ("compose.yaml", 3));
            }
            other => panic!("not a syntax error: {other:?}"),
        }
        match load_text("services:\n  web:\n    image: \"${BERTH_T_UNSET:?needed}\"\n").0 {
            Err(ComposeError::Interpolation {
                line, key, message, ..
            }) => {
                assert_eq!((line, key.as_str()), (3, "services.web.image"));
                assert!(message.contains("BERTH_T_UNSET is missing a value: needed"));
            }
            other => panic!("not an interpolation error: {other:?}"),
        }
        let (r, warned) = load_text(
            "services:\n  web:\n    image: busybox\n    secrets: [a]\n    x-note: fine\n",
        );
        let p = r.expect("loads").project;
        assert_eq!(p.networks["default"].name, "t_default");
        assert_eq!(
            warned,
            vec!["compose.yaml: line 4: services.web.secrets: unknown or unsupported key, ignored"]
        );
    }

    #[test]
    fn several_files_merge_in_order_and_errors_name_the_file_that_has_the_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = dir.path().join("compose.yaml");
        let over = dir.path().join("compose.override.yaml");
        std::fs::write(
            &base,
            "services:\n  web:\n    image: busybox\n    command: [a]\n    ports: [\"80\"]\n    environment: [A=1]\n",
        )
        .expect("write");
        std::fs::write(
            &over,
            "services:\n  web:\n    image: busybox:1.36\n    command: [b]\n    ports: [\"8080:81\"]\n    environment: {B: 2}\n",
        )
        .expect("write");
        let o = LoadOptions {
            files: vec![base.clone(), over.clone()],
            project_name: None,
            dir: dir.path().to_path_buf(),
        };
        let p = load(&o, &mut |_| {}).expect("loads").project;
        let web = &p.services["web"];
        assert_eq!(web.image, "busybox:1.36");
        assert_eq!(web.command, Some(vec!["b".to_string()]));
        assert_eq!(web.ports.len(), 2);
        assert_eq!(web.environment.len(), 2);
        assert_eq!(p.config_files, vec![base.clone(), over.clone()]);
        std::fs::write(&over, "services:\n  web:\n    ports: [\"x:81\"]\n").expect("write");
        match load(&o, &mut |_| {}) {
            Err(ComposeError::Value {
                file, line, key, ..
            }) => {
                assert_eq!((file.as_str(), line), ("compose.override.yaml", 3));
                assert_eq!(key, "services.web.ports[1]");
            }
            other => panic!("not a value error: {other:?}"),
        }
    }
}
