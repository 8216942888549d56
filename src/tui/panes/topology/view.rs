//! Draws the Topology pane straight into the buffer with box-drawing characters: the host
//! and its published ports on top (a rail down to the containers that publish them), a
//! box per network (name, subnet, gateway) with its bus below, and each container's node
//! joined to the buses of its networks (`●`), the address and rx/tx beside each junction.
//! Labels are cut with `…` to their room, never drawn over one another. A pure function
//! of the state.

use crate::engine::human;
use crate::tui::app::{App, Pane};
use crate::tui::panes::topology::graph::{CtrNode, Graph, Link, Node};
use crate::tui::panes::topology::layout::{Placement, place};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Widget};

/// The graph and where it goes, for a pane drawn in `area` (shared with the mouse).
pub fn placed(app: &App, area: Rect) -> (Graph, Option<Node>, Placement) {
    let graph = Graph::build(&app.topology, &app.containers.list);
    let sel = graph.selected(&app.topology);
    let inner = Block::bordered().inner(area);
    let p = place(&graph, sel, inner);
    (graph, sel, p)
}

/// Draws the whole Topology pane into `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (graph, sel, p) = placed(app, area);
    let state = &app.topology;
    let mut title = format!(
        " Topology: {} networks, {} containers ",
        graph.networks.len(),
        graph.containers.len()
    );
    if p.hidden != (0, 0) {
        title.push_str(&format!("(↑{} ↓{} more) ", p.hidden.0, p.hidden.1));
    }
    // The first key of each, to stay short.
    let keys = |a| {
        app.keymap
            .keys(a)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    use crate::tui::keymap::UserAction as U;
    let hints = format!(
        " {}/{}/{}/{} move   {} open   {} back ",
        keys(U::NodeLeft),
        keys(U::MoveDown),
        keys(U::MoveUp),
        keys(U::NodeRight),
        keys(U::OpenNode),
        keys(U::LeaveTopology),
    );
    let block = pane_block(Line::from(title), is_focused(app, Pane::Topology), theme)
        .title_bottom(Line::from(hints).style(theme.style(Role::Dim)));
    let inner = block.inner(area);
    block.render(area, buf);
    let empty = match (&state.sample.error, state.sample.listed) {
        (Some(e), _) => Some((format!("cannot read the networks: {e}"), Role::Error)),
        (None, false) => Some(("loading…".to_string(), Role::Dim)),
        (None, true) if graph.networks.is_empty() => Some((
            "no networks: ':network create NAME' makes one".into(),
            Role::Dim,
        )),
        _ => None,
    };
    if let Some((text, role)) = empty {
        Paragraph::new(Line::from(text).style(theme.style(role))).render(inner, buf);
        return;
    }
    let mut pen = Pen { buf, area: inner };
    draw_host(&mut pen, &graph, &p, theme);
    for c in &p.columns {
        draw_network(&mut pen, &graph, &p, c.network, sel, theme);
    }
    draw_buses(&mut pen, &graph, &p, theme);
    for r in &p.rows {
        let node = &graph.containers[r.container];
        draw_container(
            &mut pen,
            &graph,
            &p,
            node,
            r.y,
            sel == Some(Node::Container(r.container)),
            theme,
        );
    }
}

/// Writes clipped to the pane's inside.
struct Pen<'a> {
    buf: &'a mut Buffer,
    area: Rect,
}

impl Pen<'_> {
    fn text(&mut self, x: u16, y: u16, text: &str, style: Style) {
        let right = self.area.x + self.area.width;
        if y < self.area.y || y >= self.area.y + self.area.height || x >= right {
            return;
        }
        self.buf
            .set_stringn(x, y, text, usize::from(right - x), style);
    }

    fn cell(&self, x: u16, y: u16) -> &str {
        self.buf[(x, y)].symbol()
    }
}

/// `text` cut to `width` characters, the last one `…` when cut.
pub fn elide(text: &str, width: u16) -> String {
    let width = usize::from(width);
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

/// `↓1.2kB/s ↑300B/s`.
pub fn rates_text(rx: f64, tx: f64) -> String {
    format!("↓{} ↑{}", human::rate(rx), human::rate(tx))
}

fn draw_host(pen: &mut Pen, graph: &Graph, p: &Placement, theme: &Theme) {
    let y = p.host.y;
    pen.text(p.host.x, y, "host", theme.style(Role::Header));
    let room = p.host.width.saturating_sub(6);
    if graph.ports.is_empty() {
        pen.text(
            p.host.x + 6,
            y,
            &elide("no published ports", room),
            theme.style(Role::Dim),
        );
    } else {
        // Whole ports only; the rest counted.
        let mut line = String::new();
        for (i, port) in graph.ports.iter().enumerate() {
            let more = graph.ports.len() - i - 1;
            let sep = if line.is_empty() { "" } else { "  " };
            let tail = if more > 0 {
                format!("  +{more}")
            } else {
                String::new()
            };
            let want = line.chars().count() + sep.len() + port.chars().count() + tail.len();
            if usize::from(room) < want && !line.is_empty() {
                line.push_str(&format!("  +{}", more + 1));
                break;
            }
            line.push_str(sep);
            line.push_str(port);
        }
        pen.text(
            p.host.x + 6,
            y,
            &elide(&line, room),
            theme.style(Role::Text),
        );
    }
    // The rail: from the host down to the last container publishing ports.
    let published: Vec<u16> = p
        .rows
        .iter()
        .filter(|r| graph.containers[r.container].published)
        .map(|r| r.y)
        .collect();
    let below = graph.containers[graph.containers.len() - p.hidden.1..]
        .iter()
        .any(|c| c.published);
    let end = if below {
        p.area.y + p.area.height
    } else {
        match published.last() {
            Some(y) => *y + 1,
            None => return,
        }
    };
    let style = theme.style(Role::Border);
    for ry in y + 1..end {
        let ch = match (
            published.contains(&ry),
            published.last() == Some(&ry) && !below,
        ) {
            (true, true) => "└▶",
            (true, false) => "├▶",
            _ => "│",
        };
        pen.text(p.rail_x, ry, ch, style);
    }
}

fn draw_network(
    pen: &mut Pen,
    graph: &Graph,
    p: &Placement,
    i: usize,
    sel: Option<Node>,
    theme: &Theme,
) {
    let Some(c) = p.column(i) else {
        return;
    };
    let n = &graph.networks[i];
    let r = c.rect.intersection(pen.area);
    if r.width < 3 || r.height < 2 {
        return;
    }
    let selected = sel == Some(Node::Network(i));
    let border = if selected {
        theme.style(Role::Selection)
    } else {
        theme.style(Role::Border)
    };
    Block::bordered()
        .border_type(if selected {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(border)
        .title(
            Line::from(elide(&n.name, r.width - 2)).style(theme.style(if selected {
                Role::Selection
            } else {
                Role::Header
            })),
        )
        .render(r, pen.buf);
    let w = r.width - 2;
    let (first, second) = match n.driver.as_str() {
        "host" => ("the host's network".to_string(), String::new()),
        "null" => ("loopback only".to_string(), String::new()),
        _ => (
            n.subnet.clone().unwrap_or_else(|| "no subnet".into()),
            n.gateway
                .as_ref()
                .map(|g| format!("gw {g}"))
                .unwrap_or_default(),
        ),
    };
    let text = theme.style(Role::Text);
    if r.height > 2 {
        pen.text(r.x + 1, r.y + 1, &elide(&first, w), text);
    }
    if r.height > 3 {
        pen.text(r.x + 1, r.y + 2, &elide(&second, w), text);
    }
    if p.hidden_networks > 0 && Some(c) == p.columns.last() {
        let x = c.rect.x + c.rect.width + 1;
        pen.text(
            x,
            r.y + 1,
            &format!("+{}", p.hidden_networks),
            theme.style(Role::Dim),
        );
    }
}

fn draw_buses(pen: &mut Pen, graph: &Graph, p: &Placement, theme: &Theme) {
    let style = theme.style(Role::Border);
    let bottom = p.area.y + p.area.height;
    for c in &p.columns {
        let on = |node: &CtrNode| node.links.iter().any(|l| l.network == c.network);
        let below = graph.containers[graph.containers.len() - p.hidden.1..]
            .iter()
            .any(on);
        let last = p
            .rows
            .iter()
            .filter(|r| on(&graph.containers[r.container]))
            .map(|r| r.y)
            .next_back();
        let end = if below {
            bottom
        } else {
            match last {
                Some(y) => y,
                None => continue,
            }
        };
        let top = c.rect.y + c.rect.height;
        if c.rect.height == crate::tui::panes::topology::layout::BOX_H {
            pen.text(c.bus_x, top - 1, "┬", style);
        }
        for y in top..end {
            pen.text(c.bus_x, y, "│", style);
        }
    }
}

fn draw_container(
    pen: &mut Pen,
    graph: &Graph,
    p: &Placement,
    node: &CtrNode,
    y: u16,
    selected: bool,
    theme: &Theme,
) {
    let name = format!("[{}]", elide(&node.name, p.node_w.saturating_sub(2)));
    let role = match (selected, node.running) {
        (true, _) => Role::Selection,
        (false, true) => Role::StatusRunning,
        (false, false) => Role::Dim,
    };
    pen.text(p.node_x, y, &name, theme.style(role));
    let mut links: Vec<(&Link, u16)> = node
        .links
        .iter()
        .filter_map(|l| p.column(l.network).map(|c| (l, c.bus_x)))
        .collect();
    links.sort_by_key(|(_, x)| *x);
    let Some(&(_, last_x)) = links.last() else {
        return;
    };
    let line = theme.style(Role::Border);
    // The line, behind the other networks' buses.
    for x in p.node_x + name.chars().count() as u16..last_x {
        if pen.cell(x, y) == " " {
            pen.text(x, y, "─", line);
        }
    }
    let label = theme.style(Role::Text);
    let dim = theme.style(Role::Dim);
    for (l, x) in links {
        pen.text(x, y, "●", theme.style(Role::Info));
        let address = match (
            l.address.as_str(),
            graph.networks[l.network].driver.as_str(),
        ) {
            ("", "host") => "the host's stack".to_string(),
            ("", "null") => "no link".to_string(),
            ("", _) => "no address".to_string(),
            (a, _) => a.to_string(),
        };
        let rates = l.rates.map(|(rx, tx)| rates_text(rx, tx));
        let w = p.label_w;
        let first = match (&rates, p.per_row) {
            (Some(r), 1) if (address.chars().count() + 1 + r.chars().count()) as u16 <= w => {
                format!("{address} {r}")
            }
            _ => address,
        };
        pen.text(x + 1, y, &elide(&first, w), label);
        if p.per_row == 2
            && let Some(r) = rates
        {
            pen.text(x + 1, y + 1, &elide(&r, w), dim);
        }
    }
}
