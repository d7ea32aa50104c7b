//! Transport: step back and forward, play and pause, speed, and a scrubbable timeline with marks
//! at notable steps. It asks for every move through its callbacks; the keyboard's shortcuts for
//! the same moves are in `ui::keys`.
use super::{clicked_number, text_into, Derived, Handler};
use crate::session::{Frame, Mark};
use crate::sim::narrate::fmt_time;
use leptos::prelude::*;
use std::fmt::Write;

/// Where the playhead is: the step on screen, how many there are, and the simulated time.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Playhead {
    pub step: usize,
    pub steps: usize,
    pub now: u64,
}

impl Playhead {
    fn words(&self) -> String {
        format!(
            "step {} of {}, time {}",
            self.step,
            self.steps,
            fmt_time(self.now)
        )
    }
}

/// `on_seek` gets the step to show, `on_play` a press of Play or Pause, `on_speed` the interval
/// chosen in the speed menu (milliseconds between steps).
#[component]
pub fn Transport(
    frame: Memo<Frame>,
    marks: Memo<Vec<Mark>>,
    playing: impl Derived<bool>,
    speed: impl Derived<u32>,
    on_seek: impl Handler<usize>,
    on_play: impl Handler<()>,
    on_speed: impl Handler<u32>,
) -> impl IntoView {
    let at = move || {
        frame.with(|f| Playhead {
            step: f.step,
            steps: f.steps,
            now: f.now,
        })
    };
    view! {
        <div class="transport" role="group" aria-label="Playback">
            <div class="buttons">
                {buttons(at, playing, on_seek, on_play)}
                {speed_menu(speed, on_speed)}
            </div>
            <div class="timeline">
                {timeline(at, marks, on_seek)}
                {jumps(marks, on_seek)}
            </div>
        </div>
    }
}

fn buttons(
    at: impl Derived<Playhead>,
    playing: impl Derived<bool>,
    on_seek: impl Handler<usize>,
    on_play: impl Handler<()>,
) -> impl IntoView {
    let step = move || untrack(at).step;
    let last = move || untrack(at).steps;
    view! {
        <button type="button" aria-keyshortcuts="Home R" on:click=move |_| on_seek(0)>
            <span aria-hidden="true">"|◀"</span><span class="bl">"Start"</span>
        </button>
        <button
            type="button"
            aria-keyshortcuts="ArrowLeft"
            disabled=move || at().step == 0
            on:click=move |_| on_seek(step().saturating_sub(1))
        >
            <span aria-hidden="true">"◀"</span><span class="bl">"Back"</span>
        </button>
        <button
            type="button"
            class="play"
            aria-keyshortcuts="Space"
            aria-pressed=move || playing().to_string()
            on:click=move |_| on_play(())
        >
            <span aria-hidden="true">{move || if playing() { "‖" } else { "▶" }}</span>
            <span class="bl">{move || if playing() { "Pause" } else { "Play" }}</span>
        </button>
        <button
            type="button"
            aria-keyshortcuts="ArrowRight"
            disabled=move || {
                let a = at();
                a.step >= a.steps
            }
            on:click=move |_| on_seek(step() + 1)
        >
            <span aria-hidden="true">"▶|"</span><span class="bl">"Step"</span>
        </button>
        <button type="button" aria-keyshortcuts="End" on:click=move |_| on_seek(last())>
            <span aria-hidden="true">"▶▶|"</span><span class="bl">"End"</span>
        </button>
    }
}

fn speed_menu(speed: impl Derived<u32>, on_speed: impl Handler<u32>) -> impl IntoView {
    let options = SPEEDS
        .iter()
        .map(|s| {
            let default = s.ms == DEFAULT_SPEED_MS;
            view! { <option value=s.value selected=default>{s.label}</option> }
        })
        .collect_view();
    view! {
        <label class="speed" for="speed">"Speed "</label>
        <select
            id="speed"
            class="speed-select"
            on:change=move |ev| {
                if let Some(ms) = speed_ms(&event_target_value(&ev)) {
                    on_speed(ms);
                }
            }
            prop:value=move || speed_value(speed())
        >
            {options}
        </select>
    }
}

/// The step counter, the scrubbable track and the marks on it.
fn timeline(
    at: impl Derived<Playhead>,
    marks: Memo<Vec<Mark>>,
    on_seek: impl Handler<usize>,
) -> impl IntoView {
    let steps = Memo::new(move |_| at().steps);
    view! {
        <label for="timeline" class="counter">
            {move || {
                let a = at();
                format!("Step {} of {} · time {}", a.step, a.steps, fmt_time(a.now))
            }}
        </label>
        <div class="track">
            <input
                id="timeline"
                type="range"
                min="0"
                max=move || at().steps
                step="1"
                prop:value=move || at().step.to_string()
                aria-valuetext=move || at().words()
                on:input=move |ev| {
                    if let Ok(v) = event_target_value(&ev).parse::<usize>() {
                        on_seek(v);
                    }
                }
            />
            <div class="marks" aria-hidden="true">{move || track_marks(steps.get(), marks)}</div>
        </div>
    }
}

/// Marks on the track are pictures only; the same moments are offered as full-size buttons.
/// Built as elements: the page's CSP refuses inline `style` attributes in markup.
fn track_marks(steps: usize, marks: Memo<Vec<Mark>>) -> impl IntoView {
    marks
        .get()
        .into_iter()
        .map(|m| {
            // Hundredths of a percent, formatted as integers (no float formatting in the wasm).
            let left = (m.step * 10_000).checked_div(steps).unwrap_or(0);
            let left = format!("{}.{:02}%", left / 100, left % 100);
            view! {
                <span class=format!("mark {}", m.kind) style:left=left title=m.label.clone()></span>
            }
        })
        .collect_view()
}

/// A button per notable moment, carrying its step.
fn jump_markup(marks: &[Mark]) -> String {
    let mut s = String::new();
    for m in marks {
        let _ = write!(
            s,
            "<li><button type=\"button\" class=\"jump-to {k}\" data-step=\"{}\">\
             <span class=\"swatch {k}\" aria-hidden=\"true\"></span>",
            m.step,
            k = m.kind
        );
        text_into(&mut s, "", &m.label, "</button></li>");
    }
    s
}

/// A button per notable moment, written as markup with one listener for the list.
fn jumps(marks: Memo<Vec<Mark>>, on_seek: impl Handler<usize>) -> impl IntoView {
    let buttons = move || marks.with(|ms| jump_markup(ms));
    let seek = move |ev: leptos::ev::MouseEvent| {
        if let Some(step) = clicked_number(&ev, "data-step") {
            on_seek(step);
        }
    };
    view! { <ul class="jumps" aria-label="Notable moments" on:click=seek inner_html=buttons></ul> }
}

/// One entry of the speed menu.
struct Speed {
    /// The option's value: steps per second.
    value: &'static str,
    /// The playback interval it means.
    ms: u32,
    label: &'static str,
}

const SPEEDS: [Speed; 5] = [
    Speed {
        value: "0.5",
        ms: 2000,
        label: "½ step/s",
    },
    Speed {
        value: "1",
        ms: 1000,
        label: "1 step/s",
    },
    Speed {
        value: "2",
        ms: 500,
        label: "2 steps/s",
    },
    Speed {
        value: "4",
        ms: 250,
        label: "4 steps/s",
    },
    Speed {
        value: "10",
        ms: 100,
        label: "10 steps/s",
    },
];
/// The interval playback starts with (2 steps per second).
pub const DEFAULT_SPEED_MS: u32 = 500;

fn speed_ms(value: &str) -> Option<u32> {
    SPEEDS.iter().find(|s| s.value == value).map(|s| s.ms)
}

fn speed_value(ms: u32) -> &'static str {
    SPEEDS.iter().find(|s| s.ms == ms).map_or("2", |s| s.value)
}
