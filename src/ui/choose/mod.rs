//! "You choose": the student as the scheduler. The steps possible now, each with what the
//! explorer says it leads to; the hint for the current state (a polite live region); random
//! schedules from a seed and the spread of a hundred; the scenario's challenges.
use super::hinter::{HintState, Scheduler, HINT_LIMIT};
use super::{Derived, Handler};
use crate::session::{hint_text, ChallengeView, Offer, Session};
use crate::sim::Choice;
use leptos::prelude::*;

/// What the panel asks for.
#[derive(Clone, Copy)]
pub enum Ask {
    /// Into or out of choosing.
    Toggle,
    Take(Choice),
    /// A random schedule from this seed.
    Random(u64),
    /// A hundred random schedules from this seed on.
    Spread(u64),
}

/// Everything the panel shows, derived once per change of the session or the scheduler.
#[derive(Clone, PartialEq)]
pub struct ChooseView {
    pub on: bool,
    pub offers: Vec<Offer>,
    /// Per offer: what taking it changes, if it makes a fate certain or impossible.
    pub marks: Vec<Option<String>>,
    /// The current state's hint in sentences, or where the search for hints stands.
    pub hint: Vec<String>,
    pub challenges: Vec<ChallengeView>,
    pub spread: Option<String>,
}

impl ChooseView {
    pub fn new(s: &Session, c: &Scheduler) -> ChooseView {
        let h = c.hints.ready();
        let offers = if c.on { s.offers(h) } else { Vec::new() };
        let now = s.hint(h);
        let hint = match &c.hints {
            HintState::Ready(_) => now.map(hint_text).unwrap_or_default(),
            HintState::Working { states } => vec![format!(
                "The explorer is charting every order: {states} states so far…"
            )],
            HintState::TooBig => vec![format!(
                "More than {HINT_LIMIT} states at these settings: no hints. Try smaller knobs."
            )],
            HintState::Off => Vec::new(),
        };
        ChooseView {
            on: c.on,
            marks: offers.iter().map(|o| o.mark(now)).collect(),
            offers,
            hint,
            challenges: if c.on { s.challenges(h) } else { Vec::new() },
            spread: c.spread.clone(),
        }
    }
}

#[component]
pub fn Choose(view: Memo<ChooseView>, on_ask: impl Handler<Ask>) -> impl IntoView {
    let seed = RwSignal::new(1u32);
    let on = move || view.with(|v| v.on);
    view! {
        <section class="panel choose" aria-labelledby="choose-h">
            <h2 id="choose-h">"You are the scheduler"</h2>
            <button type="button" class="choose-toggle" aria-pressed=move || on().to_string()
                on:click=move |_| on_ask(Ask::Toggle)>
                {move || if on() { "Stop choosing" } else { "Choose the next step yourself" }}
            </button>
            <div hidden=move || !on()>
                <div class="hint" role="status" aria-live="polite">
                    {move || view.with(|v| lines(&v.hint))}
                </div>
                <p class="offers-h" id="offers-h">"Who moves next? (keys 1–9)"</p>
                <ol class="offers" aria-labelledby="offers-h">
                    {move || view.with(|v| offer_list(v, on_ask))}
                </ol>
                {random(seed, move || view.with(|v| v.spread.clone()), on_ask)}
                <h3>"Challenges"</h3>
                <ul class="challenges">{move || view.with(|v| challenge_list(&v.challenges))}</ul>
            </div>
        </section>
    }
}

fn lines(ls: &[String]) -> impl IntoView {
    ls.iter()
        .map(|l| view! { <p>{l.clone()}</p> })
        .collect_view()
}

fn offer_list(v: &ChooseView, on_ask: impl Handler<Ask>) -> AnyView {
    {
        if v.offers.is_empty() {
            return view! { <li class="none">"Nothing can move: this run is over."</li> }
                .into_any();
        }
        v.offers
            .iter()
            .zip(v.marks.clone())
            .enumerate()
            .map(|(k, (o, mark))| {
                let choice = o.choice;
                let key = (k < 9).then(|| (k + 1).to_string());
                let shortcut = key.clone();
                view! {
                    <li>
                        <button type="button" aria-keyshortcuts=shortcut
                            on:click=move |_| on_ask(Ask::Take(choice))>
                            <kbd aria-hidden="true">{key}</kbd>
                            {o.label.clone()}
                        </button>
                        {mark.map(|m| view! { <span class="mark">{m}</span> })}
                    </li>
                }
            })
            .collect_view()
            .into_any()
    }
}

fn random(
    seed: RwSignal<u32>,
    spread: impl Derived<Option<String>>,
    on_ask: impl Handler<Ask>,
) -> impl IntoView {
    let read = move |ev| {
        if let Ok(v) = event_target_value(&ev).parse() {
            seed.set(v);
        }
    };
    let seed_now = move || u64::from(seed.get_untracked());
    view! {
        <div class="random">
            <label>"Seed " <input type="number" min="0" prop:value=move || seed.get().to_string()
                on:change=read /></label>
            <button type="button" on:click=move |_| on_ask(Ask::Random(seed_now()))>
                "Play a random schedule"
            </button>
            <button type="button" on:click=move |_| on_ask(Ask::Spread(seed_now()))>
                "Try 100 random schedules"
            </button>
            <p role="status">{spread}</p>
        </div>
    }
}

fn challenge_list(cs: &[ChallengeView]) -> impl IntoView {
    {
        cs.iter()
            .map(|c| {
                let met = c.judgement.met;
                view! {
                    <li class:met=met>
                        <span class="state">{if met { "✓ Met: " } else { "○ Open: " }}</span>
                        {c.text.clone()}
                        <span class="note">{c.judgement.note.clone()}</span>
                    </li>
                }
            })
            .collect_view()
    }
}
