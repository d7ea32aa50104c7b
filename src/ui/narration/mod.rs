//! Narration: what the last step did and why it matters (a polite live region), the cycle
//! walked in words once it closes, and the whole story as a list to jump around in.
use super::walk;
use super::{clicked_number, text_into, Derived, Handler};
use crate::session::Frame;
use crate::sim::narrate::count;
use leptos::prelude::*;
use std::cmp::Ordering;
use std::fmt::Write;

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
    let list = NodeRef::<leptos::html::Ol>::new();
    Effect::new(move |_| mark_current(list, cur.get()));
    let seek = move |ev: leptos::ev::MouseEvent| {
        if let Some(step) = clicked_number(&ev, "data-step") {
            on_seek(step);
        }
    };
    // Closed at first and far below the fold: written once the first frame is painted, and
    // again only when the run changes.
    let lines = move || match painted() {
        true => story.with(|s| story_markup(s, cur.get_untracked())),
        false => String::new(),
    };
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
                <ol node_ref=list on:click=seek inner_html=lines></ol>
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

/// The whole run as markup: a button per step, carrying its number, and where `cur` stands.
fn story_markup(story: &[String], cur: usize) -> String {
    let mut s = String::new();
    for (i, line) in story.iter().enumerate() {
        let step = i + 1;
        let place = match step.cmp(&cur) {
            Ordering::Equal => " class=\"current\" aria-current=\"step\"",
            Ordering::Greater => " class=\"future\"",
            Ordering::Less => "",
        };
        let _ = write!(
            s,
            "<li{place}><button type=\"button\" class=\"linklike\" data-step=\"{step}\">{step}. "
        );
        text_into(&mut s, "", line, "</button></li>");
    }
    s
}

/// Stepping moves the list's two classes and `aria-current` instead of rewriting it.
fn mark_current(list: NodeRef<leptos::html::Ol>, cur: usize) {
    let Some(ol) = list.get() else { return };
    let items = ol.children();
    for i in 0..items.length() {
        let (Some(li), step) = (items.item(i), i as usize + 1) else {
            continue;
        };
        let classes = li.class_list();
        let _ = classes.toggle_with_force("current", step == cur);
        let _ = classes.toggle_with_force("future", step > cur);
        let _ = match step == cur {
            true => li.set_attribute("aria-current", "step"),
            false => li.remove_attribute("aria-current"),
        };
    }
}
