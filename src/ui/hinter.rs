//! Builds the scheduler's hints for the configuration on show, in short slices between the
//! browser's other work (as the explorer does), while the student chooses the schedule. A new
//! configuration starts a new generation; a slice of an older one finds that out and stops.
use super::background::{in_slices, now};
use crate::sim::explore::{HintSearch, Hints};
use crate::sim::Config;
use leptos::prelude::*;
use std::sync::Arc;

/// States the hint search stores before it gives up (its labelling pass runs in one task).
pub const HINT_LIMIT: usize = 60_000;
/// Time one slice may take, well under the 50 ms of a long task.
const SLICE_MS: f64 = 8.0;
/// States visited between two looks at the clock.
const VISITS: usize = 256;

/// Where the hints for the configuration on show stand.
#[derive(Clone)]
pub enum HintState {
    /// Not asked for (the student is not choosing).
    Off,
    /// Searching; this many states so far.
    Working {
        states: usize,
    },
    /// More reachable states than `HINT_LIMIT`: no hints at these settings.
    TooBig,
    Ready(Arc<Hints>),
}

impl HintState {
    pub fn ready(&self) -> Option<&Hints> {
        match self {
            HintState::Ready(h) => Some(h),
            _ => None,
        }
    }
}

/// The scheduler panel's own state: one signal, so that it adds one signal type to the wasm.
#[derive(Clone)]
pub struct Scheduler {
    /// The student chooses the schedule.
    pub on: bool,
    pub hints: HintState,
    /// The last batch of random schedules, in a sentence.
    pub spread: Option<String>,
}

/// Runs hint searches into `state.hints`; `generation` lets a newer search stop an older one.
#[derive(Clone, Copy)]
pub struct Hinter {
    pub state: RwSignal<Scheduler>,
    generation: StoredValue<u64>,
}

impl Hinter {
    pub fn new(on: bool) -> Hinter {
        let state = Scheduler {
            on,
            hints: HintState::Off,
            spread: None,
        };
        Hinter {
            state: RwSignal::new(state),
            generation: StoredValue::new(0),
        }
    }

    fn set(&self, hints: HintState) {
        self.state.update(|s| s.hints = hints);
    }

    /// Stops any search and drops the hints.
    pub fn stop(&self) {
        self.generation.update_value(|g| *g += 1);
        self.set(HintState::Off);
    }

    /// Starts the hints for `cfg`, unless they are built for it already.
    pub fn start(&self, cfg: Arc<Config>) {
        let same = |h: &Hints| Arc::ptr_eq(h.config(), &cfg);
        if self
            .state
            .with_untracked(|s| s.hints.ready().is_some_and(same))
        {
            return;
        }
        self.stop();
        self.set(HintState::Working { states: 0 });
        let (me, generation) = (*self, self.generation.get_value());
        let mut search = Some(HintSearch::new(cfg, HINT_LIMIT));
        in_slices(Box::new(move || {
            let Some(s) = search
                .as_mut()
                .filter(|_| me.generation.try_get_value() == Some(generation))
            else {
                return false;
            };
            if !slice(s) {
                me.set(HintState::Working { states: s.states() });
                return true;
            }
            let hints = search.take().and_then(HintSearch::finish);
            me.set(hints.map_or(HintState::TooBig, |h| HintState::Ready(Arc::new(h))));
            false
        }));
    }
}

/// Visits states until the slice's time is up; true when the search has visited them all.
fn slice(search: &mut HintSearch) -> bool {
    let start = now();
    while now() - start < SLICE_MS {
        if search.run(VISITS) {
            return true;
        }
    }
    false
}
