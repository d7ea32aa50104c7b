//! Runs the fix matrix's search in short slices between the browser's other work, so the page
//! never waits for the explorer: each slice visits states until its time is up, shows every
//! cell as it stands, and yields to the event loop. A new scenario or knob value starts a new
//! generation; a slice of an older one finds that out and stops.
use super::background::{in_slices, now};
use super::FixMatrix;
use crate::session::{Session, STATE_LIMIT};
use crate::sim::explore::MatrixSearch;
use leptos::prelude::*;
use std::sync::Arc;

/// Time one slice may take, well under the 50 ms of a long task, and short enough that a key
/// press or a playback step waits little behind it.
const SLICE_MS: f64 = 10.0;
/// The matrix on screen is redrawn when a cell's phase changes, else at most this often.
const REDRAW_MS: f64 = 100.0;
/// States visited between two looks at the clock.
const VISITS: usize = 256;

/// The search in progress and what the matrix shows of it.
#[derive(Clone, Copy)]
pub struct Driver {
    /// What the matrix shows: every cell as it stood after the last slice.
    pub shown: RwSignal<FixMatrix>,
    search: StoredValue<Option<MatrixSearch>>,
    /// The cell explored first: the one of the switches on screen when the search started.
    first: StoredValue<usize>,
    generation: StoredValue<u64>,
    /// Whether a slice of the current generation is scheduled.
    busy: StoredValue<bool>,
    /// When the matrix on screen was last redrawn.
    drawn_at: StoredValue<f64>,
}

impl Driver {
    pub fn new() -> Driver {
        Driver {
            shown: RwSignal::new(None),
            search: StoredValue::new(None),
            first: StoredValue::new(0),
            generation: StoredValue::new(0),
            busy: StoredValue::new(false),
            drawn_at: StoredValue::new(0.0),
        }
    }

    /// Abandons any search under way and starts the matrix of the session's scenario and knobs,
    /// in a task of its own after the one that changed them (compiling every switch combination
    /// is work too).
    pub fn start(&self, sess: &Session) {
        self.generation.update_value(|g| *g += 1);
        self.busy.set_value(true);
        self.first.set_value(sess.matrix_cell());
        self.search.set_value(None);
        let sess = sess.clone();
        let (me, generation) = (*self, self.generation.get_value());
        in_slices(Box::new(move || {
            // `try_`: after the page is unmounted (a test's lab) the stored values are gone.
            if me.generation.try_get_value() == Some(generation) {
                me.begin(&sess);
            }
            false
        }));
    }

    /// The first task of a search: compiles every switch combination and shows the cells.
    fn begin(&self, sess: &Session) {
        // For the end-to-end test: where the explorer's own work begins.
        if let Some(p) = window().performance() {
            p.mark("explorer-start").ok();
        }
        match sess.matrix_search() {
            Ok(m) => {
                self.shown.set(Some(Ok(Arc::new(m.cells()))));
                self.search.set_value(Some(m));
                self.busy.set_value(false);
                self.resume();
            }
            Err(e) => {
                self.busy.set_value(false);
                self.shown.set(Some(Err(e)));
            }
        }
    }

    /// Lets a cell that stopped at its budget explore as many states again.
    pub fn explore_more(&self, cell: usize) {
        let states = self.shown.with_untracked(|m| {
            m.as_ref()
                .and_then(|m| m.as_ref().ok())
                .and_then(|m| m.get(cell))
                .map_or(0, |c| c.exploration.states)
        });
        self.search.update_value(|m| {
            if let Some(m) = m {
                m.raise_budget(cell, states + STATE_LIMIT);
            }
        });
        self.resume();
    }

    /// Schedules slices until no cell has work left, unless they are already scheduled.
    fn resume(&self) {
        if self.busy.get_value() {
            return;
        }
        self.busy.set_value(true);
        let me = *self;
        let generation = self.generation.get_value();
        in_slices(Box::new(move || {
            let current = me.generation.try_get_value() == Some(generation);
            let more = current && me.slice();
            if current && !more {
                me.busy.set_value(false);
            }
            more
        }));
    }

    /// One slice: visits states until the time is up or nothing is left, then shows the cells.
    /// Returns whether work is left.
    fn slice(&self) -> bool {
        let start = now();
        let first = self.first.get_value();
        let mut more = true;
        let mut cells = None;
        self.search.update_value(|m| {
            let Some(m) = m else {
                more = false;
                return;
            };
            let phases = m.phases();
            while more && now() - start < SLICE_MS {
                more = m.run(VISITS, first);
            }
            let due = now() - self.drawn_at.get_value() >= REDRAW_MS;
            if due || !more || m.phases() != phases {
                cells = Some(m.cells());
            }
        });
        if let Some(cells) = cells {
            self.drawn_at.set_value(now());
            self.shown.set(Some(Ok(Arc::new(cells))));
        }
        more
    }
}

impl Default for Driver {
    fn default() -> Self {
        Driver::new()
    }
}
