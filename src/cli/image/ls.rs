//! `berth images` / `berth image ls`: one row per reference (`<none>` for dangling images).

use super::ImagesArgs;
use crate::cli::Ctx;
use crate::cli::format::{Column, human, print_list};
use crate::engine::Image;
use crate::engine::Reference;
use serde_json::{Value, json};

const COLUMNS: &[Column] = &[
    Column::new("REPOSITORY", "Repository"),
    Column::new("TAG", "Tag"),
    Column::new("IMAGE ID", "ID"),
    Column::new("CREATED", "CreatedSince"),
    Column::new("SIZE", "Size"),
];

const COLUMNS_DIGESTS: &[Column] = &[
    Column::new("REPOSITORY", "Repository"),
    Column::new("TAG", "Tag"),
    Column::new("DIGEST", "Digest"),
    Column::new("IMAGE ID", "ID"),
    Column::new("CREATED", "CreatedSince"),
    Column::new("SIZE", "Size"),
];

/// Docker's `CreatedAt`: `2024-05-01 10:00:00 +0000 UTC`.
pub fn created_at(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S +0000 UTC").to_string()
}

/// `*` glob over a whole string.
fn glob(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let mut rest = s;
    for (i, p) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(p) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(p);
        } else {
            match rest.find(p) {
                Some(j) => rest = &rest[j + p.len()..],
                None => return false,
            }
        }
    }
    true
}

/// The rows of one image: `(repository, tag)` per reference, or one `<none>` row.
pub fn rows_of(img: &Image) -> Vec<(String, String)> {
    if img.repo_tags.is_empty() {
        return vec![("<none>".into(), "<none>".into())];
    }
    img.repo_tags
        .iter()
        .map(|t| match t.rsplit_once(':') {
            Some((n, tag)) if !tag.contains('/') => (n.to_string(), tag.to_string()),
            _ => (t.clone(), "<none>".into()),
        })
        .collect()
}

/// `berth images`
pub fn images(ctx: &Ctx, a: ImagesArgs) -> anyhow::Result<i32> {
    let mut dangling: Option<bool> = None;
    let mut patterns: Vec<String> = Vec::new();
    for f in &a.filter {
        match f.split_once('=') {
            Some(("dangling", v)) => {
                dangling = Some(match v {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => anyhow::bail!("invalid filter 'dangling={v}': use true or false"),
                })
            }
            Some(("reference", v)) => patterns.push(v.to_string()),
            _ => anyhow::bail!(
                "invalid filter '{f}': supported are dangling=BOOL and reference=PATTERN"
            ),
        }
    }
    let wanted = match &a.repository {
        Some(r) => {
            let has_tag = r.rsplit('/').next().is_some_and(|last| last.contains(':'));
            let parsed = Reference::parse(r)?;
            Some((parsed.name, has_tag.then_some(parsed.tag)))
        }
        None => None,
    };
    let mut items: Vec<Value> = Vec::new();
    let mut quiet_ids: Vec<String> = Vec::new();
    for img in ctx.engine.images()? {
        if let Some(d) = dangling
            && d != img.repo_tags.is_empty()
        {
            continue;
        }
        let id = if a.no_trunc {
            img.id.to_string()
        } else {
            img.short_id().to_string()
        };
        for (repo, tag) in rows_of(&img) {
            if let Some((name, want_tag)) = &wanted
                && (repo != *name || want_tag.as_ref().is_some_and(|t| *t != tag))
            {
                continue;
            }
            let full = format!("{repo}:{tag}");
            if !patterns.is_empty() && !patterns.iter().any(|p| glob(p, &full) || glob(p, &repo)) {
                continue;
            }
            let digest = img
                .repo_digests
                .iter()
                .find(|d| d.starts_with(&format!("{repo}@")))
                .and_then(|d| d.split_once('@'))
                .map(|(_, d)| d.to_string())
                .unwrap_or_else(|| "<none>".into());
            if !quiet_ids.contains(&id) {
                quiet_ids.push(id.clone());
            }
            items.push(json!({
                "Repository": repo,
                "Tag": tag,
                "Digest": digest,
                "ID": id,
                "CreatedSince": human::ago(img.created),
                "CreatedAt": created_at(img.created),
                "Size": human::size(img.size),
                "VirtualSize": human::size(img.size),
                "SharedSize": "N/A",
                "UniqueSize": "N/A",
                "Containers": "N/A",
            }));
        }
    }
    if a.quiet {
        for id in quiet_ids {
            println!("{id}");
        }
        return Ok(0);
    }
    let columns = if a.digests { COLUMNS_DIGESTS } else { COLUMNS };
    print_list(a.format.as_deref(), columns, &items)?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("busy*", "busybox"));
        assert!(glob("*box", "busybox"));
        assert!(glob("b*y*x", "busybox"));
        assert!(!glob("alp*", "busybox"));
        assert!(glob("busybox", "busybox"));
    }
}
