//! Transport: step back and forward, play and pause, speed, a scrubbable timeline with marks at
//! notable steps, and the keyboard shortcuts.
use super::Ui;
use crate::sim::narrate::fmt_time;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Global shortcuts. Keys that a focused control uses itself (space on a button, arrows in a
/// slider or a select, typing in a field) are left to it.
pub fn on_key(ui: Ui, ev: &web_sys::KeyboardEvent) {
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    let tag = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.tag_name().to_ascii_lowercase())
        .unwrap_or_default();
    let in_control = matches!(
        tag.as_str(),
        "input" | "select" | "textarea" | "button" | "summary" | "a"
    );
    let key = ev.key();
    let handled = match key.as_str() {
        "?" => {
            ui.help.update(|h| *h = !*h);
            true
        }
        "Escape" if ui.help.get_untracked() => {
            ui.help.set(false);
            true
        }
        _ if ui.help.get_untracked() => false,
        " " | "k" if !in_control => {
            ui.toggle_play();
            true
        }
        "ArrowRight" | "l" if !in_control => {
            ui.playing.set(false);
            ui.forward();
            true
        }
        "ArrowLeft" | "j" if !in_control => {
            ui.back();
            true
        }
        "Home" if !in_control => {
            ui.playing.set(false);
            ui.sess.update(|s| s.seek(0));
            true
        }
        "End" if !in_control => {
            ui.playing.set(false);
            ui.sess.update(|s| s.seek(usize::MAX));
            true
        }
        "r" | "R" if !matches!(tag.as_str(), "input" | "textarea") => {
            ui.playing.set(false);
            ui.sess.update(|s| s.seek(0));
            true
        }
        _ => false,
    };
    if handled {
        ev.prevent_default();
    }
}

#[component]
pub fn Transport(ui: Ui) -> impl IntoView {
    let sess = ui.sess;
    let step = move || ui.frame.with(|f| (f.step, f.steps, f.now));
    let marks = Memo::new(move |_| {
        let _ = ui.cfg.get();
        sess.with_untracked(|s| s.marks())
    });
    let steps = Memo::new(move |_| ui.frame.with(|f| f.steps));
    // Marks on the track are pictures only; the same moments are offered as full-size buttons.
    let mark_view = move || {
        let steps = steps.get();
        marks
            .get()
            .into_iter()
            .map(|m| {
                // Hundredths of a percent, formatted as integers (no float formatting code in the wasm).
                let left = if steps == 0 { 0 } else { m.step * 10_000 / steps };
                view! { <span class=format!("mark {}", m.kind) style:left=format!("{}.{:02}%", left / 100, left % 100) title=m.label.clone()></span> }
            })
            .collect_view()
    };
    let jumps = move || {
        marks
            .get()
            .into_iter()
            .map(|m| {
                let target = m.step;
                view! {
                    <li>
                        <button
                            type="button"
                            class=format!("jump-to {}", m.kind)
                            on:click=move |_| {
                                ui.playing.set(false);
                                sess.update(|s| s.seek(target));
                            }
                        >
                            <span class=format!("swatch {}", m.kind) aria-hidden="true"></span>
                            {m.label.clone()}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="transport" role="group" aria-label="Playback">
            <div class="buttons">
                <button type="button" aria-keyshortcuts="Home R" on:click=move |_| { ui.playing.set(false); sess.update(|s| s.seek(0)); }>
                    <span aria-hidden="true">"|◀"</span><span class="bl">"Start"</span>
                </button>
                <button type="button" aria-keyshortcuts="ArrowLeft" disabled=move || step().0 == 0 on:click=move |_| ui.back()>
                    <span aria-hidden="true">"◀"</span><span class="bl">"Back"</span>
                </button>
                <button type="button" class="play" aria-keyshortcuts="Space" aria-pressed=move || ui.playing.get().to_string() on:click=move |_| ui.toggle_play()>
                    <span aria-hidden="true">{move || if ui.playing.get() { "‖" } else { "▶" }}</span>
                    <span class="bl">{move || if ui.playing.get() { "Pause" } else { "Play" }}</span>
                </button>
                <button type="button" aria-keyshortcuts="ArrowRight" disabled=move || { let (a, b, _) = step(); a >= b } on:click=move |_| { ui.playing.set(false); ui.forward(); }>
                    <span aria-hidden="true">"▶|"</span><span class="bl">"Step"</span>
                </button>
                <button type="button" aria-keyshortcuts="End" on:click=move |_| { ui.playing.set(false); sess.update(|s| s.seek(usize::MAX)); }>
                    <span aria-hidden="true">"▶▶|"</span><span class="bl">"End"</span>
                </button>
                <label class="speed" for="speed">"Speed "</label>
                <select id="speed" class="speed-select" on:change=move |ev| { if let Some(ms) = speed_ms(&event_target_value(&ev)) { ui.speed.set(ms); } } prop:value=move || speed_value(ui.speed.get())>
                    {SPEEDS.iter().map(|&(value, ms, label)| view! { <option value=value selected=ms == DEFAULT_SPEED_MS>{label}</option> }).collect_view()}
                </select>
            </div>
            <div class="timeline">
                <label for="timeline" class="counter">
                    {move || { let (a, b, t) = step(); format!("Step {a} of {b} · time {}", fmt_time(t)) }}
                </label>
                <div class="track">
                    <input
                        id="timeline"
                        type="range"
                        min="0"
                        max=move || step().1
                        step="1"
                        prop:value=move || step().0.to_string()
                        aria-valuetext=move || { let (a, b, t) = step(); format!("step {a} of {b}, time {}", fmt_time(t)) }
                        on:input=move |ev| {
                            if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                                ui.playing.set(false);
                                sess.update(|s| s.seek(v));
                            }
                        }
                    />
                    <div class="marks" aria-hidden="true">{mark_view}</div>
                </div>
                <ul class="jumps" aria-label="Notable moments">{jumps}</ul>
            </div>
        </div>
    }
}

/// The speed menu: each option's value (steps per second), the playback interval it means, its label.
const SPEEDS: [(&str, u32, &str); 5] = [
    ("0.5", 2000, "½ step/s"),
    ("1", 1000, "1 step/s"),
    ("2", 500, "2 steps/s"),
    ("4", 250, "4 steps/s"),
    ("10", 100, "10 steps/s"),
];
/// The interval playback starts with (2 steps per second).
pub const DEFAULT_SPEED_MS: u32 = 500;

fn speed_ms(value: &str) -> Option<u32> {
    SPEEDS.iter().find(|s| s.0 == value).map(|s| s.1)
}

fn speed_value(ms: u32) -> &'static str {
    SPEEDS.iter().find(|s| s.1 == ms).map_or("2", |s| s.0)
}
