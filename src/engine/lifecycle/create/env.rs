//! The environment of a new container: the image's, then the user's, and a default PATH.

/// The environment of a container of image `img`: the image's, the user's `-e` values over
/// it, and Docker's standard PATH when neither sets one.
pub(super) fn container_env(img: &oci_spec::image::Config, user: &[String]) -> Vec<String> {
    with_default_path(merge_env(&img.env().clone().unwrap_or_default(), user))
}

/// Merges `K=V` entries: later keys replace earlier ones, order of first appearance kept.
fn merge_env(base: &[String], extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = base.to_vec();
    for e in extra {
        let entry = if e.contains('=') {
            e.clone()
        } else {
            match std::env::var(e) {
                Ok(v) => format!("{e}={v}"),
                Err(_) => continue,
            }
        };
        let key = entry.split('=').next().unwrap_or_default().to_string();
        match out
            .iter_mut()
            .find(|x| x.split('=').next() == Some(key.as_str()))
        {
            Some(slot) => *slot = entry,
            None => out.push(entry),
        }
    }
    out
}

/// Docker gives a container the standard PATH when its image sets none.
fn with_default_path(mut env: Vec<String>) -> Vec<String> {
    if !env.iter().any(|e| e.starts_with("PATH=")) {
        env.insert(0, DEFAULT_PATH.to_string());
    }
    env
}

/// The PATH a container gets when its image has none.
pub const DEFAULT_PATH: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

#[cfg(test)]
mod tests {
    use super::merge_env;

    #[test]
    fn user_env_overrides_image_env() {
        let base = vec!["PATH=/bin".to_string(), "A=1".to_string()];
        let merged = merge_env(&base, &["A=2".into(), "B=3".into()]);
        assert_eq!(merged, vec!["PATH=/bin", "A=2", "B=3"]);
    }
}
