//! The documents as text: podman's header, `---` between documents, and a comment above
//! each `hostPath` (YAML comments are not data, so they are added to the serialised text).

/// The comment above every `hostPath` volume.
pub const HOST_PATH_COMMENT: &str =
    "# hostPath is host-specific: the path must exist on the node that runs the pod";

/// `docs` as one YAML stream.
pub fn documents(docs: &[serde_yaml_ng::Value]) -> String {
    let mut out = format!(
        "# Save the output of this file and use kubectl create -f to import it into Kubernetes.\n#\n# Created with berth v{}\n",
        env!("CARGO_PKG_VERSION")
    );
    for (i, d) in docs.iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        let text = serde_yaml_ng::to_string(d).unwrap_or_default();
        out.push_str(&with_host_path_comments(&text));
    }
    out
}

/// `text` with [`HOST_PATH_COMMENT`] above each `hostPath:` key, at its indentation.
fn with_host_path_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        if body.starts_with("hostPath:") {
            out.push_str(indent);
            out.push_str(HOST_PATH_COMMENT);
            out.push('\n');
        } else if let Some(rest) = body.strip_prefix("- hostPath:") {
            // A list item that starts with the key: the comment goes above the item.
            out.push_str(indent);
            out.push_str(HOST_PATH_COMMENT);
            out.push('\n');
            out.push_str(indent);
            out.push_str("- hostPath:");
            out.push_str(rest);
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_paths_get_their_comment() {
        let text = "volumes:\n- name: a\n  hostPath:\n    path: /srv\n";
        let out = with_host_path_comments(text);
        assert_eq!(
            out,
            format!("volumes:\n- name: a\n  {HOST_PATH_COMMENT}\n  hostPath:\n    path: /srv\n")
        );
        let parsed: serde_yaml_ng::Value = serde_yaml_ng::from_str(&out).expect("still YAML");
        assert_eq!(
            parsed["volumes"][0]["hostPath"]["path"].as_str(),
            Some("/srv")
        );
    }
}
