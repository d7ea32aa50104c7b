//! The fix matrix: the explorer's verdict for every combination of the incident's switches at
//! the current knobs. The current combination is marked; a row's button loads the shortest
//! path to trouble into the player, or plays the story under those switches.
use super::{FixMatrix, Handler, Shown};
use crate::sim::MatrixCell;
use leptos::prelude::*;
use std::sync::Arc;

/// `cell` is the row of the current switches; `on_row` gets the row whose button was pressed.
#[component]
pub fn Matrix(
    scenario: Memo<Shown>,
    matrix: Memo<FixMatrix>,
    cell: Memo<usize>,
    on_row: impl Handler<MatrixCell>,
    on_good: impl Handler<MatrixCell>,
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
                 “Show how” plays the shortest path to trouble it found; where others end \
                 well, “Show one that finishes” plays the shortest of those."
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
                    <tbody>
                        {move || rows(scenario, matrix.get(), cell.get(), (on_row, on_good))}
                    </tbody>
                </table>
            </div>
            <ul class="lessons">{lessons}</ul>
        </section>
    }
}

fn rows(
    scenario: Memo<Shown>,
    matrix: FixMatrix,
    current: usize,
    on: (impl Handler<MatrixCell>, impl Handler<MatrixCell>),
) -> AnyView {
    let m = match matrix {
        None => {
            let text = "The explorer is checking every interleaving…";
            return view! { <tr><td colspan="9">{text}</td></tr> }.into_any();
        }
        Some(Err(e)) => {
            let text = format!("The explorer could not run: {e}");
            return view! { <tr><td colspan="9">{text}</td></tr> }.into_any();
        }
        Some(Ok(m)) => m,
    };
    let labels: Vec<String> = scenario.with_untracked(|s| {
        s.scenario()
            .switches
            .iter()
            .map(|sw| sw.label.clone())
            .collect()
    });
    (0..m.len())
        .map(|i| row(&m, i, &labels, i == current, on))
        .collect_view()
        .into_any()
}

/// Row `i` of the matrix `m`.
fn row(
    m: &Arc<Vec<MatrixCell>>,
    i: usize,
    labels: &[String],
    is_current: bool,
    (on_row, on_good): (impl Handler<MatrixCell>, impl Handler<MatrixCell>),
) -> impl IntoView {
    let cell = &m[i];
    let (class, text) = cell.label();
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
    let good = cell.good_end.as_ref().map(|t| {
        let label = format!("Show one that finishes ({} steps)", t.len());
        let m = m.clone();
        view! {
            <button type="button" class="small good" on:click=move |_| on_good(m[i].clone())>
                {label}
            </button>
        }
    });
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
                {good}
            </td>
        </tr>
    }
}
