//! "You choose": the student as the scheduler. The steps possible now, each with what the
//! explorer says it leads to; the hint for the current state (a polite live region); random
//! schedules from a seed and the spread of a hundred; the scenario's challenges.
use super::hinter::{HintState, Scheduler, HINT_LIMIT};
use super::{escape_into, Derived, Handler};
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
    // One listener for the whole list: the offers are written as markup, each button with its
    // place in the list.
    let take = move |ev: leptos::ev::MouseEvent| {
        let k = super::clicked_number(&ev, "data-k");
        let choice = k.and_then(|k| view.with_untracked(|v| v.offers.get(k).map(|o| o.choice)));
        if let Some(c) = choice {
            on_ask(Ask::Take(c));
        }
    };
    view! {
        <section class="panel choose" aria-labelledby="choose-h">
            <h2 id="choose-h">"You are the scheduler"</h2>
            <button type="button" class="choose-toggle" aria-pressed=move || on().to_string()
                on:click=move |_| on_ask(Ask::Toggle)>
                {move || if on() { "Stop choosing" } else { "Choose the next step yourself" }}
            </button>
            <div hidden=move || !on()>
                <div class="hint" role="status" aria-live="polite"
                    inner_html=move || view.with(|v| paragraphs(&v.hint))></div>
                <p class="offers-h" id="offers-h">"Who moves next? (keys 1–9)"</p>
                <ol class="offers" aria-labelledby="offers-h" on:click=take
                    inner_html=move || view.with(offers_markup)></ol>
                {random(seed, move || view.with(|v| v.spread.clone()), on_ask)}
                <h3>"Challenges"</h3>
                <ul class="challenges"
                    inner_html=move || view.with(|v| challenges_markup(&v.challenges))></ul>
            </div>
        </section>
    }
}

fn paragraphs(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str("<p>");
        escape_into(&mut out, l);
        out.push_str("</p>");
    }
    out
}

/// The offers as list items: a button (its number key, then what it does) and the mark beside it.
fn offers_markup(v: &ChooseView) -> String {
    if v.offers.is_empty() {
        return "<li class=\"none\">Nothing can move: this run is over.</li>".into();
    }
    let mut out = String::new();
    for (k, (o, mark)) in v.offers.iter().zip(&v.marks).enumerate() {
        let key = if k < 9 {
            (k + 1).to_string()
        } else {
            String::new()
        };
        out.push_str(&format!("<li><button type=\"button\" data-k=\"{k}\""));
        if !key.is_empty() {
            out.push_str(&format!(" aria-keyshortcuts=\"{key}\""));
        }
        out.push_str(&format!("><kbd aria-hidden=\"true\">{key}</kbd>"));
        escape_into(&mut out, &o.label);
        out.push_str("</button>");
        if let Some(m) = mark {
            out.push_str("<span class=\"mark\">");
            escape_into(&mut out, m);
            out.push_str("</span>");
        }
        out.push_str("</li>");
    }
    out
}

fn challenges_markup(cs: &[ChallengeView]) -> String {
    let mut out = String::new();
    for c in cs {
        let (class, state) = match c.judgement.met {
            true => (" class=\"met\"", "✓ Met: "),
            false => ("", "○ Open: "),
        };
        out.push_str(&format!("<li{class}><span class=\"state\">{state}</span>"));
        escape_into(&mut out, &c.text);
        out.push_str("<span class=\"note\">");
        escape_into(&mut out, &c.judgement.note);
        out.push_str("</span></li>");
    }
    out
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
