//! The Networks pane: the networks (driver, subnet, gateway), the selected network's
//! topology (its containers with address, aliases, published ports and live rx/tx), and
//! its DNS query log (who asked for which name, what they got back), newest last.

use crate::engine::Network;
use crate::engine::human;
use crate::engine::{DnsLogEntry, Outcome};
use crate::tui::app::{App, Pane};
use crate::tui::filter::highlight;
use crate::tui::panes::networks::state::{EndpointIo, no_dns_reason};
use crate::tui::theme::{Role, Theme};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap};

/// Draws the whole Networks pane into `area`.
pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let [list, topo, dns] = areas(app, area);
    render_list(app, theme, list, buf);
    match app.networks.current() {
        Some(n) => {
            render_topology(app, n, theme, topo, buf);
            render_dns(app, n, theme, dns, buf);
        }
        None => {
            pane_block(Line::from(" Containers "), false, theme).render(topo, buf);
            pane_block(Line::from(" DNS queries "), false, theme).render(dns, buf);
        }
    }
}

/// Where the parts of the pane go in `area`: the list, the topology, the DNS log.
pub fn areas(app: &App, area: Rect) -> [Rect; 3] {
    let nets = &app.networks;
    let list_h = (nets.visible().len().max(1) as u16 + 3).clamp(5, (area.height / 3).max(5));
    let selected = nets.current();
    // One line per endpoint, one more for each published port past its first.
    let lines: usize = selected.map_or(0, |n| {
        nets.endpoint_rows(n, &app.containers.list)
            .iter()
            .map(|r| r.ports.len().max(1))
            .sum()
    });
    let topo_h = (lines.max(1) as u16 + 3).clamp(5, (area.height / 3).max(5));
    Layout::vertical([
        Constraint::Length(list_h),
        Constraint::Length(topo_h),
        Constraint::Min(3),
    ])
    .areas(area)
}

fn render_list(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let nets = &app.networks;
    let of = nets
        .for_container
        .as_ref()
        .and_then(|id| app.containers.list.iter().find(|c| c.id() == id));
    let visible = nets.visible();
    let count = nets.filter.count(visible.len(), nets.networks.len());
    let suffix = nets.filter.title_suffix();
    let title = match of {
        Some(c) => format!(
            " Networks ({count}) · ● = networks of '{}'{suffix} ",
            c.name()
        ),
        None => format!(" Networks ({count}){suffix} "),
    };
    let block = pane_block(Line::from(title), is_focused(app, Pane::Networks), theme);
    if visible.is_empty() {
        let (text, role) = match &nets.error {
            _ if !nets.networks.is_empty() => (
                "no network matches the filter (esc clears it)".to_string(),
                Role::Dim,
            ),
            Some(e) => (format!("cannot list networks: {e}"), Role::Error),
            None => ("loading…".to_string(), Role::Dim),
        };
        Paragraph::new(Line::from(text).style(theme.style(role)))
            .block(block)
            .render(area, buf);
        return;
    }
    // Below this width the list leaves out the bridge, the topology the interface and
    // the totals, so names and addresses keep room.
    let narrow = area.width < WIDE;
    let header = Row::new(pick(
        vec![
            "",
            "NAME",
            "DRIVER",
            "SUBNET",
            "GATEWAY",
            "INTERNAL",
            "BRIDGE",
            "CONTAINERS",
        ],
        narrow,
        6,
    ))
    .style(theme.style(Role::Header));
    let q = &nets.filter.query;
    let hit = theme.style(Role::SearchMatch);
    let lit = |text: &str, base: Style| Cell::from(highlight(text, q, base, hit));
    let rows = visible.iter().map(|i| &nets.networks[*i]).map(|n| {
        let mark = match &nets.for_container {
            Some(id) if n.endpoints.contains_key(id.as_str()) => "●",
            _ => "",
        };
        let dash = || "-".to_string();
        Row::new(pick(
            vec![
                Cell::from(mark).style(theme.style(Role::Info)),
                lit(&n.name, Style::default()),
                lit(&n.driver, Style::default()),
                lit(&n.subnet.clone().unwrap_or_else(dash), Style::default()),
                lit(&n.gateway.clone().unwrap_or_else(dash), Style::default()),
                Cell::from(if n.internal { "yes" } else { "no" }),
                Cell::from(if n.bridge.is_empty() {
                    dash()
                } else {
                    n.bridge.clone()
                })
                .style(theme.style(Role::Dim)),
                Cell::from(n.endpoints.len().to_string()),
            ],
            narrow,
            6,
        ))
        .style(theme.style(Role::Text))
    });
    let widths = pick(
        vec![
            Constraint::Length(1),
            Constraint::Fill(2),
            Constraint::Length(7),
            Constraint::Length(18),
            Constraint::Length(15),
            Constraint::Length(8),
            Constraint::Length(15),
            Constraint::Length(10),
        ],
        narrow,
        6,
    );
    let table = Table::new(rows, widths)
        .header(header)
        .block(block)
        .row_highlight_style(theme.style(Role::Selection))
        .highlight_symbol("▶ ");
    let at = visible.iter().position(|i| *i == nets.selected);
    let mut state = TableState::default().with_selected(at);
    StatefulWidget::render(table, area, buf, &mut state);
}

/// Terminals narrower than this get the compact tables.
const WIDE: u16 = 110;

/// `items` without the one at `drop` when `narrow`.
fn pick<T>(mut items: Vec<T>, narrow: bool, drop: usize) -> Vec<T> {
    if narrow && drop < items.len() {
        items.remove(drop);
    }
    items
}

/// `1.2kB/s (34kB)`, or the total alone before a rate is known; narrow: the rate alone.
fn io_text(bytes: u64, rate: Option<f64>, narrow: bool) -> String {
    match (rate, narrow) {
        (Some(r), true) => human::rate(r),
        (Some(r), false) => format!("{} ({})", human::rate(r), human::size(bytes)),
        (None, _) => human::size(bytes),
    }
}

fn render_topology(app: &App, n: &Network, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let mut title = format!(" {} · {}", n.name, n.driver);
    if let Some(s) = &n.subnet {
        title.push_str(&format!(" · {s}"));
    }
    if let Some(g) = &n.gateway {
        title.push_str(&format!(" via {g}"));
    }
    if n.internal {
        title.push_str(" · internal");
    }
    title.push(' ');
    let block = pane_block(Line::from(title), false, theme);
    let rows = app.networks.endpoint_rows(n, &app.containers.list);
    if rows.is_empty() {
        Paragraph::new(
            Line::from(format!(
                "no containers: run one with --network {} or connect one (c)",
                n.name
            ))
            .style(theme.style(Role::Dim)),
        )
        .block(block)
        .render(area, buf);
        return;
    }
    let narrow = area.width < WIDE;
    let header = Row::new(pick(
        vec![
            "CONTAINER",
            "IP",
            "ALIASES",
            "IFACE",
            "PUBLISHED",
            "RX",
            "TX",
        ],
        narrow,
        3,
    ))
    .style(theme.style(Role::Header));
    let table_rows = rows.iter().map(|r| {
        let (rx, tx) = match r.io {
            Some(EndpointIo {
                rx,
                tx,
                rx_rate,
                tx_rate,
            }) if r.running => (io_text(rx, rx_rate, narrow), io_text(tx, tx_rate, narrow)),
            _ => ("-".to_string(), "-".to_string()),
        };
        let ports = if r.ports.is_empty() {
            "-".to_string()
        } else {
            r.ports.join("\n")
        };
        let height = r.ports.len().max(1) as u16;
        let role = if r.running { Role::Text } else { Role::Dim };
        Row::new(pick(
            vec![
                Cell::from(r.name.clone()),
                Cell::from(r.address.clone()),
                Cell::from(r.aliases.join(", ")),
                Cell::from(r.ifname.clone()),
                Cell::from(ports),
                Cell::from(rx).style(theme.style(Role::ChartRx)),
                Cell::from(tx).style(theme.style(Role::ChartTx)),
            ],
            narrow,
            3,
        ))
        .height(height)
        .style(theme.style(role))
    });
    let io_w = if narrow { 9 } else { 16 };
    let widths = pick(
        vec![
            Constraint::Fill(2),
            Constraint::Length(17),
            Constraint::Fill(2),
            Constraint::Length(5),
            Constraint::Fill(4),
            Constraint::Length(io_w),
            Constraint::Length(io_w),
        ],
        narrow,
        3,
    );
    let table = Table::new(table_rows, widths).header(header).block(block);
    Widget::render(table, area, buf);
}

fn answer_role(e: &DnsLogEntry) -> Role {
    match e.outcome {
        Outcome::Answered => Role::Info,
        Outcome::NoData | Outcome::Forwarded(_) => Role::Dim,
        Outcome::NxDomain => Role::Error,
    }
}

fn render_dns(app: &App, n: &Network, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let title = Line::from(format!(" DNS queries on {} ", n.name));
    let block = pane_block(title, false, theme);
    if let Some(reason) = no_dns_reason(n) {
        Paragraph::new(Line::from(reason).style(theme.style(Role::Dim)))
            .wrap(Wrap { trim: true })
            .block(block)
            .render(area, buf);
        return;
    }
    let log = app
        .networks
        .dns
        .get(&n.id)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    if log.is_empty() {
        Paragraph::new(Line::from(vec![Span::styled(
            format!(
                "no queries yet: containers on '{}' ask berth's DNS server at 127.0.0.11; \
                 each query and its answer shows here",
                n.name
            ),
            theme.style(Role::Dim),
        )]))
        .wrap(Wrap { trim: true })
        .block(block)
        .render(area, buf);
        return;
    }
    let header =
        Row::new(["TIME", "CONTAINER", "NAME", "TYPE", "ANSWER"]).style(theme.style(Role::Header));
    // Newest last: show the rows that fit, ending with the newest.
    let fit = usize::from(area.height.saturating_sub(3));
    let shown = &log[log.len().saturating_sub(fit)..];
    let rows = shown.iter().map(|e| {
        let time = e
            .time
            .with_timezone(&chrono::Local)
            .format("%H:%M:%S")
            .to_string();
        Row::new([
            Cell::from(time).style(theme.style(Role::Dim)),
            Cell::from(e.container_name.clone()),
            Cell::from(e.name.clone()),
            Cell::from(e.qtype.clone()),
            Cell::from(e.answer_text()).style(theme.style(answer_role(e))),
        ])
        .style(theme.style(Role::Text))
    });
    let widths = [
        Constraint::Length(8),
        Constraint::Fill(1),
        Constraint::Fill(2),
        Constraint::Length(5),
        Constraint::Fill(3),
    ];
    let table = Table::new(rows, widths).header(header).block(block);
    Widget::render(table, area, buf);
}
