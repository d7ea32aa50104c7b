//! Thread and goroutine dumps of the current step, derived from state by the core.
use super::Ui;
use leptos::prelude::*;

#[component]
pub fn Dump(ui: Ui) -> impl IntoView {
    view! {
        <section class="panel dump" aria-labelledby="dump-h">
            <h2 id="dump-h">"Thread dump"</h2>
            <details open>
                <summary>{move || ui.frame.with(|f| format!("What jstack, a goroutine dump and gdb would show at step {}", f.step))}</summary>
                <pre tabindex="0" aria-label="Thread dump text">{move || ui.sess.with(|s| s.dump())}</pre>
            </details>
        </section>
    }
}
