//! The fix matrix: the explorer's verdict for every combination of the incident's switches at
//! the current knobs, filled in as the explorer runs (states so far, then the verdict). The
//! current combination is marked; a row's button loads the shortest path to trouble into the
//! player, or plays the story under those switches, or lets a paused search go on. With a risky
//! default among the switches, the rows come in two groups, the default as shipped first, so a
//! glance shows what the fixes do with and without it.
use super::{FixMatrix, Handler, Shown};
use crate::sim::explore::Phase;
use crate::sim::narrate::count;
use crate::sim::spec::Switch;
use crate::sim::MatrixCell;
use leptos::prelude::*;
use std::sync::Arc;

/// A cell's class and label: its progress while its search runs, then the explorer's verdict.
fn verdict(c: &MatrixCell) -> (&'static str, String) {
    let e = &c.exploration;
    if c.phase == Phase::Running && e.counterexample().is_none() {
        return ("running", format!("… checking: {} states so far", e.states));
    }
    c.label()
}

/// How many cells have their verdict, for the status line; once all have, what the matrix says
/// as a whole when no row is safe.
fn progress(matrix: &FixMatrix, switches: &[crate::sim::spec::Switch]) -> String {
    let Some(Ok(m)) = matrix else {
        return String::new();
    };
    let done = m.iter().filter(|c| c.phase == Phase::Done).count();
    let paused = m.iter().filter(|c| c.phase == Phase::AtBudget).count();
    match (m.len() - done - paused, paused) {
        (0, 0) => format!(
            "Every one of the {} combinations is decided. {}",
            m.len(),
            crate::sim::verdict::matrix_summary(m, switches)
        ),
        (0, p) => format!("{done} combinations decided; {p} stopped at the state budget."),
        (left, _) => format!(
            "Checking: {done} of {} combinations decided, {left} to go…",
            m.len()
        ),
    }
}

/// What a row's buttons ask for: play its switches (or its path to trouble), explore further
/// from where its search paused, play its shortest interleaving that ends well.
#[derive(Clone, Copy)]
struct RowActions<P, M, G> {
    play: P,
    more: M,
    good: G,
}

/// `cell` is the row of the current switches; `on_row` gets the row whose button was pressed,
/// `on_more` the index of a row whose paused search should go on, `on_good` the row whose
/// interleaving that ends well should play.
#[component]
pub fn Matrix(
    scenario: Memo<Shown>,
    matrix: Memo<FixMatrix>,
    cell: Memo<usize>,
    on_row: impl Handler<MatrixCell>,
    on_more: impl Handler<usize>,
    on_good: impl Handler<MatrixCell>,
) -> impl IntoView {
    let status = move || scenario.with(|s| matrix.with(|m| progress(m, &s.scenario().switches)));
    let head = move || {
        scenario.with(|s| {
            s.scenario()
                .switches
                .iter()
                .map(|sw| view! { <th scope="col">{sw.label.clone()}</th> })
                .collect_view()
        })
    };
    let lessons = move || {
        scenario.with(|s| {
            s.scenario()
                .lessons
                .iter()
                .map(|l| view! { <li>{l.clone()}</li> })
                .collect_view()
        })
    };
    view! {
        <section class="panel matrix" aria-labelledby="matrix-h">
            <h2 id="matrix-h">"Fix matrix"</h2>
            <p class="note">
                "For each combination of switches, the explorer tried every interleaving of \
                 the model at the knobs set above. \
                 “Show how” plays, from the start, the shortest path to trouble it found (or \
                 says when a shorter one may exist); “Play these switches” plays the story with \
                 that row's switches; where others end well, “Show one that finishes” plays one \
                 of those. Each takes you to the diagram."
            </p>
            <p class="note progress" role="status">{status}</p>
            <div class="table-wrap" tabindex="0" role="group" aria-label="Fix matrix table">
                <table>
                    <thead>
                        <tr>
                            {head}
                            <th scope="col">"Verdict"</th>
                            <th scope="col">"States"</th>
                            <th scope="col"><span class="visually-hidden">"Action"</span></th>
                        </tr>
                    </thead>
                    {move || {
                        let on = RowActions { play: on_row, more: on_more, good: on_good };
                        body(scenario, matrix.get(), cell.get(), on)
                    }}
                </table>
            </div>
            <ul class="lessons">{lessons}</ul>
        </section>
    }
}

fn body(
    scenario: Memo<Shown>,
    matrix: FixMatrix,
    current: usize,
    on: RowActions<impl Handler<MatrixCell>, impl Handler<usize>, impl Handler<MatrixCell>>,
) -> AnyView {
    let m = match matrix {
        None => {
            let text = "The explorer is checking every interleaving…";
            return view! { <tbody><tr><td colspan="9">{text}</td></tr></tbody> }.into_any();
        }
        Some(Err(e)) => {
            let text = format!("The explorer could not run: {e}");
            return view! { <tbody><tr><td colspan="9">{text}</td></tr></tbody> }.into_any();
        }
        Some(Ok(m)) => m,
    };
    let switches: Vec<Switch> = scenario.with_untracked(|s| s.scenario().switches.clone());
    // Until the new search's first cells arrive, the matrix may still be another scenario's.
    if m.len() != 1 << switches.len() {
        let text = "The explorer is checking every interleaving…";
        return view! { <tbody><tr><td colspan="9">{text}</td></tr></tbody> }.into_any();
    }
    let labels: Vec<String> = switches.iter().map(|sw| sw.label.clone()).collect();
    let row_of = |i: usize| row(&m, i, &labels, i == current, on);
    let Some(risk) = switches.iter().position(|sw| !sw.fix) else {
        return view! { <tbody>{(0..m.len()).map(row_of).collect_view()}</tbody> }.into_any();
    };
    let sw = &switches[risk];
    [sw.default, !sw.default]
        .into_iter()
        .map(|value| {
            let state = if value { "on" } else { "off" };
            let shipped = if value == sw.default {
                " (as shipped)"
            } else {
                ""
            };
            let title = format!("{}: {state}{shipped}", sw.label);
            let rows = (0..m.len())
                .filter(|&i| m[i].switches.get(risk) == Some(&value))
                .map(row_of)
                .collect_view();
            view! {
                <tbody>
                    <tr class="group"><th colspan="9" scope="rowgroup">{title}</th></tr>
                    {rows}
                </tbody>
            }
        })
        .collect_view()
        .into_any()
}

/// Row `i` of the matrix `m`.
fn row(
    m: &Arc<Vec<MatrixCell>>,
    i: usize,
    labels: &[String],
    is_current: bool,
    on: RowActions<impl Handler<MatrixCell>, impl Handler<usize>, impl Handler<MatrixCell>>,
) -> impl IntoView {
    let cell = &m[i];
    let (class, text) = verdict(cell);
    // data-label: the column's name, shown beside the value when phones stack each row.
    let switches = cell
        .switches
        .iter()
        .zip(labels)
        .map(|(&on, label)| {
            let value = if on { "✓ on" } else { "— off" };
            view! { <td class="sw" data-label=label.clone()>{value}</td> }
        })
        .collect_view();
    let here = is_current.then_some(view! { <span class="here">" ← current"</span> });
    view! {
        <tr
            class=format!("{class}{}", if is_current { " current" } else { "" })
            aria-current=is_current.then_some("true")
        >
            {switches}
            <td class="verdict">{text}{here}</td>
            <td class="num">{cell.exploration.states}</td>
            <td>{buttons(m, i, on)}</td>
        </tr>
    }
}

/// Row `i`'s buttons: play it, let its paused search go on, play its interleaving that ends well.
fn buttons(
    m: &Arc<Vec<MatrixCell>>,
    i: usize,
    on: RowActions<impl Handler<MatrixCell>, impl Handler<usize>, impl Handler<MatrixCell>>,
) -> impl IntoView {
    let cell = &m[i];
    let e = &cell.exploration;
    let trouble = e.counterexample().map(|t| {
        let shortest = e.findings.iter().any(|f| &f.trace == t && f.shortest);
        (t.len(), shortest)
    });
    let action = match trouble {
        Some((steps, true)) => format!("Show how ({})", count(steps, "step")),
        Some((steps, false)) => format!("Show how ({steps} steps; a shorter path may exist)"),
        None => "Play these switches".to_string(),
    };
    let more = (cell.phase == Phase::AtBudget).then(|| {
        let on_more = on.more;
        view! {
            <button type="button" class="small more" on:click=move |_| on_more(i)>
                "Continue exploring"
            </button>
        }
    });
    let good = cell.good_end.as_ref().map(|t| {
        let label = format!("Show one that finishes ({})", count(t.len(), "step"));
        let (m, on_good) = (m.clone(), on.good);
        view! {
            <button type="button" class="small good" on:click=move |_| on_good(m[i].clone())>
                {label}
            </button>
        }
    });
    let (m, on_play) = (m.clone(), on.play);
    view! {
        <button type="button" class="small" on:click=move |_| on_play(m[i].clone())>
            {action}
        </button>
        {more}
        {good}
    }
}
