//! Render tests of the Containers pane on ratatui's TestBackend: what a user would see,
//! text and colours, for the states containers can be in.

mod filter;
mod mouse;
mod sizes;
mod update;

use crate::tui::action::{Action, EngineOp};
use crate::tui::app::{App, AppSettings};
use crate::tui::keymap::{Keymap, UserAction};
use crate::tui::testkit::*;
use crate::tui::theme::{Role, Theme};
use ratatui::style::Color;

#[test]
fn containers_pane_shows_names_status_and_exit_code() {
    let theme = Theme::preset("default").expect("theme");
    let app = app_with(Keymap::default());
    let buf = draw(&app, &theme, 120, 30);
    let screen = rows(&buf).join("\n");
    for text in [
        "Containers (4)",
        "NAME",
        "IMAGE",
        "STATUS",
        "web",
        "img1:latest",
        "Up 5 minutes",
        "job",
        "Exited (137) 2 hours ago",
        "fresh",
        "Created",
        "frozen",
        "Up 30 seconds (Paused)",
        "111111111111",
    ] {
        assert!(screen.contains(text), "missing '{text}':\n{screen}");
    }
}

#[test]
fn containers_pane_shows_health_as_docker_ps() {
    use crate::engine::{Health, HealthStatus, Status};
    let theme = Theme::preset("default").expect("theme");
    let mut list = sample();
    let mut sick = container(5, "sick", Status::Running);
    sick.state.started_at = Some(now() - chrono::Duration::minutes(2));
    sick.state.health = Some(Health {
        status: HealthStatus::Unhealthy,
        failing_streak: 3,
        log: Vec::new(),
    });
    list[0].state.health = Some(Health {
        status: HealthStatus::Healthy,
        ..Health::default()
    });
    let mut young = container(6, "young", Status::Running);
    young.state.started_at = Some(now() - chrono::Duration::seconds(3));
    young.state.health = Some(Health::default());
    list.extend([sick, young]);
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    app.update(Action::ContainersListed(Ok(list)));
    let screen = rows(&draw(&app, &theme, 140, 30)).join("\n");
    for text in [
        "Up 5 minutes (healthy)",
        "Up 2 minutes (unhealthy)",
        "Up 3 seconds (health: starting)",
    ] {
        assert!(screen.contains(text), "missing '{text}':\n{screen}");
    }
}

#[test]
fn status_cells_use_the_status_roles() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    // Select the last row so the rows checked below carry their own colours.
    app.containers.selected = 3;
    let buf = draw(&app, &theme, 120, 30);
    let role = |r: Role| theme.style(r).fg.expect("role has a colour");
    assert_eq!(fg_at(&buf, "Exited (137)"), role(Role::StatusExited));
    assert_eq!(fg_at(&buf, "Exited (137)"), Color::Red);
    assert_eq!(fg_at(&buf, "Up 5 minutes"), role(Role::StatusRunning));
    assert_eq!(fg_at(&buf, "Up 5 minutes"), Color::Green);
    assert_eq!(fg_at(&buf, "Created"), role(Role::StatusCreated));
    assert_eq!(fg_at(&buf, "Created"), Color::Blue);
    // The selected row is drawn in the selection role.
    let (x, y) = find(&buf, "frozen");
    assert_eq!(buf[(x, y)].bg, theme.style(Role::Selection).bg.expect("bg"));

    // Another theme changes the colours, not the widgets.
    let light = Theme::preset("light").expect("light");
    let buf = draw(&app, &light, 120, 30);
    assert_eq!(fg_at(&buf, "Exited (137)"), Color::Rgb(0xbb, 0, 0));
    assert_eq!(fg_at(&buf, "Up 5 minutes"), Color::Rgb(0, 0x77, 0));
}

#[test]
fn a_container_being_stopped_says_so_until_the_engine_returns() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = app_with(Keymap::default());
    app.containers.selected = 3;
    app.update(Action::User(UserAction::GoTop));
    app.update(Action::User(UserAction::StopContainer));
    let buf = draw(&app, &theme, 120, 30);
    let screen = rows(&buf).join("\n");
    let (_, y) = find(&buf, "web");
    assert!(rows(&buf)[y as usize].contains("Stopping…"), "{screen}");
    assert!(!screen.contains("Up 5 minutes"), "{screen}");
    assert!(screen.contains("stopping 'web'…"), "status bar: {screen}");
    assert!(screen.contains("berth stop web"), "command log: {screen}");
    app.containers.selected = 3;
    let buf = draw(&app, &theme, 120, 30);
    assert_eq!(
        fg_at(&buf, "Stopping…"),
        theme.style(Role::StatusRestarting).fg.expect("fg")
    );
    // The stop returns: the row shows the container's status again.
    app.update(Action::OpFinished {
        op: EngineOp::Stop("web".into()),
        result: Ok(()),
    });
    let screen = rows(&draw(&app, &theme, 120, 30)).join("\n");
    assert!(!screen.contains("Stopping…"), "{screen}");
    assert!(screen.contains("stopped 'web'"), "{screen}");
}

#[test]
fn empty_state_tells_how_to_start() {
    let theme = Theme::preset("default").expect("theme");
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    let buf = draw(&app, &theme, 100, 20);
    assert!(rows(&buf).join("\n").contains("loading…"));
    app.update(Action::ContainersListed(Ok(vec![])));
    let buf = draw(&app, &theme, 100, 20);
    let screen = rows(&buf).join("\n");
    assert!(
        screen.contains("no containers: create one with 'berth run"),
        "{screen}"
    );
    assert!(screen.contains("no container selected"), "{screen}");
    assert!(
        screen.contains("┌ Logs ─"),
        "no name in the title: {screen}"
    );
}

#[test]
fn containers_pane_shows_published_ports_and_networks_as_docker_ps() {
    use crate::engine::Memberships;
    use crate::engine::PortBinding;
    let theme = Theme::preset("default").expect("theme");
    let mut list = sample();
    list[0].config.net.ports = vec![PortBinding {
        host_ip: String::new(),
        host_port: 8080,
        container_port: 80,
        protocol: "tcp".into(),
    }];
    list[0].config.network_mode = "bridge".into();
    let mut app = App::new(Keymap::default(), AppSettings::default(), now());
    let mut m = Memberships::default();
    m.insert(&list[0].config.id, vec!["bridge".into(), "front".into()]);
    app.update(Action::NetworksOfContainers(m));
    app.update(Action::ContainersListed(Ok(list)));
    for (w, h) in [(120, 30), (80, 24)] {
        let buf = draw(&app, &theme, w, h);
        let screen = rows(&buf).join("\n");
        let (_, y) = find(&buf, "web ");
        let row = &rows(&buf)[y as usize];
        assert!(row.contains("0.0.0.0:8080->80/tcp"), "{w}x{h}:\n{screen}");
        assert!(row.contains("Up 5 minutes"), "{w}x{h}:\n{screen}");
        if w >= 120 {
            assert!(row.contains("bridge,front"), "{w}x{h}:\n{screen}");
            assert!(
                screen.contains("PORTS") && screen.contains("NETWORKS"),
                "{screen}"
            );
        }
        // A container without networks of berth's shows its mode.
        let (_, y) = find(&buf, "job ");
        assert!(
            w < 120 || rows(&buf)[y as usize].contains("none"),
            "{w}x{h}:\n{screen}"
        );
    }
}
