//! The outcome banner, a `role="status"` live region: what the current step amounts to, how the
//! whole run ends, and what the explorer says about every interleaving of these settings.
use super::Ui;
use crate::sim::{Outcome, Trouble, Verdict};
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

#[component]
pub fn OutcomeBanner(ui: Ui) -> impl IntoView {
    let verdict = move || {
        let cell = ui.sess.with(|s| s.matrix_cell());
        ui.matrix.with(|m| {
            let e = &m.as_ref()?.as_ref().ok()?.get(cell)?.exploration;
            Some((
                e.verdict,
                e.states,
                e.recovered_ends > 0,
                e.found(Trouble::Crash),
            ))
        })
    };
    let now = move || ui.frame.with(|f| (f.outcome.clone(), f.headline.clone()));
    let end = move || {
        ui.frame.with(|f| {
            (
                f.final_outcome.clone(),
                f.final_headline.clone(),
                f.step == f.steps,
            )
        })
    };
    let verdict_text = move || {
        verdict().map(|(v, states, recovers, crash)| match v {
            Verdict::Safe if recovers => format!("Explorer: no interleaving deadlocks for good ({states} states checked), though timeouts fail some requests."),
            Verdict::Safe => format!("Explorer: no interleaving of these settings deadlocks, crashes or stalls ({states} states checked)."),
            Verdict::Possible if crash => format!("Explorer: some interleavings end in a crash and others finish ({states} states checked)."),
            Verdict::Possible => format!("Explorer: some interleavings deadlock and others finish ({states} states checked)."),
            Verdict::Always => format!("Explorer: every interleaving goes wrong ({states} states checked)."),
            Verdict::Unknown => format!("Explorer: stopped after {states} states without finding a deadlock; the answer is not known."),
        })
    };
    view! {
        <section class=move || format!("panel outcome {}", outcome_class(&now().0)) aria-labelledby="outcome-h">
            <h2 id="outcome-h" class="visually-hidden">"Outcome"</h2>
            <div role="status" aria-live="polite" aria-atomic="true">
                <p class="headline">
                    <span class="icon" aria-hidden="true">{move || outcome_icon(&now().0)}</span>
                    {move || now().1.title}
                </p>
                <p class="sentence">{move || now().1.detail}</p>
            </div>
            <p class="ending">
                {move || {
                    let (o, headline, at_end) = end();
                    if at_end { String::new() } else { format!("{} This run ends: {}.", outcome_icon(&o), headline.title.to_ascii_lowercase()) }
                }}
            </p>
            <p class="verdict">{verdict_text}</p>
        </section>
    }
}
