//! The fix matrix: the explorer's verdict for every combination of the incident's switches at
//! the current knobs. The current combination is marked; a row's button loads the shortest
//! path to trouble into the player, or plays the story under those switches.
use super::Ui;
use crate::sim::{MatrixCell, Trouble, Verdict};
use leptos::prelude::*;

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

#[component]
pub fn Matrix(ui: Ui) -> impl IntoView {
    let sess = ui.sess;
    let head = move || {
        let _ = ui.scenario.get();
        sess.with_untracked(|s| {
            s.scenario()
                .switches
                .iter()
                .map(|sw| view! { <th scope="col">{sw.label.clone()}</th> })
                .collect_view()
        })
    };
    let cell = Memo::new(move |_| sess.with(|s| s.matrix_cell()));
    let rows = move || {
        let current = cell.get();
        let labels: Vec<String> = sess.with_untracked(|s| {
            s.scenario()
                .switches
                .iter()
                .map(|sw| sw.label.clone())
                .collect()
        });
        match ui.matrix.get() {
            None => view! { <tr><td colspan="9">"The explorer is checking every interleaving…"</td></tr> }.into_any(),
            Some(Err(e)) => view! { <tr><td colspan="9">{format!("The explorer could not run: {e}")}</td></tr> }.into_any(),
            Some(Ok(m)) => m
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let (class, text) = verdict(cell);
                    let is_current = i == current;
                    // data-label: the column's name, shown beside the value when phones stack each row.
                    let switches = cell
                        .switches
                        .iter()
                        .zip(&labels)
                        .map(|(&on, label)| view! { <td class="sw" data-label=label.clone()>{if on { "✓ on" } else { "— off" }}</td> })
                        .collect_view();
                    let bad = cell.exploration.counterexample().is_some();
                    let steps = cell.exploration.counterexample().map(Vec::len).unwrap_or(0);
                    let m2 = m.clone();
                    let action = move |_| {
                        ui.playing.set(false);
                        let cell = m2[i].clone();
                        sess.update(|s| {
                            if bad {
                                s.load_counterexample(&cell);
                            } else {
                                s.use_switches(&cell.switches);
                            }
                        });
                    };
                    view! {
                        <tr class=format!("{class}{}", if is_current { " current" } else { "" }) aria-current=is_current.then_some("true")>
                            {switches}
                            <td class="verdict">{text}{is_current.then_some(view! { <span class="here">" ← current"</span> })}</td>
                            <td class="num">{cell.exploration.states}</td>
                            <td>
                                <button type="button" class="small" on:click=action>
                                    {if bad { format!("Show how ({steps} steps)") } else { "Play these switches".to_string() }}
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
        }
    };
    view! {
        <section class="panel matrix" aria-labelledby="matrix-h">
            <h2 id="matrix-h">"Fix matrix"</h2>
            <p class="note">"For each combination of switches, the explorer tried every interleaving of the model at the knobs set above. “Show how” plays the shortest path to trouble it found."</p>
            <div class="table-wrap" tabindex="0" role="group" aria-label="Fix matrix table">
                <table>
                    <thead><tr>{head}<th scope="col">"Verdict"</th><th scope="col">"States"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <ul class="lessons">
                {move || { let _ = ui.scenario.get(); sess.with_untracked(|s| s.scenario().lessons.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()) }}
            </ul>
        </section>
    }
}
