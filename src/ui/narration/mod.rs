//! Narration: what the last step did and why it matters (a polite live region), the cycle
//! walked in words once it closes, and the whole story as a list to jump around in.
use super::Ui;
use leptos::prelude::*;

#[component]
pub fn Narration(ui: Ui) -> impl IntoView {
    let sess = ui.sess;
    let story = Memo::new(move |_| {
        let _ = ui.cfg.get();
        sess.with_untracked(|s| s.story())
    });
    let now = move || {
        ui.frame.with(|f| match &f.narration {
            None => view! {
                <p class="what">"Step 0: everything is ready and nothing has happened yet. Press Play, or → to take one step."</p>
            }
            .into_any(),
            Some(n) => {
                let waiting = n.now_waiting.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view();
                view! {
                    <p class="what"><span class="stepno">{format!("Step {}: ", f.step)}</span>{n.what.clone()}</p>
                    {n.why.clone().map(|w| view! { <p class="why">{w}</p> })}
                    <ul class="waiting">{waiting}</ul>
                }
                .into_any()
            }
        })
    };
    let cycle = move || {
        ui.frame.with(|f| {
            f.cycle_text.clone().map(|t| {
                view! {
                    <div class="cycle-text">
                        <h3>"The cycle"</h3>
                        <p>{t}</p>
                    </div>
                }
            })
        })
    };
    // The list is rebuilt only when the run changes; stepping only moves two classes.
    let cur = Memo::new(move |_| ui.frame.with(|f| f.step));
    let list = move || {
        story
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let step = i + 1;
                view! {
                    <li aria-current=move || (cur.get() == step).then_some("step") class:current=move || cur.get() == step class:future=move || cur.get() < step>
                        <button type="button" class="linklike" on:click=move |_| { ui.playing.set(false); sess.update(|s| s.seek(step)); }>
                            {format!("{step}. {line}")}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="narration" aria-labelledby="narr-h">
            <h2 id="narr-h">"What just happened"</h2>
            <div class="now" aria-live="polite" aria-atomic="true">{now}</div>
            {cycle}
            <details class="story">
                <summary>{move || format!("The whole run, step by step ({} steps)", story.with(Vec::len))}</summary>
                // Closed at first and far below the fold: built once the first frame is painted.
                <ol>{move || ui.painted.get().then(list)}</ol>
            </details>
        </section>
    }
}
