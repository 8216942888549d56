//! What goes wrong reading a Kubernetes file: each error names the document and the field.

/// An error of a Kubernetes file.
#[derive(Debug, thiserror::Error)]
pub enum KubeError {
    /// A document is not YAML (or not a mapping).
    #[error("document {doc}: {why}")]
    Yaml {
        /// 1-based position of the document in the file.
        doc: usize,
        /// The parser's message.
        why: String,
    },
    /// A field has a value berth cannot use.
    #[error("{doc}: {field}: {why}")]
    Field {
        /// `document 2 (Pod web)`.
        doc: String,
        /// The field's path (`spec.containers[0].image`).
        field: String,
        /// What is wrong with it.
        why: String,
    },
}

/// How a document is named in messages: `document 2 (Pod web)`.
pub fn doc_name(index: usize, kind: &str, name: &str) -> String {
    if name.is_empty() {
        format!("document {index} ({kind})")
    } else {
        format!("document {index} ({kind} {name})")
    }
}
