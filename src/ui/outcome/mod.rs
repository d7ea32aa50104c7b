//! The outcome banner, a `role="status"` live region: what the current step amounts to, how the
//! whole run ends, and what the explorer says about every interleaving of these settings.
use super::{Derived, FixMatrix};
use crate::session::Frame;
use crate::sim::explore::Phase;
use crate::sim::Outcome;
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

/// `matrix` and `cell` give the explorer's verdict on the current switches (none until the
/// matrix is computed); `hide` keeps how the run ends and the verdict back (no spoilers).
#[component]
pub fn OutcomeBanner(
    frame: Memo<Frame>,
    matrix: Memo<FixMatrix>,
    cell: Memo<usize>,
    hide: impl Derived<bool>,
) -> impl IntoView {
    let verdict = move || {
        let cell = cell.get();
        matrix.with(|m| {
            let c = m.as_ref()?.as_ref().ok()?.get(cell)?;
            // Nothing until the cell's search has finished or paused.
            (c.phase != Phase::Running && !hide()).then(|| c.sentence())
        })
    };
    let class = move || frame.with(|f| format!("panel outcome {}", outcome_class(&f.outcome)));
    let icon = move || frame.with(|f| outcome_icon(&f.outcome));
    let title = move || frame.with(|f| f.headline.title.clone());
    let sentence = move || frame.with(|f| f.headline.detail.clone());
    // How the whole run ends, until the playhead is there (not for a run that stops where the
    // student stopped choosing, nor while a lesson's question is open).
    let ending = move || {
        frame.with(|f| {
            if f.step == f.steps || f.final_outcome == Outcome::Running || hide() {
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
