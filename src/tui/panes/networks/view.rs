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
use crate::tui::ui::table::{Column, Fitted, Size};
use crate::tui::ui::{is_focused, pane_block};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Widget, Wrap};

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
    if visible.is_empty() {
        let block = pane_block(Line::from(title), is_focused(app, Pane::Networks), theme);
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
    let texts: Vec<[String; 8]> = visible
        .iter()
        .map(|i| &nets.networks[*i])
        .map(|n| {
            let mark = match &nets.for_container {
                Some(id) if n.endpoints.contains_key(id.as_str()) => "●",
                _ => "",
            };
            let dash = || "-".to_string();
            [
                mark.to_string(),
                n.name.clone(),
                n.driver.clone(),
                n.subnet.clone().unwrap_or_else(dash),
                n.gateway.clone().unwrap_or_else(dash),
                if n.internal { "yes" } else { "no" }.to_string(),
                if n.bridge.is_empty() {
                    dash()
                } else {
                    n.bridge.clone()
                },
                n.endpoints.len().to_string(),
            ]
        })
        .collect();
    let fitted = Fitted::new(&list_columns(), &texts, area, true);
    let block = pane_block(Line::from(title), is_focused(app, Pane::Networks), theme);
    let q = &nets.filter.query;
    let hit = theme.style(Role::SearchMatch);
    let rows = texts.iter().map(|t| {
        let text = |i: usize| fitted.cut(i, &t[i]);
        let lit = |i: usize| Cell::from(highlight(&text(i), q, Style::default(), hit));
        fitted
            .row([
                Cell::from(text(0)).style(theme.style(Role::Info)),
                lit(1),
                lit(2),
                lit(3),
                lit(4),
                Cell::from(text(5)),
                Cell::from(text(6)).style(theme.style(Role::Dim)),
                Cell::from(text(7)),
            ])
            .style(theme.style(Role::Text))
    });
    let at = visible.iter().position(|i| *i == nets.selected);
    fitted.render(rows, block, theme, at, (area, buf));
}

/// The list's columns: the mark, the name and the subnet first; the bridge, whether it
/// is internal and the container count go first.
fn list_columns() -> [Column; 8] {
    [
        Column::new("", Size::Fixed(1), 0),
        Column::new("NAME", Size::Content { cap: 32, min: 10 }, 0),
        Column::new("DRIVER", Size::Whole { cap: 8 }, 2),
        Column::new("SUBNET", Size::Whole { cap: 43 }, 1),
        Column::new("GATEWAY", Size::Whole { cap: 39 }, 3),
        Column::new("INTERNAL", Size::Whole { cap: 8 }, 5),
        Column::new("BRIDGE", Size::Whole { cap: 15 }, 6),
        Column::new("CONTAINERS", Size::Whole { cap: 10 }, 4),
    ]
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
    let rows = app.networks.endpoint_rows(n, &app.containers.list);
    if rows.is_empty() {
        let block = pane_block(Line::from(title), false, theme);
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
    // Rates with totals when they fit whole, the rates alone otherwise.
    let texts = |narrow: bool| -> Vec<[String; 7]> {
        rows.iter()
            .map(|r| {
                let (rx, tx) = match r.io {
                    Some(EndpointIo {
                        rx,
                        tx,
                        rx_rate,
                        tx_rate,
                    }) if r.running => (io_text(rx, rx_rate, narrow), io_text(tx, tx_rate, narrow)),
                    _ => ("-".to_string(), "-".to_string()),
                };
                [
                    r.name.clone(),
                    r.address.clone(),
                    r.aliases.join(", "),
                    r.ifname.clone(),
                    if r.ports.is_empty() {
                        "-".to_string()
                    } else {
                        r.ports.join("\n")
                    },
                    rx,
                    tx,
                ]
            })
            .collect()
    };
    let mut cells = texts(false);
    let mut fitted = Fitted::new(&endpoint_columns(), &cells, area, false);
    if !(fitted.whole(5) && fitted.whole(6)) {
        cells = texts(true);
        fitted = Fitted::new(&endpoint_columns(), &cells, area, false);
    }
    let block = pane_block(Line::from(title), false, theme);
    let table_rows = rows.iter().zip(&cells).map(|(r, t)| {
        let text = |i: usize| fitted.cut(i, &t[i]);
        let role = if r.running { Role::Text } else { Role::Dim };
        fitted
            .row([
                Cell::from(text(0)),
                Cell::from(text(1)),
                Cell::from(text(2)),
                Cell::from(text(3)),
                Cell::from(text(4)),
                Cell::from(text(5)).style(theme.style(Role::ChartRx)),
                Cell::from(text(6)).style(theme.style(Role::ChartTx)),
            ])
            .height(r.ports.len().max(1) as u16)
            .style(theme.style(role))
    });
    fitted.render(table_rows, block, theme, None, (area, buf));
}

/// The topology's columns: the container, its address and its published ports (whole:
/// a cut port is no port) first; the interface goes first, then the rates and aliases.
fn endpoint_columns() -> [Column; 7] {
    [
        Column::new("CONTAINER", Size::Content { cap: 32, min: 10 }, 0),
        Column::new("IP", Size::Whole { cap: 43 }, 1),
        Column::new("ALIASES", Size::Content { cap: 32, min: 8 }, 3),
        Column::new("IFACE", Size::Whole { cap: 15 }, 6),
        Column::new("PUBLISHED", Size::Whole { cap: 96 }, 2),
        Column::new("RX", Size::Whole { cap: 20 }, 4),
        Column::new("TX", Size::Whole { cap: 20 }, 5),
    ]
}

fn answer_role(e: &DnsLogEntry) -> Role {
    match e.outcome {
        Outcome::Answered => Role::Info,
        Outcome::NoData | Outcome::Forwarded(_) => Role::Dim,
        Outcome::NxDomain => Role::Error,
    }
}

fn render_dns(app: &App, n: &Network, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let block = pane_block(
        Line::from(format!(" DNS queries on {} ", n.name)),
        false,
        theme,
    );
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
    // Newest last: show the rows that fit, ending with the newest.
    let fit = usize::from(area.height.saturating_sub(3));
    let shown = &log[log.len().saturating_sub(fit)..];
    let texts: Vec<[String; 5]> = shown
        .iter()
        .map(|e| {
            [
                e.time
                    .with_timezone(&chrono::Local)
                    .format("%H:%M:%S")
                    .to_string(),
                e.container_name.clone(),
                e.name.clone(),
                e.qtype.clone(),
                e.answer_text(),
            ]
        })
        .collect();
    let columns = DNS_COLUMNS.map(|(h, s, p)| Column::new(h, s, p));
    let fitted = Fitted::new(&columns, &texts, area, false);
    let title = format!(" DNS queries on {} ", n.name);
    let block = pane_block(Line::from(title), false, theme);
    let rows = shown.iter().zip(&texts).map(|(e, t)| {
        let text = |i: usize| fitted.cut(i, &t[i]);
        fitted
            .row([
                Cell::from(text(0)).style(theme.style(Role::Dim)),
                Cell::from(text(1)),
                Cell::from(text(2)),
                Cell::from(text(3)),
                Cell::from(text(4)).style(theme.style(answer_role(e))),
            ])
            .style(theme.style(Role::Text))
    });
    fitted.render(rows, block, theme, None, (area, buf));
}

/// The DNS log's columns: the name asked for, who asked, and the answer (taking the
/// width left) first; the time goes first, then the query type.
const DNS_COLUMNS: [(&str, Size, u8); 5] = [
    ("TIME", Size::Whole { cap: 8 }, 4),
    ("CONTAINER", Size::Content { cap: 32, min: 8 }, 1),
    ("NAME", Size::Content { cap: 48, min: 12 }, 0),
    ("TYPE", Size::Whole { cap: 6 }, 3),
    ("ANSWER", Size::Rest { min: 12 }, 2),
];
