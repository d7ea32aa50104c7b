//! The timeline's marks: the steps worth pointing at.
use super::Session;
use crate::sim::narrate::{fmt_span, fmt_time};
use crate::sim::EventKind;

/// A notable step on the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mark {
    pub step: usize,
    /// What happens there: "cycle", "jump", "timeout", "failed" or "crash" (also its CSS class).
    pub kind: &'static str,
    /// The moment in words, for the mark's tooltip and its button.
    pub label: String,
}

/// A jump in time at least this long (in simulated milliseconds) gets a mark.
const LONG_JUMP: u64 = 60_000;

impl Session {
    /// Steps worth a mark on the timeline: the cycle closing, time jumps, timers firing, exits,
    /// failed requests, and the end.
    pub fn marks(&self) -> Vec<Mark> {
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
            out.extend(event_mark(step, &ev.kind));
        }
        out
    }
}

/// The mark for an event that is notable by itself, if it is.
fn event_mark(step: usize, kind: &EventKind) -> Option<Mark> {
    let (kind, label) = match kind {
        EventKind::TimePassed { from, to, .. } if to - from >= LONG_JUMP => (
            "jump",
            format!(
                "step {step}: time jumps {} ahead, to {}",
                fmt_span(to - from),
                fmt_time(*to)
            ),
        ),
        EventKind::TimedOut { .. } => ("timeout", format!("step {step}: a timer fires")),
        EventKind::Failed => ("failed", format!("step {step}: a request fails")),
        EventKind::Exited { .. } => ("crash", format!("step {step}: the process exits")),
        _ => return None,
    };
    Some(Mark { step, kind, label })
}
