//! The browser UI. It keeps one [`Session`] in a signal and renders projections of it; it
//! decides no concurrency rule itself (every frame, outcome, cycle and verdict comes from
//! `crate::sim`). One folder per component, its CSS beside it.
//!
//! Data flows down and events up: [`Ui`] owns the session and the memos derived from it, and
//! [`Lab`] hands each component the memos it reads and callbacks for what it asks to change.
use crate::session::{Frame, Mark, Notice, Session, Source, SPREAD_RUNS};
use crate::sim::{Config, MatrixCell, Scenario};
use leptos::prelude::*;
use std::sync::Arc;

mod background;
pub mod choose;
pub mod controls;
pub mod diagram;
pub mod dump;
mod explorer;
pub mod handout;
pub mod help;
mod hinter;
mod keys;
mod lab;
pub mod lesson;
mod markup;
pub mod matrix;
pub mod narration;
pub mod outcome;
pub mod picker;
pub mod share;
pub mod transport;
pub mod waitgraph;
pub mod walk;

pub use choose::Ask;
pub use controls::Change;
pub use hinter::{HintState, Scheduler};
pub use lab::{App, Lab};
pub use markup::{clicked, clicked_number, escape_into, lit, px, short, text_into};

/// A value a component reads: a closure over the app's signals, reactive wherever the component
/// calls it (Leptos's derived signal: a `Signal` prop would add code to the wasm per value type).
pub trait Derived<T>: Fn() -> T + Copy + Send + Sync + 'static {}
impl<T, F: Fn() -> T + Copy + Send + Sync + 'static> Derived<T> for F {}

/// What a component asks of its owner when the reader acts, called with the request (a plain
/// closure for the same reason).
pub trait Handler<T>: Fn(T) + Copy + Send + Sync + 'static {}
impl<T, F: Fn(T) + Copy + Send + Sync + 'static> Handler<T> for F {}

/// The configuration, compared by identity (a new run always comes with a new `Arc`).
#[derive(Clone)]
pub struct CfgRef(pub Arc<Config>);

impl PartialEq for CfgRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The scenario on show and the list it is one of. Equal while the same one is shown (same place,
/// same list length), so what is built from it is rebuilt only when another is picked or loaded.
#[derive(Clone)]
pub struct Shown {
    pub index: usize,
    pub all: Arc<Vec<Arc<Scenario>>>,
}

impl Shown {
    pub fn scenario(&self) -> &Scenario {
        &self.all[self.index]
    }
}

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && self.all.len() == other.all.len()
    }
}

/// The explorer's fix matrix: `None` until the first frame is on screen (the page does not wait
/// for the explorer), then the verdict of every switch combination, or why it could not run.
pub type FixMatrix = Option<Result<Arc<Vec<MatrixCell>>, String>>;

/// The app's state: the session, what is derived from it once per change, and playback.
#[derive(Clone, Copy)]
pub struct Ui {
    pub sess: RwSignal<Session>,
    /// The current step's projections, recomputed once per session change.
    pub frame: Memo<Frame>,
    pub cfg: Memo<CfgRef>,
    /// Changes only when another scenario is shown (so controls are not rebuilt on every step).
    pub scenario: Memo<Shown>,
    /// The fix matrix for the current scenario and knobs, filled in slices as the explorer runs
    /// (restarted only when those change).
    pub matrix: Memo<FixMatrix>,
    explorer: explorer::Driver,
    /// The matrix row of the current switches.
    pub cell: Memo<usize>,
    /// The timeline's notable steps and the story's lines, both per run.
    pub marks: Memo<Vec<Mark>>,
    pub story: Memo<Vec<String>>,
    /// The parts of the page built after the first frame was painted, each in a task of its
    /// own, so the diagram reaches the screen first and no task of the start-up is long: the side
    /// panels, the panels below, then `painted`.
    pub built: [RwSignal<bool>; 2],
    /// Set when the start-up is over: the help overlay, the story list and the explorer wait for
    /// it.
    pub painted: RwSignal<bool>,
    pub playing: RwSignal<bool>,
    /// Milliseconds between steps while playing.
    pub speed: RwSignal<u32>,
    pub help: RwSignal<bool>,
    /// The presenter view is on (kept in the session, so the link carries it).
    pub presenter: Memo<bool>,
    /// The screen is blanked (a presenter's "." or B): playback pauses behind it.
    pub blank: RwSignal<bool>,
    /// Whether the student chooses the schedule, the hints built while they do, and the last
    /// batch of random schedules.
    pub scheduler: RwSignal<Scheduler>,
}

impl Ui {
    /// Must be called inside a component (the memos need a reactive owner).
    pub fn new(session: Session) -> Ui {
        let sess = RwSignal::new(session);
        let painted = RwSignal::new(false);
        let cfg = Memo::new(move |_| sess.with(|s| CfgRef(s.cfg.clone())));
        let scenario = Memo::new(move |_| {
            sess.with(|s| Shown {
                index: s.current,
                all: s.scenarios.clone(),
            })
        });
        let knobs = Memo::new(move |_| sess.with(|s| s.settings.knobs.clone()));
        let explorer = explorer::Driver::new();
        Effect::new(move |_| {
            scenario.track();
            knobs.track();
            if painted.get() {
                sess.with_untracked(|s| explorer.start(s));
            }
        });
        let shown = explorer.shown;
        // The run on show, by identity: each new run (a schedule, a chosen step) is a new Arc.
        let run = Memo::new(move |_| sess.with(|s| Arc::as_ptr(&s.run) as usize));
        let hinter = hinter::Hinter::new(sess.with_untracked(|s| s.source == Source::Chosen));
        // A memo, so that the hints the search writes into the same signal do not restart it.
        let choosing = Memo::new(move |_| hinter.state.with(|s| s.on));
        Effect::new(move |_| match choosing.get() {
            true => hinter.start(cfg.get().0),
            false => hinter.stop(),
        });
        Ui {
            built: [RwSignal::new(false), RwSignal::new(false)],
            painted,
            sess,
            frame: Memo::new(move |_| sess.with(|s| s.frame())),
            cfg,
            scenario,
            matrix: Memo::new(move |_| shown.get()),
            explorer,
            cell: Memo::new(move |_| sess.with(|s| s.matrix_cell())),
            marks: per_run(run, sess, Session::marks),
            story: per_run(run, sess, Session::story),
            playing: RwSignal::new(false),
            speed: RwSignal::new(transport::DEFAULT_SPEED_MS),
            help: RwSignal::new(false),
            presenter: Memo::new(move |_| sess.with(|s| s.presenter)),
            blank: RwSignal::new(false),
            scheduler: hinter.state,
        }
    }
    /// Into or out of the presenter view, full screen where the browser allows it.
    pub fn toggle_presenter(&self) {
        let on = !self.presenter.get_untracked();
        self.sess.update(|s| s.presenter = on);
        let doc = document();
        if on {
            if let Some(root) = doc.document_element() {
                // Refused outside a user gesture or in a frame without permission: the view
                // still fills the window.
                let _ = root.request_fullscreen();
            }
        } else if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    }
    /// Blanks or shows the screen; blanking pauses.
    pub fn toggle_blank(&self) {
        self.playing.set(false);
        self.blank.update(|b| *b = !*b);
    }
    /// One step forward, as playback takes it; playback stops on the last step.
    pub fn forward(&self) {
        let mut at_end = true;
        self.sess.update(|s| {
            s.forward();
            at_end = s.at_end();
        });
        if at_end {
            self.playing.set(false);
        }
    }
    /// Stops playback, then moves the playhead to `step` (the last step when it is past the end).
    pub fn seek(&self, step: usize) {
        self.playing.set(false);
        self.sess.update(|s| s.seek(step));
    }
    /// The step on screen.
    pub fn step(&self) -> usize {
        self.sess.with_untracked(|s| s.cursor)
    }
    pub fn back(&self) {
        self.seek(self.step().saturating_sub(1));
    }
    pub fn toggle_play(&self) {
        if self.sess.with(|s| s.at_end()) {
            self.sess.update(|s| s.seek(0));
        }
        self.playing.update(|p| *p = !*p);
    }
    pub fn select(&self, index: usize) {
        self.sess.update(|s| s.select(index));
    }
    /// A switch, a knob or the shipped settings, as the controls ask.
    pub fn change(&self, change: Change) {
        self.sess.update(|s| match change {
            Change::Switch { index, on } => s.set_switch(index, on),
            Change::Knob { index, value } => s.set_knob(index, value),
            Change::Reset => s.reset(),
        });
    }
    /// A fix matrix row: the shortest path to trouble when it has one, else the story under its
    /// switches, played from the start.
    pub fn play_row(&self, cell: MatrixCell) {
        self.sess.update(|s| {
            if cell.exploration.counterexample().is_some() {
                s.load_counterexample(&cell);
            } else {
                s.use_switches(&cell.switches);
            }
            s.seek(0);
        });
        self.playing.set(true);
    }
    /// Lets a matrix cell that stopped at its state budget explore further.
    pub fn explore_more(&self, cell: usize) {
        self.explorer.explore_more(cell);
    }
    /// Plays a matrix row's shortest interleaving that ends well.
    pub fn play_good_end(&self, cell: MatrixCell) {
        self.playing.set(false);
        self.sess.update(|s| {
            s.load_good_end(&cell);
        });
    }
    /// A scenario file's text; what is wrong with it becomes the notice.
    pub fn load(&self, text: String) {
        self.sess.update(|s| {
            if let Err(e) = s.add_scenario(&text) {
                s.notice = Some(Notice::Error(e));
            }
        });
    }
    /// A link's fragment, as the address bar has it; what is wrong with it becomes the notice.
    pub fn follow(&self, fragment: &str) {
        self.sess.update(|s| {
            if let Err(e) = s.apply_link(fragment) {
                s.notice = Some(Notice::Error(e));
            }
        });
    }
    /// What the lesson panel asks for.
    pub fn teach(&self, t: lesson::Teach) {
        self.playing.set(false);
        match t {
            lesson::Teach::Open(i) => self.sess.update(|s| {
                s.open_chapter(i);
            }),
            lesson::Teach::Answer(k) => self.sess.update(|s| s.answer(k)),
            lesson::Teach::Leave => self.sess.update(Session::leave_lesson),
            // Printing reads the session and changes nothing in it.
            lesson::Teach::Print => self.sess.with_untracked(handout::print),
        }
    }
    /// What the scheduler panel asks for.
    pub fn ask(&self, ask: Ask) {
        self.playing.set(false);
        match ask {
            Ask::Toggle => self.scheduler.update(|c| c.on = !c.on),
            Ask::Take(choice) => {
                self.sess.update(|s| {
                    s.choose(choice);
                });
            }
            Ask::Random(seed) => self.sess.update(|s| s.play_random(seed)),
            Ask::Spread(seed) => self.play_spread(seed),
        }
    }
    /// The `k`-th offered step (from 0), as the number keys take it while choosing.
    pub fn take(&self, k: usize) -> bool {
        if !self.scheduler.with_untracked(|c| c.on) {
            return false;
        }
        let offer = self
            .sess
            .with_untracked(|s| s.offers(None).get(k).map(|o| o.choice));
        if let Some(choice) = offer {
            self.ask(Ask::Take(choice));
        }
        offer.is_some()
    }
    /// A hundred random schedules, ten per task so the page never waits long.
    fn play_spread(&self, seed: u64) {
        let (sess, out) = (self.sess.get_untracked(), self.scheduler);
        let say = move |text: String| out.update(|c| c.spread = Some(text));
        let mut total = crate::sim::run::Spread::default();
        say(format!("Playing {SPREAD_RUNS} random schedules…"));
        background::in_slices(Box::new(move || {
            let k = total.runs;
            total.absorb(&sess.spread(seed.wrapping_add(k as u64), 10));
            let more = total.runs < SPREAD_RUNS;
            say(match more {
                true => format!("Playing random schedules: {} of {SPREAD_RUNS}…", total.runs),
                false => total.sentence(),
            });
            more
        }));
    }
    pub fn error(&self, message: String) {
        self.sess
            .update(|s| s.notice = Some(Notice::Error(message)));
    }
    pub fn dismiss(&self) {
        self.sess.update(|s| s.notice = None);
    }
}

/// What a run shows besides its frames: read when the run changes, not on every step.
fn per_run<T>(run: Memo<usize>, sess: RwSignal<Session>, read: fn(&Session) -> T) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        // Read, not only tracked: a memo that was never read has not subscribed to its sources.
        run.get();
        sess.with_untracked(read)
    })
}

/// Mounts the app on `<body>`. No panic hook: its message formatting costs 1.5 KB of gzip, and
/// a panic still shows in the console as the wasm trap it ends in.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}
