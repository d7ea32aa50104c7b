//! Thread and goroutine dumps of the current step, derived from state by the core.
use super::Derived;
use crate::session::Frame;
use leptos::prelude::*;

/// `text` is the dump of the step `frame` shows.
#[component]
pub fn Dump(frame: Memo<Frame>, text: impl Derived<String>) -> impl IntoView {
    let summary = move || {
        let step = frame.with(|f| f.step);
        format!("What jstack, a goroutine dump and gdb would show at step {step}")
    };
    view! {
        <section class="panel dump" aria-labelledby="dump-h">
            <h2 id="dump-h">"Thread dump"</h2>
            <details open>
                <summary>{summary}</summary>
                <pre tabindex="0" aria-label="Thread dump text">{text}</pre>
            </details>
        </section>
    }
}
