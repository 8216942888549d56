//! The layer trees computed from real layer directories: changes per layer, merged
//! versions and wasted space.

use super::*;

#[test]
fn tree_has_changes_per_layer_merged_versions_and_wasted_space() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tree = LayerTree::compute(&layers(dir.path())).expect("compute");
    let top: Vec<(String, ChangeKind, u64)> = tree.changes[1]
        .iter()
        .map(|c| (c.path.display().to_string(), c.kind, c.size))
        .collect();
    assert_eq!(
        top,
        vec![
            ("etc/hosts".into(), ChangeKind::Changed, 20),
            ("opt/a".into(), ChangeKind::Removed, 0),
            ("opt/a/x".into(), ChangeKind::Removed, 5),
            ("opt/b".into(), ChangeKind::Added, 3),
            ("tmp/big".into(), ChangeKind::Removed, 1000),
            ("usr".into(), ChangeKind::Added, 0),
            ("usr/new".into(), ChangeKind::Added, 7),
        ]
    );
    assert!(tree.changes[0].iter().all(|c| c.kind == ChangeKind::Added));
    // 10 B of the old hosts, 1000 B of tmp/big, 5 B hidden by the opaque opt.
    assert_eq!(tree.wasted, 1015);
    assert_eq!(tree.wasted_files, 3);
    assert_eq!(tree.layer_wasted, vec![1015, 0]);
    let visible = |top: usize| -> Vec<(String, usize)> {
        tree.versions
            .iter()
            .filter(|v| v.visible_at(top) && !v.dir)
            .map(|v| (v.path.display().to_string(), v.layer))
            .collect()
    };
    assert_eq!(
        visible(1),
        vec![
            ("bin/sh".into(), 0),
            ("etc/hosts".into(), 1),
            ("opt/b".into(), 1),
            ("usr/new".into(), 1),
        ]
    );
    assert!(visible(0).contains(&("tmp/big".into(), 0)));
}
