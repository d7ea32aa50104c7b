//! Switches (the fixes, and the risky default) and knobs for the current incident.
use super::{Derived, Handler, Shown};
use crate::sim::spec::{Knob, Switch};
use crate::sim::Settings;
use leptos::prelude::*;

/// A change the reader asks for; the session re-runs the model from the start.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Change {
    Switch {
        index: usize,
        on: bool,
    },
    Knob {
        index: usize,
        value: i64,
    },
    /// Back to the scenario's shipped settings.
    Reset,
}

/// The controls of `scenario`'s switches and knobs, set as `settings` says.
#[component]
pub fn Controls(
    scenario: Memo<Shown>,
    settings: impl Derived<Settings>,
    on_change: impl Handler<Change>,
) -> impl IntoView {
    // Rebuilt only when the scenario changes; values are bound reactively.
    let body = move || {
        let shown = scenario.get();
        let sc = shown.scenario();
        let switches = sc
            .switches
            .iter()
            .enumerate()
            .map(|(i, sw)| switch(i, sw, settings, on_change))
            .collect_view();
        let knobs = sc
            .knobs
            .iter()
            .enumerate()
            .map(|(i, k)| knob(i, k, settings, on_change))
            .collect_view();
        view! {
            <fieldset class="switches">
                <legend>"Fixes and settings"</legend>
                {switches}
            </fieldset>
            <fieldset class="knobs">
                <legend>"What decides whether it bites"</legend>
                {knobs}
            </fieldset>
        }
    };
    view! {
        <section class="panel controls" aria-labelledby="controls-h">
            <h2 id="controls-h">"Switches and knobs"</h2>
            <p class="rule">
                "Changing anything here re-runs the model from the start; \
                 the playhead stays on the same step number."
            </p>
            {body}
            <button type="button" class="secondary" on:click=move |_| on_change(Change::Reset)>
                "Back to the shipped settings"
            </button>
        </section>
    }
}

fn switch(
    index: usize,
    sw: &Switch,
    settings: impl Derived<Settings>,
    on_change: impl Handler<Change>,
) -> impl IntoView {
    let id = format!("sw-{}", sw.id);
    let help_id = format!("{id}-help");
    let kind = if sw.fix { "fix" } else { "risk" };
    let checked = move || settings().switches.get(index).copied().unwrap_or(false);
    view! {
        <div class=format!("switch {kind}")>
            <input
                type="checkbox"
                id=id.clone()
                aria-describedby=help_id.clone()
                prop:checked=checked
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    on_change(Change::Switch { index, on });
                }
            />
            <label for=id>{sw.label.clone()} <span class="kind">{kind}</span></label>
            <p class="help" id=help_id>{sw.help.clone()}</p>
        </div>
    }
}

/// A knob's value as the settings have it, and the change a new value asks for.
#[derive(Clone, Copy)]
struct KnobValue<S, C> {
    index: usize,
    settings: S,
    on_change: C,
}

impl<S: Derived<Settings>, C: Handler<Change>> KnobValue<S, C> {
    fn get(self) -> i64 {
        (self.settings)()
            .knobs
            .get(self.index)
            .copied()
            .unwrap_or(0)
    }
    fn set(self, ev: &leptos::ev::Event) {
        if let Ok(value) = event_target_value(ev).parse::<i64>() {
            let index = self.index;
            (self.on_change)(Change::Knob { index, value });
        }
    }
}

fn knob(
    index: usize,
    k: &Knob,
    settings: impl Derived<Settings>,
    on_change: impl Handler<Change>,
) -> impl IntoView {
    let id = format!("knob-{}", k.id);
    let help_id = format!("{id}-help");
    let value = KnobValue {
        index,
        settings,
        on_change,
    };
    let control = if k.options.is_empty() {
        slider(k, &id, &help_id, value).into_any()
    } else {
        menu(k, &id, &help_id, value).into_any()
    };
    view! {
        <div class="knob">
            <label for=id>{k.label.clone()}</label>
            {control}
            <p class="help" id=help_id>{k.help.clone()}</p>
        </div>
    }
}

/// A knob with a range of numbers, and the value in its unit beside it.
fn slider(
    k: &Knob,
    id: &str,
    help_id: &str,
    value: KnobValue<impl Derived<Settings>, impl Handler<Change>>,
) -> impl IntoView {
    let knob = k.clone();
    view! {
        <input
            type="range"
            id=id.to_string()
            min=k.min
            max=k.max
            step="1"
            aria-describedby=help_id.to_string()
            prop:value=move || value.get().to_string()
            on:change=move |ev| value.set(&ev)
        />
        <output for=id.to_string()>{move || knob.value_text(value.get())}</output>
    }
}

/// A knob with named options.
fn menu(
    k: &Knob,
    id: &str,
    help_id: &str,
    value: KnobValue<impl Derived<Settings>, impl Handler<Change>>,
) -> impl IntoView {
    let options = k
        .options
        .iter()
        .map(|o| {
            let v = o.value;
            let label = o.label.clone();
            view! { <option value=v.to_string() selected=move || value.get() == v>{label}</option> }
        })
        .collect_view();
    view! {
        <select
            id=id.to_string()
            aria-describedby=help_id.to_string()
            prop:value=move || value.get().to_string()
            on:change=move |ev| value.set(&ev)
        >
            {options}
        </select>
    }
}
