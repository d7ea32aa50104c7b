//! One user's session: which scenario, which switches and knobs, the run those produce, and the
//! playhead. Pure data and plain methods (no UI crate, no clock), so it is tested natively; the
//! UI keeps one `Session` in a signal and renders projections of it.
//!
//! Data flows one way: scenario + settings → `Config` → run (`step` after `step`) → views.
use crate::sim::explore::{fix_matrix, MatrixCell, Outcome};
use crate::sim::run::{self, Run};
use crate::sim::{compile, Config, Event, Scenario, Settings, State};
use std::sync::Arc;

/// The explorer stops after this many states per matrix cell and says so.
pub const STATE_LIMIT: usize = 60_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The write-up's story, followed as far as the settings allow.
    Story,
    /// The explorer's shortest path to trouble for these settings, then the run to its end.
    Counterexample,
    /// A schedule from a link.
    Link,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Error(String),
    Info(String),
}

#[derive(Clone)]
pub struct Session {
    /// Shared, so cloning a session (as `apply_link` does to keep the current one on error) is cheap;
    /// each scenario behind its own Arc, so adding one never copies the others.
    pub scenarios: Arc<Vec<Arc<Scenario>>>,
    pub current: usize,
    pub settings: Settings,
    pub cfg: Arc<Config>,
    pub run: Arc<Run>,
    pub cursor: usize,
    pub source: Source,
    pub notice: Option<Notice>,
}

impl Session {
    /// A session on the first scenario at its defaults.
    pub fn new(scenarios: Vec<Scenario>) -> Result<Session, String> {
        let first = scenarios.first().ok_or("no scenarios")?;
        let settings = first.default_settings();
        let cfg = compile(first, &settings).map_err(|e| e.to_string())?;
        let run = run::guided_run(&cfg);
        Ok(Session {
            scenarios: Arc::new(scenarios.into_iter().map(Arc::new).collect()),
            current: 0,
            settings,
            cfg: Arc::new(cfg),
            run: Arc::new(run),
            cursor: 0,
            source: Source::Story,
            notice: None,
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenarios[self.current]
    }
    pub fn state(&self) -> &State {
        &self.run.states[self.cursor]
    }
    /// The event that led to the current state (none at the start).
    pub fn event(&self) -> Option<&Event> {
        self.cursor.checked_sub(1).map(|i| &self.run.events[i])
    }
    pub fn prev_state(&self) -> Option<&State> {
        self.cursor.checked_sub(1).map(|i| &self.run.states[i])
    }
    pub fn steps(&self) -> usize {
        self.run.events.len()
    }
    pub fn at_end(&self) -> bool {
        self.cursor == self.steps()
    }
    pub fn outcome(&self) -> Outcome {
        self.cfg.outcome(self.state())
    }
    pub fn final_outcome(&self) -> Outcome {
        self.cfg.outcome(self.run.last())
    }
    /// Rebuilds the configuration and the run; the playhead keeps its step number (clamped).
    fn rebuild(&mut self, settings: Settings) -> Result<(), String> {
        let cfg = compile(self.scenario(), &settings).map_err(|e| e.to_string())?;
        let run = run::guided_run(&cfg);
        self.cursor = self.cursor.min(run.events.len());
        self.settings = settings;
        self.cfg = Arc::new(cfg);
        self.run = Arc::new(run);
        self.source = Source::Story;
        Ok(())
    }

    fn apply(&mut self, settings: Settings) {
        match self.rebuild(settings) {
            Ok(()) => self.notice = None,
            Err(e) => self.notice = Some(Notice::Error(format!("Those settings cannot run: {e}"))),
        }
    }

    pub fn select(&mut self, index: usize) {
        if index >= self.scenarios.len() || index == self.current && self.cursor == 0 {
            return;
        }
        let before = (self.current, self.settings.clone());
        self.current = index;
        self.cursor = 0;
        let defaults = self.scenario().default_settings();
        if let Err(e) = self.rebuild(defaults) {
            (self.current, self.settings) = before;
            self.notice = Some(Notice::Error(format!("That scenario cannot run: {e}")));
        } else {
            self.notice = None;
        }
    }

    pub fn set_switch(&mut self, i: usize, on: bool) {
        if i < self.settings.switches.len() && self.settings.switches[i] != on {
            let mut s = self.settings.clone();
            s.switches[i] = on;
            self.apply(s);
        }
    }

    pub fn set_knob(&mut self, i: usize, value: i64) {
        let Some(k) = self.scenario().knobs.get(i) else {
            return;
        };
        let value = value.clamp(k.min, k.max);
        if self.settings.knobs[i] != value {
            let mut s = self.settings.clone();
            s.knobs[i] = value;
            self.apply(s);
        }
    }

    /// Back to the scenario's shipped settings and the first step.
    pub fn reset(&mut self) {
        self.cursor = 0;
        let d = self.scenario().default_settings();
        self.apply(d);
    }

    pub fn forward(&mut self) -> bool {
        let moved = self.cursor < self.steps();
        if moved {
            self.cursor += 1;
        }
        moved
    }
    pub fn back(&mut self) -> bool {
        let moved = self.cursor > 0;
        if moved {
            self.cursor -= 1;
        }
        moved
    }
    pub fn seek(&mut self, step: usize) {
        self.cursor = step.min(self.steps());
    }

    /// Index of the current switches in the fix matrix.
    pub fn matrix_cell(&self) -> usize {
        self.settings
            .switches
            .iter()
            .enumerate()
            .fold(0, |m, (j, &on)| m | (on as usize) << j)
    }

    /// The explorer's verdict for every switch combination at the current knobs.
    pub fn matrix(&self) -> Result<Vec<MatrixCell>, String> {
        fix_matrix(self.scenario(), &self.settings.knobs, STATE_LIMIT).map_err(|e| e.to_string())
    }

    /// Switches to a matrix cell's settings and plays the explorer's shortest path to trouble,
    /// then the rest of that run, with the playhead where the trouble starts. Returns false (with
    /// a notice) when the cell has no such path.
    pub fn load_counterexample(&mut self, cell: &MatrixCell) -> bool {
        let Some(trace) = cell.exploration.counterexample().cloned() else {
            self.notice = Some(Notice::Info(
                "The explorer found no interleaving that goes wrong with these switches.".into(),
            ));
            return false;
        };
        let settings = Settings {
            switches: cell.switches.clone(),
            knobs: self.settings.knobs.clone(),
        };
        match self.play_trace(settings, &trace) {
            Ok(()) => {
                self.source = Source::Counterexample;
                self.cursor = trace.len();
                self.notice = None;
                true
            }
            Err(e) => {
                self.notice = Some(Notice::Error(e));
                false
            }
        }
    }

    /// Takes a matrix cell's switches (keeping knobs) and plays the story under them.
    pub fn use_switches(&mut self, switches: &[bool]) {
        let s = Settings {
            switches: switches.to_vec(),
            knobs: self.settings.knobs.clone(),
        };
        self.apply(s);
    }

    /// One line per step of the whole run ("what happened"), for the story list.
    pub fn story(&self) -> Vec<String> {
        (0..self.steps())
            .map(|i| {
                self.cfg
                    .narrate(
                        &self.run.states[i],
                        &self.run.events[i],
                        &self.run.states[i + 1],
                    )
                    .what
            })
            .collect()
    }

    fn play_trace(
        &mut self,
        settings: Settings,
        trace: &[crate::sim::Choice],
    ) -> Result<(), String> {
        let cfg = compile(self.scenario(), &settings).map_err(|e| e.to_string())?;
        let mut run = run::replay(&cfg, trace)?;
        run::extend(&cfg, &mut run);
        self.settings = settings;
        self.cfg = Arc::new(cfg);
        self.run = Arc::new(run);
        Ok(())
    }

    /// Loads a scenario file the user chose; on error the session is unchanged.
    pub fn add_scenario(&mut self, text: &str) -> Result<(), String> {
        // Editors on Windows may start the file with a byte-order mark; JSON itself does not allow one.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let sc = Scenario::from_json(text)
            .map_err(|e| format!("That scenario file cannot be used: {e}"))?;
        let scenarios = Arc::make_mut(&mut self.scenarios);
        let index = match scenarios.iter().position(|s| s.id == sc.id) {
            Some(i) => {
                scenarios[i] = Arc::new(sc);
                i
            }
            None => {
                scenarios.push(Arc::new(sc));
                scenarios.len() - 1
            }
        };
        self.current = index;
        self.cursor = 0;
        let d = self.scenario().default_settings();
        self.rebuild(d)?;
        self.notice = Some(Notice::Info(format!("Loaded “{}”.", self.scenario().title)));
        Ok(())
    }

    /// The link (URL fragment, without `#`) that reproduces this view.
    pub fn link(&self) -> String {
        let sw: String = self
            .settings
            .switches
            .iter()
            .map(|&b| if b { '1' } else { '0' })
            .collect();
        let k: Vec<String> = self.settings.knobs.iter().map(|v| v.to_string()).collect();
        let mut out = format!(
            "s={}&sw={sw}&k={}&at={}",
            self.scenario().id,
            k.join(","),
            self.cursor
        );
        if self.source != Source::Story {
            out.push_str(&format!("&t={}", run::trace_to_text(&self.run.choices())));
        }
        out
    }

    /// Applies a link. Anything wrong in it gives a message and leaves the session unchanged.
    pub fn apply_link(&mut self, fragment: &str) -> Result<(), String> {
        let fragment = fragment.trim_start_matches('#');
        if fragment.is_empty() {
            return Ok(());
        }
        let mut next = self.clone();
        next.apply_link_inner(fragment).map_err(|e| {
            format!("This link could not be read ({e}); showing the current view instead.")
        })?;
        next.notice = None;
        *self = next;
        Ok(())
    }

    fn apply_link_inner(&mut self, fragment: &str) -> Result<(), String> {
        if fragment.len() > 100_000 {
            return Err("it is too long".into());
        }
        // Five known keys; a later repeat wins. (A small array, not a map: each map type costs
        // the wasm a few KB of code.)
        let mut parts = Parts::default();
        for pair in fragment.split('&') {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("“{}” has no value", short(pair)))?;
            if !matches!(k, "s" | "sw" | "k" | "at" | "t") {
                return Err(format!("unknown part “{}”", short(k)));
            }
            parts.insert(k, v);
        }
        let id = parts.get("s").ok_or("no scenario named")?;
        let index = self
            .scenarios
            .iter()
            .position(|s| s.id == *id)
            .ok_or_else(|| format!("there is no scenario “{}”", short(id)))?;
        let sc = &self.scenarios[index];
        let mut settings = sc.default_settings();
        if let Some(sw) = parts.get("sw") {
            if sw.len() != settings.switches.len() || !sw.chars().all(|c| c == '0' || c == '1') {
                return Err(format!(
                    "switches must be {} digits of 0 or 1",
                    settings.switches.len()
                ));
            }
            settings.switches = sw.chars().map(|c| c == '1').collect();
        }
        if let Some(k) = parts.get("k") {
            let vals: Result<Vec<i64>, _> = k.split(',').map(str::parse).collect();
            let vals = vals.map_err(|_| "knob values must be whole numbers".to_string())?;
            if vals.len() != sc.knobs.len() {
                return Err(format!("expected {} knob values", sc.knobs.len()));
            }
            for (v, knob) in vals.iter().zip(&sc.knobs) {
                if *v < knob.min || *v > knob.max {
                    return Err(format!(
                        "{} must be between {} and {}",
                        knob.label, knob.min, knob.max
                    ));
                }
            }
            settings.knobs = vals;
        }
        let unchanged =
            index == self.current && settings == self.settings && self.source == Source::Story;
        self.current = index;
        match parts.get("t") {
            Some(t) => {
                let trace = run::trace_from_text(t)?;
                self.play_trace(settings, &trace)?;
                self.source = Source::Link;
            }
            // The story at the settings already shown (the usual case when the page opens with a
            // link) is not compiled and run a second time.
            None if unchanged => {}
            None => self.rebuild(settings)?,
        }
        let at = match parts.get("at") {
            Some(a) => a
                .parse::<usize>()
                .map_err(|_| "the step must be a whole number".to_string())?,
            None => 0,
        };
        if at > self.steps() {
            return Err(format!(
                "step {at} is past the end of this run ({} steps)",
                self.steps()
            ));
        }
        self.cursor = at;
        Ok(())
    }
}

fn short(s: &str) -> String {
    s.chars().take(24).collect()
}

/// How an actor looks in a frame (also its CSS class).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    Ready,
    Sleeping,
    Blocked,
    Deadlocked,
    Done,
    Dead,
}

impl Look {
    pub fn class(self) -> &'static str {
        match self {
            Look::Ready => "ready",
            Look::Sleeping => "sleeping",
            Look::Blocked => "blocked",
            Look::Deadlocked => "deadlocked",
            Look::Done => "done",
            Look::Dead => "dead",
        }
    }
    /// A symbol that says the same as the colour, for people who cannot tell colours apart.
    pub fn icon(self) -> &'static str {
        match self {
            Look::Ready => "▶",
            Look::Sleeping => "◔",
            Look::Blocked => "‖",
            Look::Deadlocked => "⟳",
            Look::Done => "✓",
            Look::Dead => "✖",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ActorView {
    pub look: Look,
    pub in_cycle: bool,
    pub status: String,
    pub op: String,
}

/// Everything the views need for one step, computed once per step from the session.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub step: usize,
    pub steps: usize,
    pub now: u64,
    pub actors: Vec<ActorView>,
    /// Channel contents per resource (short tag, full name); empty for locks and flags.
    pub items: Vec<Vec<(String, String)>>,
    pub holders: Vec<Option<usize>>,
    pub flags: Vec<bool>,
    /// Actors waiting on each resource.
    pub waiters: Vec<Vec<usize>>,
    pub graph: crate::sim::WaitGraph,
    pub event: Option<Event>,
    pub narration: Option<crate::sim::narrate::Narration>,
    pub outcome: Outcome,
    pub headline: (String, String),
    pub cycle_text: Option<String>,
    pub final_outcome: Outcome,
    pub final_headline: (String, String),
}

impl Session {
    /// The thread dump of the current step. Not part of [`Frame`]: its panel is built after the
    /// first paint, so start-up does not run (nor, in the browser, compile) the dump code.
    pub fn dump(&self) -> String {
        self.cfg.dump(self.state())
    }

    pub fn frame(&self) -> Frame {
        use crate::sim::config::ResKind;
        use crate::sim::Status;
        let (cfg, s) = (&*self.cfg, self.state());
        let graph = cfg.wait_graph(s);
        let actors = (0..cfg.actors.len())
            .map(|a| {
                let look = match cfg.status(s, a) {
                    Status::Done => Look::Done,
                    Status::Dead => Look::Dead,
                    Status::Ready => Look::Ready,
                    Status::Sleeping { .. } => Look::Sleeping,
                    Status::Blocked { .. } if graph.deadlocked >> a & 1 == 1 => Look::Deadlocked,
                    Status::Blocked { .. } => Look::Blocked,
                };
                ActorView {
                    look,
                    in_cycle: graph.in_cycle(a),
                    status: cfg.status_line(s, a),
                    op: cfg.op_summary(s, a),
                }
            })
            .collect();
        let items = (0..cfg.resources.len())
            .map(|r| match cfg.resources[r].kind {
                ResKind::Channel { .. } => cfg
                    .chan_items(s, r)
                    .iter()
                    .map(|&t| (cfg.message_short(t), cfg.message(t).to_string()))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let holders = (0..cfg.resources.len())
            .map(|r| {
                if cfg.resources[r].kind == ResKind::Lock {
                    cfg.holder(s, r)
                } else {
                    None
                }
            })
            .collect();
        let flags = (0..cfg.resources.len()).map(|r| cfg.flag(s, r)).collect();
        let mut waiters = vec![Vec::new(); cfg.resources.len()];
        for a in 0..cfg.actors.len() {
            for w in cfg.waits(s, a) {
                waiters[w.res as usize].push(a);
            }
        }
        let outcome = cfg.outcome(s);
        let headline = cfg.outcome_text(s, &outcome).into();
        let cycle_text = (!graph.cycle.is_empty()).then(|| cfg.explain_cycle(&graph.cycle));
        let final_outcome = self.final_outcome();
        let final_headline = cfg.outcome_text(self.run.last(), &final_outcome).into();
        let event = self.event().cloned();
        let narration = match (self.prev_state(), &event) {
            (Some(p), Some(e)) => Some(cfg.narrate(p, e, s)),
            _ => None,
        };
        Frame {
            step: self.cursor,
            steps: self.steps(),
            now: s.now,
            actors,
            items,
            holders,
            flags,
            waiters,
            graph,
            event,
            narration,
            outcome,
            headline,
            cycle_text,
            final_outcome,
            final_headline,
        }
    }
}

/// A notable step on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub step: usize,
    pub kind: &'static str,
    pub label: String,
}

impl Session {
    /// Steps worth a mark on the timeline: the cycle closing, time jumps, timers firing, exits,
    /// failed requests, and the end.
    pub fn marks(&self) -> Vec<Mark> {
        use crate::sim::narrate::{fmt_span, fmt_time};
        use crate::sim::EventKind;
        let cfg = &*self.cfg;
        let mut out = Vec::new();
        let mut cycle_before = false;
        for (i, ev) in self.run.events.iter().enumerate() {
            let step = i + 1;
            let cycle = cfg.wait_graph(&self.run.states[step]).has_cycle();
            if cycle && !cycle_before {
                out.push(Mark {
                    step,
                    kind: "cycle",
                    label: format!("step {step}: the wait-for cycle closes"),
                });
            }
            cycle_before = cycle;
            match &ev.kind {
                EventKind::TimePassed { from, to, .. } if to - from >= 60_000 => out.push(Mark {
                    step,
                    kind: "jump",
                    label: format!(
                        "step {step}: time jumps {} to {}",
                        fmt_span(to - from),
                        fmt_time(*to)
                    ),
                }),
                EventKind::TimedOut { .. } => out.push(Mark {
                    step,
                    kind: "timeout",
                    label: format!("step {step}: a timer fires"),
                }),
                EventKind::Failed => out.push(Mark {
                    step,
                    kind: "failed",
                    label: format!("step {step}: a request fails"),
                }),
                EventKind::Exited { .. } => out.push(Mark {
                    step,
                    kind: "crash",
                    label: format!("step {step}: the process exits"),
                }),
                _ => {}
            }
        }
        out
    }
}

/// The parts of a link, in the order given; `get` finds the last one of a name.
#[derive(Default)]
struct Parts<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Parts<'a> {
    fn insert(&mut self, k: &'a str, v: &'a str) {
        self.0.push((k, v));
    }
    fn get(&self, k: &str) -> Option<&&'a str> {
        self.0
            .iter()
            .rev()
            .find(|(name, _)| *name == k)
            .map(|(_, v)| v)
    }
}
