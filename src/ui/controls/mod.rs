//! Switches (the fixes, and the risky default) and knobs for the current incident.
use super::Ui;
use leptos::prelude::*;

#[component]
pub fn Controls(ui: Ui) -> impl IntoView {
    let sess = ui.sess;
    // Rebuilt only when the scenario changes; values are bound reactively.
    let body = move || {
        let _ = ui.scenario.get();
        let (switches, knobs) =
            sess.with_untracked(|s| (s.scenario().switches.clone(), s.scenario().knobs.clone()));
        let switches = switches
            .into_iter()
            .enumerate()
            .map(|(i, sw)| {
                let id = format!("sw-{}", sw.id);
                let help_id = format!("{id}-help");
                let kind = if sw.fix { "fix" } else { "risk" };
                view! {
                    <div class=format!("switch {kind}")>
                        <input
                            type="checkbox"
                            id=id.clone()
                            aria-describedby=help_id.clone()
                            prop:checked=move || sess.with(|s| s.settings.switches.get(i).copied().unwrap_or(false))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                sess.update(|s| s.set_switch(i, on));
                            }
                        />
                        <label for=id>{sw.label.clone()} <span class="kind">{if sw.fix { "fix" } else { "risk" }}</span></label>
                        <p class="help" id=help_id>{sw.help.clone()}</p>
                    </div>
                }
            })
            .collect_view();
        let knobs = knobs
            .into_iter()
            .enumerate()
            .map(|(i, k)| {
                let id = format!("knob-{}", k.id);
                let help_id = format!("{id}-help");
                let value = move || sess.with(|s| s.settings.knobs.get(i).copied().unwrap_or(0));
                let control = if k.options.is_empty() {
                    let unit = k.unit.clone();
                    view! {
                        <input
                            type="range"
                            id=id.clone()
                            min=k.min
                            max=k.max
                            step="1"
                            aria-describedby=help_id.clone()
                            prop:value=move || value().to_string()
                            on:change=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<i64>() {
                                    sess.update(|s| s.set_knob(i, v));
                                }
                            }
                        />
                        <output for=id.clone()>{move || format!("{} {}", value(), unit)}</output>
                    }
                    .into_any()
                } else {
                    let opts = k
                        .options
                        .iter()
                        .map(|o| {
                            let v = o.value;
                            view! { <option value=v.to_string() selected=move || value() == v>{o.label.clone()}</option> }
                        })
                        .collect_view();
                    view! {
                        <select
                            id=id.clone()
                            aria-describedby=help_id.clone()
                            prop:value=move || value().to_string()
                            on:change=move |ev| {
                                if let Ok(v) = event_target_value(&ev).parse::<i64>() {
                                    sess.update(|s| s.set_knob(i, v));
                                }
                            }
                        >
                            {opts}
                        </select>
                    }
                    .into_any()
                };
                view! {
                    <div class="knob">
                        <label for=id>{k.label.clone()}</label>
                        {control}
                        <p class="help" id=help_id>{k.help.clone()}</p>
                    </div>
                }
            })
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
                "Changing anything here re-runs the model from the start; the playhead stays on the same step number."
            </p>
            {body}
            <button type="button" class="secondary" on:click=move |_| sess.update(|s| s.reset())>"Back to the shipped settings"</button>
        </section>
    }
}
