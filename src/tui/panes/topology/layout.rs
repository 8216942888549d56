//! Where each part of the topology goes inside the pane: the host line on top, one
//! column per network (its box, then its bus running down), the container nodes on the
//! left, one row (two when there is room: the rx/tx under the address) per container.
//! Deterministic (the graph is sorted by name); at 80x24 three networks and eight
//! containers fit; wider and taller screens give the columns and rows more room. Networks
//! or containers that do not fit are counted, and the selection is always shown.

use crate::tui::panes::topology::graph::{Graph, Node};
use ratatui::layout::Rect;

/// Rows of a network box: its top border (with the name), subnet, gateway, bottom border.
pub const BOX_H: u16 = 4;
/// The narrowest column a network gets (its box and its links' labels).
pub const MIN_COL: u16 = 14;
/// The widest column a network gets (more would only spread the links apart).
pub const MAX_COL: u16 = 36;

/// One network's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// Index into [`Graph::networks`].
    pub network: usize,
    /// Its box.
    pub rect: Rect,
    /// The x of its bus (the line its containers' links join).
    pub bus_x: u16,
}

/// One container's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Index into [`Graph::containers`].
    pub container: usize,
    /// Its first line (the node, the links and addresses).
    pub y: u16,
}

/// Where everything goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// The host line (the host node and its published ports).
    pub host: Rect,
    /// The x of the host's rail down to the containers publishing ports.
    pub rail_x: u16,
    /// Where the container nodes start, and their width (brackets included).
    pub node_x: u16,
    /// The nodes' width.
    pub node_w: u16,
    /// The networks shown, left to right.
    pub columns: Vec<Column>,
    /// Networks left out for want of width.
    pub hidden_networks: usize,
    /// The containers shown, top to bottom.
    pub rows: Vec<Row>,
    /// Lines per container: 2 puts the rx/tx under each address.
    pub per_row: u16,
    /// Containers above and below the ones shown.
    pub hidden: (usize, usize),
    /// The width of a link's label (from just right of its bus).
    pub label_w: u16,
    /// The area it was placed in.
    pub area: Rect,
}

/// Places `graph` in `area` (the pane's inside), keeping `selected` on screen.
pub fn place(graph: &Graph, selected: Option<Node>, area: Rect) -> Placement {
    let x0 = area.x;
    let right = area.x + area.width;
    let bottom = area.y + area.height;
    let host = Rect::new(x0, area.y, area.width, 1.min(area.height));
    let rail_x = x0;
    let node_x = x0.saturating_add(2).min(right);
    let longest = graph
        .containers
        .iter()
        .map(|c| c.name.chars().count() as u16 + 2)
        .max()
        .unwrap_or(0);
    let node_cap = (area.width / 5).max(10);
    let node_w = if graph.containers.is_empty() {
        0
    } else {
        longest.clamp(6, node_cap)
    };
    let cols_x = (node_x + node_w + 1).min(right);
    let avail = right - cols_x;
    let n = graph.networks.len() as u16;
    let (shown, reserve) = if n * MIN_COL <= avail {
        (n, 0)
    } else {
        // Room for a "+N" note at the right.
        (((avail.saturating_sub(4)) / MIN_COL).max(1).min(n), 4)
    };
    let col_w = (avail - reserve.min(avail))
        .checked_div(shown)
        .unwrap_or(0)
        .min(MAX_COL);
    let first_net = match selected {
        Some(Node::Network(i)) if i as u16 >= shown => i as u16 + 1 - shown,
        _ => 0,
    };
    let box_y = area.y + 1;
    let box_h = BOX_H.min(bottom.saturating_sub(box_y));
    let columns: Vec<Column> = (0..shown)
        .map(|k| {
            let x = cols_x + k * col_w;
            Column {
                network: usize::from(first_net + k),
                rect: Rect::new(x, box_y, col_w.saturating_sub(1), box_h),
                bus_x: x + 2.min(col_w.saturating_sub(1)),
            }
        })
        .collect();
    let rows_y = box_y + box_h;
    let avail_rows = bottom.saturating_sub(rows_y);
    let m = graph.containers.len();
    let per_row = if m as u16 * 2 <= avail_rows { 2 } else { 1 };
    let fit = usize::from(avail_rows / per_row).min(m);
    let sel = match selected {
        Some(Node::Container(i)) => i,
        _ => 0,
    };
    let offset = if fit > 0 && sel >= fit {
        sel + 1 - fit
    } else {
        0
    };
    let rows = (0..fit)
        .map(|k| Row {
            container: offset + k,
            y: rows_y + k as u16 * per_row,
        })
        .collect();
    Placement {
        host,
        rail_x,
        node_x,
        node_w,
        columns,
        hidden_networks: usize::from(n - shown),
        rows,
        per_row,
        hidden: (offset, m - offset - fit),
        label_w: col_w.saturating_sub(3),
        area,
    }
}

impl Placement {
    /// The column of network `i`, when it is shown.
    pub fn column(&self, i: usize) -> Option<&Column> {
        self.columns.iter().find(|c| c.network == i)
    }

    /// The rectangle of node `n` (a network's box; a container's node), when shown.
    #[cfg(test)]
    pub fn rect_of(&self, n: Node) -> Option<Rect> {
        match n {
            Node::Network(i) => self.column(i).map(|c| c.rect),
            Node::Container(i) => self
                .rows
                .iter()
                .find(|r| r.container == i)
                .map(|r| Rect::new(self.node_x, r.y, self.node_w, 1)),
        }
    }

    /// The node under column `x`, row `y`: a network's box, or anywhere on a container's
    /// row (its lines).
    pub fn node_at(&self, x: u16, y: u16) -> Option<Node> {
        let at = ratatui::layout::Position::new(x, y);
        if let Some(c) = self.columns.iter().find(|c| c.rect.contains(at)) {
            return Some(Node::Network(c.network));
        }
        let inside = x >= self.area.x && x < self.area.x + self.area.width;
        self.rows
            .iter()
            .find(|r| inside && y >= r.y && y < r.y + self.per_row)
            .map(|r| Node::Container(r.container))
    }
}
