//! One user's session: which scenario, which switches and knobs, the run those produce, and the
//! playhead. Pure data and plain methods (no UI crate, no clock), so it is tested natively; the
//! UI keeps one `Session` in a signal and renders projections of it.
//!
//! Data flows one way: scenario + settings → `Config` → run (`step` after `step`) → views.
//! This module holds the state and the user's actions; `link` writes and reads the URL
//! fragment, `frame` projects one step for the views, `marks` picks the timeline's moments.
mod choose;
mod embed;
mod frame;
mod lesson;
mod link;
mod marks;

pub use choose::{hint_text, ChallengeView, Offer, SPREAD_RUNS};
pub use embed::{Embed, Panels, Share};
pub use frame::{ActorView, ChannelItem, Frame, Headline, Look};
pub use lesson::Lesson;
pub use marks::Mark;

use crate::sim::explore::{fix_matrix_with, MatrixCell, MatrixSearch, Outcome, Reduction};
use crate::sim::run::{self, Run};
use crate::sim::{compile, Choice, Config, Event, Scenario, Settings, State};
use std::sync::Arc;

/// The explorer pauses after this many states per matrix cell, says what it has proven so far,
/// and can go on by as many again.
pub const STATE_LIMIT: usize = 200_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The write-up's story, followed as far as the settings allow.
    Story,
    /// The explorer's shortest path to trouble for these settings, then the run to its end.
    Counterexample,
    /// A schedule from a link.
    Link,
    /// A schedule the student chose step by step (it ends where they stopped choosing).
    Chosen,
    /// A random schedule from this seed.
    Random { seed: u64 },
}

/// A message shown above the views until the next action replaces or clears it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    Error(String),
    Info(String),
}

/// One user's session; every user action is a method that keeps it consistent.
#[derive(Clone)]
pub struct Session {
    /// Shared, so cloning a session (as `apply_link` does to keep the current one on error) is
    /// cheap; each scenario behind its own Arc, so adding one never copies the others.
    pub scenarios: Arc<Vec<Arc<Scenario>>>,
    /// Index of the scenario shown.
    pub current: usize,
    /// How many of `scenarios`, from the first, are built in (the rest were loaded from files).
    pub builtins: usize,
    pub settings: Settings,
    /// The scenario compiled with `settings`.
    pub cfg: Arc<Config>,
    /// The run shown, from the first state to its end.
    pub run: Arc<Run>,
    /// The playhead: the step shown, 0 (the start) to `steps()`.
    pub cursor: usize,
    /// Where the run shown came from.
    pub source: Source,
    pub notice: Option<Notice>,
    /// Shown as a presenter view (one screen for a projector); part of the link.
    pub presenter: bool,
    /// What an embedded page shows; part of the link.
    pub embed: Embed,
    /// The open chapter of the scenario's lesson, if any; part of the link.
    pub lesson: Option<Lesson>,
}

impl Session {
    /// A session on the first scenario at its defaults.
    pub fn new(scenarios: Vec<Scenario>) -> Result<Session, String> {
        let first = scenarios.first().ok_or("no scenarios")?;
        let settings = first.default_settings();
        let cfg = compile(first, &settings).map_err(|e| e.to_string())?;
        let run = run::guided_run(&cfg);
        Ok(Session {
            builtins: scenarios.len(),
            scenarios: Arc::new(scenarios.into_iter().map(Arc::new).collect()),
            current: 0,
            settings,
            cfg: Arc::new(cfg),
            run: Arc::new(run),
            cursor: 0,
            source: Source::Story,
            notice: None,
            presenter: false,
            embed: Embed::default(),
            lesson: None,
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
        self.lesson = None;
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

    /// The explorer's verdict for every switch combination at the current knobs (symmetry and
    /// partial-order reduced).
    pub fn matrix(&self) -> Result<Vec<MatrixCell>, String> {
        let knobs = &self.settings.knobs;
        fix_matrix_with(self.scenario(), knobs, STATE_LIMIT, Reduction::FULL)
            .map_err(|e| e.to_string())
    }

    /// The same matrix, to be explored a slice at a time.
    pub fn matrix_search(&self) -> Result<MatrixSearch, String> {
        let knobs = &self.settings.knobs;
        MatrixSearch::new(self.scenario(), knobs, STATE_LIMIT, Reduction::FULL)
            .map_err(|e| e.to_string())
    }

    /// Switches to a matrix cell's settings and plays the explorer's shortest path to trouble,
    /// then the rest of that run, with the playhead where the trouble starts. Returns false (with
    /// a notice) when the cell has no such path.
    pub fn load_counterexample(&mut self, cell: &MatrixCell) -> bool {
        let trace = cell.exploration.counterexample().cloned();
        let none = "The explorer found no interleaving that goes wrong with these switches.";
        self.load_cell_trace(cell, trace, none)
    }

    /// Switches to a matrix cell's settings and plays the explorer's shortest interleaving that
    /// ends well (where others go wrong), with the playhead at its end. Returns false (with a
    /// notice) when the cell has none.
    pub fn load_good_end(&mut self, cell: &MatrixCell) -> bool {
        let none = "The explorer has no interleaving that ends well next to one that goes wrong \
                    with these switches.";
        self.load_cell_trace(cell, cell.good_end.clone(), none)
    }

    /// Plays `trace` under the cell's switches (and the current knobs), with the playhead at its
    /// end; without a trace, says `none` and changes nothing else.
    fn load_cell_trace(
        &mut self,
        cell: &MatrixCell,
        trace: Option<Vec<Choice>>,
        none: &str,
    ) -> bool {
        let Some(trace) = trace else {
            self.notice = Some(Notice::Info(none.into()));
            return false;
        };
        let settings = Settings {
            switches: cell.switches.clone(),
            knobs: self.settings.knobs.clone(),
        };
        match self.play_trace(settings, &trace, true) {
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

    /// Plays `trace` at `settings`, and on to the run's end in the model's order when `extend`.
    fn play_trace(
        &mut self,
        settings: Settings,
        trace: &[Choice],
        extend: bool,
    ) -> Result<(), String> {
        let cfg = compile(self.scenario(), &settings).map_err(|e| e.to_string())?;
        let mut run = run::replay(&cfg, trace)?;
        if extend {
            run::extend(&cfg, &mut run);
        }
        self.settings = settings;
        self.cfg = Arc::new(cfg);
        self.run = Arc::new(run);
        Ok(())
    }

    /// Loads a scenario file the user chose; on error the session is unchanged.
    pub fn add_scenario(&mut self, text: &str) -> Result<(), String> {
        // Editors on Windows may start the file with a byte-order mark; JSON itself does not
        // allow one.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut sc = Scenario::from_json(text)
            .map_err(|e| format!("That scenario file cannot be used: {e}"))?;
        // A built-in is never replaced: a file with its id is loaded beside it, renamed.
        let clash = self.scenarios[..self.builtins]
            .iter()
            .any(|s| s.id == sc.id);
        let renamed = clash.then(|| {
            let file_id = format!("{}-file", sc.id);
            std::mem::replace(&mut sc.id, file_id)
        });
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
        self.lesson = None;
        let d = self.scenario().default_settings();
        self.rebuild(d)?;
        let mut said = format!("Loaded “{}”.", self.scenario().title);
        if let Some(id) = renamed {
            said += &format!(
                " Its id “{id}” is a built-in incident's, so it is “{}” here, beside it.",
                self.scenario().id
            );
        }
        self.notice = Some(Notice::Info(said));
        Ok(())
    }
}
