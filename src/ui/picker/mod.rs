//! Scenario picker: the incidents as toggle buttons, the current one's introduction and credit,
//! and loading a scenario file of one's own.
use super::{Handler, Shown};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Files larger than this are refused before reading: no scenario file comes near it.
const MAX_FILE_BYTES: f64 = 512.0 * 1024.0;

/// `on_select` gets the index of the incident clicked, `on_load` the text of a file the reader
/// chose, `on_error` why a file could not be read.
#[component]
pub fn Picker(
    scenario: Memo<Shown>,
    on_select: impl Handler<usize>,
    on_load: impl Handler<String>,
    on_error: impl Handler<String>,
) -> impl IntoView {
    let summary = move || {
        let tag = scenario.with(|s| s.scenario().tag.clone());
        format!("What happened in incident {tag}? (the story, and where it comes from)")
    };
    view! {
        <section class="picker" aria-labelledby="picker-h">
            <h2 id="picker-h" class="visually-hidden">"Incidents"</h2>
            <div class="cards" role="group" aria-label="Choose an incident">
                {move || cards(&scenario.get(), on_select)}
            </div>
            <details class="intro">
                <summary>{summary}</summary>
                {move || intro(&scenario.get())}
                <p class="load">
                    <label>
                        "Load your own scenario file (JSON): "
                        <input
                            type="file"
                            accept=".json,application/json"
                            on:change=move |ev| read_file(&ev, on_load, on_error)
                        />
                    </label>
                </p>
            </details>
        </section>
    }
}

fn cards(shown: &Shown, on_select: impl Handler<usize>) -> impl IntoView {
    shown
        .all
        .iter()
        .enumerate()
        .map(|(i, sc)| {
            let current = i == shown.index;
            let (tag, title) = (sc.tag.clone(), sc.title.clone());
            view! {
                <button
                    type="button"
                    class="card"
                    aria-pressed=current.to_string()
                    on:click=move |_| on_select(i)
                >
                    <span class="tag" aria-hidden="true">{tag.clone()}</span>
                    <span class="card-title">{format!("Incident {tag}: {title}")}</span>
                </button>
            }
        })
        .collect_view()
}

fn intro(shown: &Shown) -> impl IntoView {
    let sc = shown.scenario();
    let paras = sc
        .intro
        .iter()
        .map(|p| view! { <p>{p.clone()}</p> })
        .collect_view();
    let credit = sc.credit.sentence();
    view! {
        <p class="summary">{sc.summary.clone()}</p>
        {paras}
        <p class="credit">{credit}</p>
    }
}

/// Reads the file chosen in the input `ev` comes from, then empties the input (so choosing the
/// same file again is a change too).
fn read_file(
    ev: &leptos::ev::Event,
    on_load: impl Handler<String>,
    on_error: impl Handler<String>,
) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return;
    };
    input.set_value("");
    if file.size() > MAX_FILE_BYTES {
        let why = "That file is larger than 512 KB; a scenario file is a few KB of JSON.";
        on_error(why.into());
        return;
    }
    let promise = file.text();
    leptos::task::spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_string());
        match text {
            Some(t) => on_load(t),
            None => on_error("That file could not be read as text.".into()),
        }
    });
}
