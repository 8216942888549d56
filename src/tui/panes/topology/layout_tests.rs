//! The Topology pane's layout: three networks and eight containers fit 80x24, a big
//! screen gives the columns and rows more room, the selection is always shown, and a
//! click finds the node drawn where it lands.

use crate::tui::panes::topology::graph::{CtrNode, Graph, Link, NetNode, Node};
use crate::tui::panes::topology::layout::{MIN_COL, place};
use ratatui::layout::Rect;

/// A graph of `nets` networks and `ctrs` containers, each container on every network.
fn big(nets: usize, ctrs: usize) -> Graph {
    let mut g = Graph::default();
    for i in 0..nets {
        g.networks.push(NetNode {
            id: format!("{:02x}", i + 1).repeat(32).parse().expect("id"),
            name: format!("net{i}"),
            subnet: Some(format!("10.{i}.0.0/16")),
            gateway: Some(format!("10.{i}.0.1")),
            driver: "bridge".into(),
        });
    }
    for k in 0..ctrs {
        g.containers.push(CtrNode {
            id: format!("{:02x}", k + 100).repeat(32).parse().expect("id"),
            name: format!("service-{k}"),
            running: true,
            published: k == 0,
            links: (0..nets)
                .map(|i| Link {
                    network: i,
                    address: format!("10.{i}.0.{}", k + 2),
                    rates: Some((1500.0, 20.0)),
                })
                .collect(),
        });
    }
    g
}

#[test]
fn three_networks_and_eight_containers_fit_80x24() {
    let g = big(3, 8);
    // The pane's inside at 80x24: 78 columns, 16 rows.
    let area = Rect::new(1, 1, 78, 16);
    let p = place(&g, None, area);
    assert_eq!(p.columns.len(), 3);
    assert_eq!(p.hidden_networks, 0);
    assert_eq!(p.rows.len(), 8);
    assert_eq!(p.hidden, (0, 0));
    assert_eq!(p.per_row, 1);
    // Boxes inside the area, apart, left to right; nodes left of them.
    for (a, b) in p.columns.iter().zip(p.columns.iter().skip(1)) {
        assert!(a.rect.x + a.rect.width < b.rect.x, "{a:?} {b:?}");
    }
    let last = p.columns.last().expect("column");
    assert!(last.rect.x + last.rect.width <= area.x + area.width);
    assert!(p.node_x + p.node_w < p.columns[0].rect.x);
    // Rows below the boxes, inside the area, one each.
    assert!(p.rows[0].y >= p.columns[0].rect.y + p.columns[0].rect.height);
    assert!(p.rows[7].y < area.y + area.height);
    // The address fits beside each junction.
    assert!(p.label_w as usize >= "10.2.0.9".len());
}

#[test]
fn a_big_screen_gives_room_and_the_selection_stays_shown() {
    let g = big(3, 8);
    let small = place(&g, None, Rect::new(1, 1, 78, 16));
    let large = place(&g, None, Rect::new(1, 1, 198, 52));
    assert_eq!(large.per_row, 2);
    assert!(large.label_w > small.label_w);
    assert!(large.columns[0].rect.width > small.columns[0].rect.width);

    // Twenty containers on 16 rows: the last one selected is shown, the rest counted.
    let g = big(2, 20);
    let p = place(&g, Some(Node::Container(19)), Rect::new(1, 1, 78, 16));
    assert_eq!(p.rows.last().map(|r| r.container), Some(19));
    assert_eq!(p.hidden.1, 0);
    assert!(p.hidden.0 > 0);
    assert_eq!(p.hidden.0 + p.rows.len(), 20);
    // Eight networks on 78 columns: as many as fit, the selected one among them.
    let g = big(8, 2);
    let p = place(&g, Some(Node::Network(7)), Rect::new(1, 1, 78, 16));
    assert!(p.hidden_networks > 0);
    assert!(p.column(7).is_some());
    assert!(p.columns.iter().all(|c| c.rect.width + 1 >= MIN_COL));
    // A click finds the node drawn there.
    let r = p.rect_of(Node::Container(1)).expect("shown");
    assert_eq!(p.node_at(r.x, r.y), Some(Node::Container(1)));
    let b = p.column(7).expect("column").rect;
    assert_eq!(p.node_at(b.x + 1, b.y + 1), Some(Node::Network(7)));
}
