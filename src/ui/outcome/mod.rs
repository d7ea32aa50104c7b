//! The outcome banner, a `role="status"` live region: what the current step amounts to, how the
//! whole run ends, and what the explorer says about every interleaving of these settings.
use super::FixMatrix;
use crate::session::Frame;
use crate::sim::{Exploration, Outcome, Trouble, Verdict};
use leptos::prelude::*;

pub fn outcome_class(o: &Outcome) -> &'static str {
    match o {
        Outcome::Running => "running",
        Outcome::Completed => "completed",
        Outcome::Recovered { .. } => "recovered",
        Outcome::Deadlocked { .. } => "deadlocked",
        Outcome::Crashed { .. } => "crashed",
        Outcome::Stalled { .. } => "stalled",
    }
}

pub fn outcome_icon(o: &Outcome) -> &'static str {
    match o {
        Outcome::Running => "…",
        Outcome::Completed => "✓",
        Outcome::Recovered { .. } => "↺",
        Outcome::Deadlocked { .. } => "⟳",
        Outcome::Crashed { .. } => "✖",
        Outcome::Stalled { .. } => "⏸",
    }
}

/// What the explorer says about every interleaving at the current settings.
fn verdict_text(e: &Exploration) -> String {
    let states = e.states;
    match e.verdict {
        Verdict::Safe if e.recovered_ends > 0 => format!(
            "Explorer: no interleaving deadlocks for good ({states} states checked), \
             though timeouts fail some requests."
        ),
        Verdict::Safe => format!(
            "Explorer: no interleaving of these settings deadlocks, crashes or stalls \
             ({states} states checked)."
        ),
        Verdict::Possible if e.found(Trouble::Crash) => format!(
            "Explorer: some interleavings end in a crash and others finish \
             ({states} states checked)."
        ),
        Verdict::Possible => format!(
            "Explorer: some interleavings deadlock and others finish ({states} states checked)."
        ),
        Verdict::Always => {
            format!("Explorer: every interleaving goes wrong ({states} states checked).")
        }
        Verdict::Unknown => format!(
            "Explorer: stopped after {states} states without finding a deadlock; \
             the answer is not known."
        ),
    }
}

/// `matrix` and `cell` give the explorer's verdict on the current switches (none until the
/// matrix is computed).
#[component]
pub fn OutcomeBanner(
    frame: Memo<Frame>,
    matrix: Memo<FixMatrix>,
    cell: Memo<usize>,
) -> impl IntoView {
    let verdict = move || {
        let cell = cell.get();
        matrix.with(|m| {
            Some(verdict_text(
                &m.as_ref()?.as_ref().ok()?.get(cell)?.exploration,
            ))
        })
    };
    let class = move || frame.with(|f| format!("panel outcome {}", outcome_class(&f.outcome)));
    let icon = move || frame.with(|f| outcome_icon(&f.outcome));
    let title = move || frame.with(|f| f.headline.title.clone());
    let sentence = move || frame.with(|f| f.headline.detail.clone());
    // How the whole run ends, until the playhead is there.
    let ending = move || {
        frame.with(|f| {
            if f.step == f.steps {
                return String::new();
            }
            let title = f.final_headline.title.to_ascii_lowercase();
            format!("{} This run ends: {title}.", outcome_icon(&f.final_outcome))
        })
    };
    view! {
        <section class=class aria-labelledby="outcome-h">
            <h2 id="outcome-h" class="visually-hidden">"Outcome"</h2>
            <div role="status" aria-live="polite" aria-atomic="true">
                <p class="headline">
                    <span class="icon" aria-hidden="true">{icon}</span>
                    {title}
                </p>
                <p class="sentence">{sentence}</p>
            </div>
            <p class="ending">{ending}</p>
            <p class="verdict">{verdict}</p>
        </section>
    }
}
