//! Scenario picker: the incidents as toggle buttons, the current one's introduction and credit,
//! and loading a scenario file of one's own.
use super::Ui;
use crate::session::Notice;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn Picker(ui: Ui) -> impl IntoView {
    let sess = ui.sess;
    let cards = move || {
        let _ = ui.scenario.get();
        sess.with_untracked(|s| {
            s.scenarios
                .iter()
                .enumerate()
                .map(|(i, sc)| {
                    let current = i == s.current;
                    let (tag, title) = (sc.tag.clone(), sc.title.clone());
                    view! {
                        <button type="button" class="card" aria-pressed=current.to_string() on:click=move |_| sess.update(|s| s.select(i))>
                            <span class="tag" aria-hidden="true">{tag.clone()}</span>
                            <span class="card-title">{format!("Incident {tag}: {title}")}</span>
                        </button>
                    }
                })
                .collect_view()
        })
    };
    let intro = move || {
        let _ = ui.scenario.get();
        sess.with_untracked(|s| {
            let sc = s.scenario();
            let summary = sc.summary.clone();
            let paras = sc
                .intro
                .iter()
                .map(|p| view! { <p>{p.clone()}</p> })
                .collect_view();
            let credit = format!(
                "Drawn from “{}” by {}. {}",
                sc.credit.title, sc.credit.author, sc.credit.note
            );
            view! {
                <p class="summary">{summary}</p>
                {paras}
                <p class="credit">{credit}</p>
            }
        })
    };
    let on_file = move |ev: leptos::ev::Event| {
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
        if file.size() > 512.0 * 1024.0 {
            sess.update(|s| {
                s.notice = Some(Notice::Error(
                    "That file is larger than 512 KB; a scenario file is a few KB of JSON.".into(),
                ))
            });
            return;
        }
        let promise = file.text();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(promise)
                .await
                .ok()
                .and_then(|v| v.as_string());
            sess.update(|s| match text {
                Some(t) => {
                    if let Err(e) = s.add_scenario(&t) {
                        s.notice = Some(Notice::Error(e));
                    }
                }
                None => {
                    s.notice = Some(Notice::Error("That file could not be read as text.".into()))
                }
            });
        });
    };
    view! {
        <section class="picker" aria-labelledby="picker-h">
            <h2 id="picker-h" class="visually-hidden">"Incidents"</h2>
            <div class="cards" role="group" aria-label="Choose an incident">{cards}</div>
            <details class="intro">
                <summary>{move || {
                    let _ = ui.scenario.get();
                    sess.with_untracked(|s| format!("What happened in incident {}? (the story, and where it comes from)", s.scenario().tag))
                }}</summary>
                {intro}
                <p class="load">
                    <label>
                        "Load your own scenario file (JSON): "
                        <input type="file" accept=".json,application/json" on:change=on_file />
                    </label>
                </p>
            </details>
        </section>
    }
}
