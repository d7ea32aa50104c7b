//! The fix matrix: the explorer's verdict for every combination of the incident's switches at
//! the current knobs. The current combination is marked; a row's button loads the shortest
//! path to trouble into the player, or plays the story under those switches. With a risky default
//! among the switches, the rows come in two groups, the default as shipped first, so a glance
//! shows what the fixes do with and without it.
use super::{FixMatrix, Handler, Shown};
use crate::sim::spec::Switch;
use crate::sim::{MatrixCell, Trouble, Verdict};
use leptos::prelude::*;
use std::sync::Arc;

fn verdict(c: &MatrixCell) -> (&'static str, String) {
    let e = &c.exploration;
    let what = if e.found(Trouble::Deadlock) {
        "deadlock"
    } else if e.found(Trouble::Crash) {
        "crash"
    } else {
        "stall"
    };
    match e.verdict {
        Verdict::Safe if e.recovered_ends > 0 => {
            ("recovers", "↺ recovers; some requests fail".into())
        }
        Verdict::Safe => ("safe", "✓ never goes wrong".into()),
        Verdict::Possible => ("possible", format!("⚠ can {what}")),
        Verdict::Always => ("always", format!("✖ always ends in a {what}")),
        Verdict::Unknown => ("unknown", format!("? unknown after {} states", e.states)),
    }
}

/// `cell` is the row of the current switches; `on_row` gets the row whose button was pressed.
#[component]
pub fn Matrix(
    scenario: Memo<Shown>,
    matrix: Memo<FixMatrix>,
    cell: Memo<usize>,
    on_row: impl Handler<MatrixCell>,
) -> impl IntoView {
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
                 “Show how” plays, from the start, the shortest path to trouble it found; \
                 “Play these switches” plays the story with that row's switches. \
                 Both take you to the diagram."
            </p>
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
                    {move || body(scenario, matrix.get(), cell.get(), on_row)}
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
    on_row: impl Handler<MatrixCell>,
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
    let labels: Vec<String> = switches.iter().map(|sw| sw.label.clone()).collect();
    let row_of = |i: usize| row(&m, i, &labels, i == current, on_row);
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
    on_row: impl Handler<MatrixCell>,
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
    let trouble = cell.exploration.counterexample().map(Vec::len);
    let action = match trouble {
        Some(steps) => format!("Show how ({steps} steps)"),
        None => "Play these switches".to_string(),
    };
    let here = is_current.then_some(view! { <span class="here">" ← current"</span> });
    let m = m.clone();
    view! {
        <tr
            class=format!("{class}{}", if is_current { " current" } else { "" })
            aria-current=is_current.then_some("true")
        >
            {switches}
            <td class="verdict">{text}{here}</td>
            <td class="num">{cell.exploration.states}</td>
            <td>
                <button type="button" class="small" on:click=move |_| on_row(m[i].clone())>
                    {action}
                </button>
            </td>
        </tr>
    }
}
