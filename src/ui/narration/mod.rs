//! Narration: what the last step did and why it matters (a polite live region), the cycle
//! walked in words once it closes, and the whole story as a list to jump around in.
use super::walk;
use super::{text_into, Derived, Handler};
use crate::session::Frame;
use crate::sim::narrate::count;
use leptos::prelude::*;

/// `story` has one line per step of the run; `on_seek` gets the step whose line was clicked. The
/// list waits for `painted`.
#[component]
pub fn Narration(
    frame: Memo<Frame>,
    story: Memo<Vec<String>>,
    painted: impl Derived<bool>,
    on_seek: impl Handler<usize>,
) -> impl IntoView {
    let cur = Memo::new(move |_| frame.with(|f| f.step));
    view! {
        <section class="narration" aria-labelledby="narr-h">
            <h2 id="narr-h">"What just happened"</h2>
            <div
                class="now"
                aria-live="polite"
                aria-atomic="true"
                inner_html=move || frame.with(now)
            ></div>
            <div
                on:click=move |ev| frame.with_untracked(|f| walk::click(&ev, f))
                inner_html=move || frame.with(walk::cycle_markup)
            ></div>
            <details class="story">
                <summary>
                    {move || {
                        let n = count(story.with(Vec::len), "step");
                        format!("The whole run, step by step ({n})")
                    }}
                </summary>
                // Closed at first and far below the fold: built once the first frame is painted.
                <ol>{move || painted().then(|| story_list(story, cur, on_seek))}</ol>
            </details>
        </section>
    }
}

/// What the step on screen did, why it matters, and who waits now, as markup (its text
/// escaped).
fn now(f: &Frame) -> String {
    let Some(n) = &f.narration else {
        return "<p class=\"what\">Step 0: everything is ready and nothing has happened yet. \
                Press Play, or → to take one step.</p>"
            .into();
    };
    let mut out = format!(
        "<p class=\"what\"><span class=\"stepno\">Step {}: </span>",
        f.step
    );
    text_into(&mut out, "", &n.what, "</p>");
    if let Some(w) = &n.why {
        text_into(&mut out, "<p class=\"why\">", w, "</p>");
    }
    out.push_str("<ul class=\"waiting\">");
    for w in &n.now_waiting {
        text_into(&mut out, "<li>", w, "</li>");
    }
    out.push_str("</ul>");
    out
}

/// The list is rebuilt only when the run changes; stepping only moves two classes.
fn story_list(
    story: Memo<Vec<String>>,
    cur: Memo<usize>,
    on_seek: impl Handler<usize>,
) -> impl IntoView {
    story
        .get()
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let step = i + 1;
            view! {
                <li
                    aria-current=move || (cur.get() == step).then_some("step")
                    class:current=move || cur.get() == step
                    class:future=move || cur.get() < step
                >
                    <button type="button" class="linklike" on:click=move |_| on_seek(step)>
                        {format!("{step}. {line}")}
                    </button>
                </li>
            }
        })
        .collect_view()
}
