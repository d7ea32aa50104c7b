//! The actor diagram: processes as containers, actors with their state and current operation,
//! channels as rows of slots, locks with holder and waiters, flags, and arrows for every wait
//! (the cycle drawn thick, with arrowheads and a label). [`scene`] writes it as markup, set whole
//! only when its shape changes; each step only changes classes and text, so CSS transitions
//! animate it. The clock, the moving token and the text description are Leptos views beside it.
pub mod layout;
pub mod scene;

use super::{px, CfgRef, Ui};
use crate::sim::config::ResKind;
use crate::sim::EventKind;
use layout::{layout, Layout};
use leptos::prelude::*;
use scene::{scene, Kind};
use wasm_bindgen::JsCast;

fn is_narrow() -> bool {
    window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < 760.0)
}

fn reduced_motion() -> bool {
    window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// What the diagram's effect keeps between frames: where it drew, the shape it drew, the
/// elements of the changing parts and what each shows now.
struct Built {
    host: web_sys::Element,
    shape: String,
    elements: Vec<web_sys::Element>,
    parts: Vec<(Kind, String)>,
}

#[component]
pub fn Diagram(ui: Ui) -> impl IntoView {
    let narrow = RwSignal::new(is_narrow());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        let n = is_narrow();
        if n != narrow.get_untracked() {
            narrow.set(n);
        }
    });
    on_cleanup(move || resize.remove());
    let geometry = Memo::new(move |_| {
        let CfgRef(cfg) = ui.cfg.get();
        layout(&cfg, narrow.get())
    });
    let host = NodeRef::<leptos::svg::G>::new();
    // Each frame: the whole markup when its shape changed (another configuration or layout, or a
    // new <g> after the layout changed), otherwise only the parts that differ from the last frame.
    Effect::new(move |prev: Option<Option<Built>>| {
        let l = geometry.get();
        let CfgRef(cfg) = ui.cfg.get();
        let host: web_sys::Element = host.get()?.into();
        let next = ui.frame.with(|f| scene(&cfg, &l, f));
        match prev.flatten() {
            Some(mut b)
                if b.host == host && b.shape == next.shape && b.parts.len() == next.parts.len() =>
            {
                for ((el, (kind, old)), (_, new)) in
                    b.elements.iter().zip(&mut b.parts).zip(next.parts)
                {
                    if *old != new {
                        match kind {
                            Kind::Class => drop(el.set_attribute("class", &new)),
                            Kind::Text => el.set_text_content(Some(&new)),
                            Kind::Inner => el.set_inner_html(&new),
                        }
                        *old = new;
                    }
                }
                Some(b)
            }
            _ => {
                host.set_inner_html(&next.markup);
                let list = host.query_selector_all("[data-d]").ok()?;
                let elements = (0..list.length())
                    .filter_map(|i| list.item(i)?.dyn_into().ok())
                    .collect();
                Some(Built {
                    host,
                    shape: next.shape,
                    elements,
                    parts: next.parts,
                })
            }
        }
    });

    let svg = move || {
        let l = geometry.get();
        let CfgRef(cfg) = ui.cfg.get_untracked();
        let title = format!("Diagram of {}", cfg.title);
        view! {
            <svg class="diagram-svg" viewBox=format!("0 0 {} {}", px(l.w), px(l.h)) style:max-width=format!("{}px", px(l.w * 1.45)) role="img" aria-labelledby="dg-title dg-desc" preserveAspectRatio="xMidYMin meet">
                <title id="dg-title">{title}</title>
                <desc id="dg-desc">{move || describe(ui)}</desc>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                    </marker>
                    <marker id="arrow-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead cycle" />
                    </marker>
                </defs>
                <g class="scene" node_ref=host></g>
                <Clock ui=ui width=l.w />
                <Token ui=ui geometry=geometry />
            </svg>
        }
    };
    view! {
        <figure class="diagram">
            {svg}
            <figcaption class="legend">
                <span class="lg ready">"▶ can move"</span>
                <span class="lg sleeping">"◔ busy (time passes)"</span>
                <span class="lg blocked">"‖ blocked"</span>
                <span class="lg deadlocked">"⟳ deadlocked"</span>
                <span class="lg done">"✓ finished"</span>
                <span class="lg cycle">"━ wait in the cycle"</span>
            </figcaption>
        </figure>
    }
}

/// A text description of the whole frame for screen readers.
fn describe(ui: Ui) -> String {
    let CfgRef(cfg) = ui.cfg.get();
    ui.frame.with(|f| {
        let mut parts: Vec<String> = cfg
            .actors
            .iter()
            .zip(&f.actors)
            .map(|(a, v)| format!("{}: {}.", a.label, v.status))
            .collect();
        for (r, res) in cfg.resources.iter().enumerate() {
            match res.kind {
                ResKind::Channel { cap } => parts.push(format!(
                    "{} holds {} of {}.",
                    res.label,
                    f.items[r].len(),
                    cap
                )),
                ResKind::Lock => parts.push(match f.holders[r] {
                    Some(h) => format!("{} is held by {}.", res.label, cfg.actors[h].label),
                    None => format!("{} is free.", res.label),
                }),
                ResKind::Flag { .. } => parts.push(format!(
                    "“{}” is {}.",
                    res.label,
                    if f.flags[r] { "true" } else { "false" }
                )),
            }
        }
        parts.join(" ")
    })
}

/// The message or item the last step moved, travelling along its edge.
#[component]
fn Token(ui: Ui, geometry: Memo<Layout>) -> impl IntoView {
    let pos = RwSignal::new((0.0f64, 0.0f64, false));
    let label = RwSignal::new(String::new());
    let visible = RwSignal::new(false);
    Effect::new(move |_| {
        let l = geometry.get();
        let CfgRef(cfg) = ui.cfg.get();
        let moved = ui.frame.with(|f| {
            let e = f.event.as_ref()?;
            let (a, r) = (e.actor? as usize, e.res? as usize);
            let (ar, rr) = (l.actors.get(a)?, l.resources.get(r)?);
            let text = e.msg.map(|m| cfg.message_short(m)).unwrap_or_default();
            match e.kind {
                EventKind::Sent => Some(((ar.cx(), ar.cy()), (rr.cx(), rr.cy()), text)),
                EventKind::Received => Some(((rr.cx(), rr.cy()), (ar.cx(), ar.cy()), text)),
                EventKind::Locked => Some(((rr.cx(), rr.cy()), (ar.cx(), ar.cy()), "⚿".into())),
                EventKind::Unlocked => Some(((ar.cx(), ar.cy()), (rr.cx(), rr.cy()), "⚿".into())),
                _ => None,
            }
        });
        match moved {
            Some((from, to, text)) if !reduced_motion() => {
                label.set(text);
                visible.set(true);
                pos.set((from.0, from.1, true));
                request_animation_frame(move || {
                    request_animation_frame(move || pos.set((to.0, to.1, false)))
                });
            }
            _ => visible.set(false),
        }
    });
    view! {
        <g
            class=move || if pos.get().2 { "token jump" } else { "token" }
            style:transform=move || { let (x, y, _) = pos.get(); format!("translate({}px, {}px)", px(x), px(y)) }
            style:display=move || if visible.get() { "inline" } else { "none" }
            aria-hidden="true"
        >
            <circle r="9" />
            <text y="4" text-anchor="middle">{move || label.get()}</text>
        </g>
    }
}

/// The simulated clock, and a banner when the last step was a jump in time (so an hour-long timer
/// is visibly an hour, not a pause).
#[component]
fn Clock(ui: Ui, width: f64) -> impl IntoView {
    use crate::sim::narrate::{fmt_span, fmt_time};
    let jump = move || {
        ui.frame.with(|f| match f.event.as_ref().map(|e| &e.kind) {
            Some(EventKind::TimePassed { from, to, .. }) => {
                Some(format!("»» time jumps {}", fmt_span(to - from)))
            }
            _ => None,
        })
    };
    let x = width - 60.0;
    view! {
        <g class="clock" aria-hidden="true">
            <text class="now" x="12" y="27">{move || ui.frame.with(|f| format!("Simulated time: {}", fmt_time(f.now)))}</text>
            <g class=move || if jump().is_some() { "jump-banner on" } else { "jump-banner" }>
                <rect x=px(x - 260.0) y="6" width="260" height="30" rx="15" />
                <text x=px(x - 130.0) y="26" text-anchor="middle">{move || jump().unwrap_or_default()}</text>
            </g>
        </g>
    }
}
