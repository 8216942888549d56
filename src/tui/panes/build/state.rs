//! The build form and the build view: what the dashboard asks for a build (context,
//! Dockerfile, tags, build args), and the steps as they stream in (cache hit, layer size,
//! time), the command's last output lines, and the outcome.

use crate::engine::{BuildEvent, ImageId};
use std::collections::{BTreeMap, VecDeque};

/// Lines of RUN output kept for the view.
pub const OUTPUT_LINES: usize = 200;

/// The form's fields, in order.
pub const FIELDS: [&str; 4] = ["Context", "Dockerfile", "Tags", "Build args"];

/// The build form (a popup).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildForm {
    /// Context directory, Dockerfile (empty: CONTEXT/Dockerfile), tags and build args
    /// (both separated by blanks or commas).
    pub values: [String; 4],
    /// The field being edited.
    pub field: usize,
}

impl Default for BuildForm {
    fn default() -> Self {
        BuildForm {
            values: [".".to_string(), String::new(), String::new(), String::new()],
            field: 0,
        }
    }
}

impl BuildForm {
    /// Moves to another field (wrapping).
    pub fn move_field(&mut self, delta: isize) {
        let n = FIELDS.len() as isize;
        self.field = (self.field as isize + delta).rem_euclid(n) as usize;
    }

    /// The field being typed in.
    pub fn current(&mut self) -> &mut String {
        &mut self.values[self.field]
    }

    /// The request the form describes, or what is wrong with it.
    pub fn request(&self) -> Result<BuildRequest, String> {
        let context = self.values[0].trim().to_string();
        if context.is_empty() {
            return Err("give the build context: a directory holding the Dockerfile".into());
        }
        let list = |s: &str| -> Vec<String> {
            s.split([' ', ','])
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut build_args = BTreeMap::new();
        for a in list(&self.values[3]) {
            match a.split_once('=') {
                Some((k, v)) if !k.is_empty() => {
                    build_args.insert(k.to_string(), v.to_string());
                }
                _ => return Err(format!("invalid build argument '{a}': expected KEY=VALUE")),
            }
        }
        let dockerfile = self.values[1].trim();
        Ok(BuildRequest {
            context,
            dockerfile: (!dockerfile.is_empty()).then(|| dockerfile.to_string()),
            tags: list(&self.values[2]),
            build_args,
        })
    }
}

/// A build to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildRequest {
    /// The context directory.
    pub context: String,
    /// `-f`.
    pub dockerfile: Option<String>,
    /// `-t`.
    pub tags: Vec<String>,
    /// `--build-arg`.
    pub build_args: BTreeMap<String, String>,
}

impl BuildRequest {
    /// The equivalent command line.
    pub fn cli_line(&self) -> String {
        let mut parts = vec!["berth build".to_string()];
        for t in &self.tags {
            parts.push(format!("-t {}", crate::tui::action::quote(t)));
        }
        if let Some(f) = &self.dockerfile {
            parts.push(format!("-f {}", crate::tui::action::quote(f)));
        }
        for (k, v) in &self.build_args {
            parts.push(format!(
                "--build-arg {}",
                crate::tui::action::quote(&format!("{k}={v}"))
            ));
        }
        parts.push(crate::tui::action::quote(&self.context));
        parts.join(" ")
    }
}

/// One step as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    /// `3/12`.
    pub number: usize,
    /// Steps in the build.
    pub total: usize,
    /// The instruction.
    pub text: String,
    /// Came from the cache.
    pub cached: bool,
    /// The layer it made.
    pub layer_size: Option<u64>,
    /// Milliseconds it took, once done.
    pub millis: Option<u128>,
    /// The image id after it.
    pub id: Option<String>,
    /// The build failed at this step.
    pub failed: bool,
}

/// The build popups' state: the running or last build, and the form's last values.
#[derive(Debug, Clone, Default)]
pub struct BuildState {
    /// The running or last build.
    pub view: BuildView,
    /// The build form's last values.
    pub form: BuildForm,
}

/// A build running or done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildView {
    /// What was asked.
    pub request: Option<BuildRequest>,
    /// Steps so far.
    pub steps: Vec<StepRow>,
    /// The last lines of RUN output (and notes).
    pub output: VecDeque<String>,
    /// A line of output not ended yet.
    partial: String,
    /// Still running.
    pub running: bool,
    /// The image id, or why the build failed.
    pub outcome: Option<Result<ImageId, String>>,
    /// The image to select once the image list arrives.
    pub select_after: Option<ImageId>,
}

impl BuildView {
    /// A view for a build that is starting.
    pub fn start(request: BuildRequest) -> BuildView {
        BuildView {
            request: Some(request),
            running: true,
            ..BuildView::default()
        }
    }

    /// Takes one progress report.
    pub fn event(&mut self, e: BuildEvent) {
        match e {
            BuildEvent::Step {
                number,
                total,
                text,
            } => self.steps.push(StepRow {
                number,
                total,
                text,
                cached: false,
                layer_size: None,
                millis: None,
                id: None,
                failed: false,
            }),
            BuildEvent::CacheHit => {
                if let Some(s) = self.steps.last_mut() {
                    s.cached = true;
                }
            }
            BuildEvent::Running(id) => self.line(format!("running in {}", id.short())),
            BuildEvent::Output(data) => {
                self.partial.push_str(&String::from_utf8_lossy(&data));
                while let Some(i) = self.partial.find('\n') {
                    let line: String = self.partial.drain(..=i).collect();
                    self.line(line.trim_end_matches(['\n', '\r']).to_string());
                }
            }
            BuildEvent::StepDone {
                id,
                layer_size,
                elapsed,
            } => {
                if let Some(s) = self.steps.last_mut() {
                    s.layer_size = layer_size;
                    s.millis = Some(elapsed.as_millis());
                    s.id = Some(id);
                }
            }
            BuildEvent::Note(n) => self.line(n),
        }
    }

    fn line(&mut self, l: String) {
        self.output.push_back(l);
        while self.output.len() > OUTPUT_LINES {
            self.output.pop_front();
        }
    }

    /// The build ended.
    pub fn finish(&mut self, result: Result<ImageId, String>) {
        if !self.partial.is_empty() {
            let rest = std::mem::take(&mut self.partial);
            self.line(rest);
        }
        self.running = false;
        if result.is_err()
            && let Some(s) = self.steps.last_mut().filter(|s| s.millis.is_none())
        {
            s.failed = true;
        }
        self.select_after = result.as_ref().ok().cloned();
        self.outcome = Some(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn form_gives_a_request_and_the_view_follows_events() {
        let mut f = BuildForm::default();
        f.move_field(2);
        f.current().push_str("app:1, app:latest");
        f.move_field(1);
        f.current().push_str("V=2");
        let r = f.request().expect("request");
        assert_eq!(r.tags, vec!["app:1", "app:latest"]);
        assert_eq!(
            r.cli_line(),
            "berth build -t app:1 -t app:latest --build-arg V=2 ."
        );
        f.current().push_str(" bad");
        assert!(f.request().is_err());

        let mut v = BuildView::start(r);
        v.event(BuildEvent::Step {
            number: 1,
            total: 2,
            text: "FROM busybox".into(),
        });
        v.event(BuildEvent::StepDone {
            id: "sha256:aa".into(),
            layer_size: None,
            elapsed: Duration::from_millis(3),
        });
        v.event(BuildEvent::Step {
            number: 2,
            total: 2,
            text: "RUN echo hi".into(),
        });
        v.event(BuildEvent::Output(b"h".to_vec()));
        v.event(BuildEvent::Output(b"i\nthere".to_vec()));
        v.event(BuildEvent::CacheHit);
        v.finish(Ok(ImageId::from_trusted("sha256:bb")));
        assert!(v.steps[1].cached);
        assert_eq!(v.output, ["hi", "there"]);
        assert_eq!(v.select_after.as_deref(), Some("sha256:bb"));

        let mut f = BuildView::start(
            f.request()
                .unwrap_or_else(|_| v.request.clone().expect("request")),
        );
        f.event(BuildEvent::Step {
            number: 1,
            total: 1,
            text: "RUN false".into(),
        });
        f.finish(Err(
            "The command '/bin/sh -c false' returned a non-zero code: 1".into(),
        ));
        assert!(f.steps[0].failed && f.select_after.is_none());
    }
}
