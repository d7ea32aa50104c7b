//! The actor diagram: processes as containers, actors with their state and current operation,
//! channels as rows of slots, locks with holder and waiters, flags, and arrows for every wait
//! (the cycle drawn thick, with arrowheads and a label). [`scene`] writes it as markup, set whole
//! only when its shape changes; each step only changes classes and text, so CSS transitions
//! animate it. The clock, the moving token and the text description are Leptos views beside it.
pub mod layout;
pub mod scene;

use super::{px, CfgRef};
use crate::session::Frame;
use crate::sim::config::ResKind;
use crate::sim::{Config, EventKind};
use layout::{layout, Layout};
use leptos::prelude::*;
use scene::{scene, Kind, Part, Scene};

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

/// A changing part as it is on screen: its element, found by the part's id, and what it shows.
struct Live {
    el: web_sys::Element,
    part: Part,
}

/// What the diagram's effect keeps between frames: where it drew, the shape it drew, and its
/// changing parts.
struct Built {
    host: web_sys::Element,
    shape: String,
    parts: Vec<Live>,
}

impl Built {
    /// Sets the whole markup and finds each part's element by its id.
    fn new(host: web_sys::Element, next: Scene) -> Option<Built> {
        host.set_inner_html(&next.markup);
        let parts = next
            .parts
            .into_iter()
            .map(|part| {
                let el = host
                    .query_selector(&format!("[data-d=\"{}\"]", part.id))
                    .ok()??;
                Some(Live { el, part })
            })
            .collect::<Option<Vec<Live>>>()?;
        Some(Built {
            host,
            shape: next.shape,
            parts,
        })
    }
    /// Whether `next` only changes the parts' values (same host, same shape, same part ids).
    fn fits(&self, host: &web_sys::Element, next: &Scene) -> bool {
        self.host == *host
            && self.shape == next.shape
            && self.parts.len() == next.parts.len()
            && self
                .parts
                .iter()
                .zip(&next.parts)
                .all(|(l, p)| l.part.id == p.id)
    }
    /// Writes the parts whose values differ from what is on screen.
    fn patch(&mut self, parts: Vec<Part>) {
        for (live, new) in self.parts.iter_mut().zip(parts) {
            if live.part.value != new.value {
                match new.kind {
                    Kind::Class => drop(live.el.set_attribute("class", &new.value)),
                    Kind::Text => {
                        live.el.set_text_content(Some(&new.value));
                        fit(&live.el, &new);
                    }
                    Kind::Inner => live.el.set_inner_html(&new.value),
                }
                live.part = new;
            }
        }
    }
}

/// Squeezes a text to its room when it is too long for it, as the scene writes it: never cut.
fn fit(el: &web_sys::Element, part: &Part) {
    if scene::squeezed(part.room, &part.value) {
        let _ = el.set_attribute("textLength", &px(part.room).to_string());
        let _ = el.set_attribute("lengthAdjust", "spacingAndGlyphs");
    } else {
        let _ = el.remove_attribute("textLength");
        let _ = el.remove_attribute("lengthAdjust");
    }
}

/// The diagram of `frame` for configuration `cfg`, with its legend.
#[component]
pub fn Diagram(cfg: Memo<CfgRef>, frame: Memo<Frame>) -> impl IntoView {
    let narrow = narrow_signal();
    let geometry = Memo::new(move |_| {
        let CfgRef(cfg) = cfg.get();
        layout(&cfg, narrow.get())
    });
    Effect::new(move |_| tell_shape(&geometry.get()));
    let host = NodeRef::<leptos::svg::G>::new();
    // Each frame: the whole markup when its shape changed (another configuration or layout, or a
    // new <g> after the layout changed), otherwise only the parts that differ from the last frame.
    Effect::new(move |prev: Option<Option<Built>>| {
        let l = geometry.get();
        let CfgRef(cfg) = cfg.get();
        let host: web_sys::Element = host.get()?.into();
        let next = frame.with(|f| scene(&cfg, &l, f));
        // A line read whole belongs to the step it was read at.
        if let Some(p) = picked() {
            p.set_text_content(None);
        }
        match prev.flatten() {
            Some(mut b) if b.fits(&host, &next) => {
                b.patch(next.parts);
                Some(b)
            }
            _ => Built::new(host, next),
        }
    });
    let svg = move || {
        let l = geometry.get();
        let title = cfg.with_untracked(|c| format!("Diagram of {}", c.0.title));
        view! {
            <svg
                class="diagram-svg"
                viewBox=format!("0 0 {} {}", px(l.w), px(l.h))
                style:max-width=format!("{}px", px(l.w * 1.45))
                role="img"
                aria-labelledby="dg-title dg-desc"
                preserveAspectRatio="xMidYMin meet"
            >
                <title id="dg-title">{title}</title>
                <desc id="dg-desc">{move || describe(cfg, frame)}</desc>
                {arrowheads()}
                <g class="scene" node_ref=host></g>
                <Token cfg=cfg frame=frame geometry=geometry />
            </svg>
        }
    };
    let click = window_event_listener(leptos::ev::click, |ev| pick(&ev));
    on_cleanup(move || click.remove());
    view! {
        <figure class="diagram">
            {svg}
            {legend()}
        </figure>
    }
}

/// The page learns the drawing's shape, so the presenter view gives it only the width its height
/// lets it fill and the right column the rest (a tall diagram leaves no empty third).
fn tell_shape(l: &Layout) {
    // Through the CSSOM: the page's CSP refuses a `style` attribute.
    if let Some(root) = document().body() {
        let style = root.style();
        let _ = style.set_property("--fig-w", &px(l.w).to_string());
        let _ = style.set_property("--fig-h", &px(l.h).to_string());
    }
}

/// The line under the diagram that shows a part read whole, if it is on the page.
fn picked() -> Option<web_sys::Element> {
    document().query_selector(".picked").ok().flatten()
}

/// A tap or click on a part of the diagram writes its tooltip under it, whole: squeezed lines
/// need a way to be read, and touch screens show no tooltips.
fn pick(ev: &leptos::ev::MouseEvent) {
    let title = super::clicked(ev, ".diagram g:has(> title)")
        .and_then(|g| g.query_selector(":scope > title").ok().flatten());
    if let (Some(p), Some(t)) = (picked(), title) {
        p.set_text_content(t.text_content().as_deref());
    }
}

/// Whether the window is narrow (the diagram stacks its columns), kept up to date on resize.
fn narrow_signal() -> RwSignal<bool> {
    let narrow = RwSignal::new(is_narrow());
    let resize = window_event_listener(leptos::ev::resize, move |_| {
        let n = is_narrow();
        if n != narrow.get_untracked() {
            narrow.set(n);
        }
    });
    on_cleanup(move || resize.remove());
    narrow
}

fn arrowheads() -> impl IntoView {
    view! {
        <defs>
            <marker
                id="arrow"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="7"
                markerHeight="7"
                orient="auto-start-reverse"
            >
                <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
            </marker>
            <marker
                id="arrow-cycle"
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="6"
                markerHeight="6"
                orient="auto-start-reverse"
            >
                <path d="M0,0 L10,5 L0,10 z" class="arrowhead cycle" />
            </marker>
        </defs>
    }
}

/// The legend, and the line a tapped part's text is written whole into. Static markup: cheaper
/// in the wasm than the same elements built by `view!`.
fn legend() -> impl IntoView {
    const LEGEND: &str = "<p class=\"picked\" aria-live=\"polite\"></p>\
        <span class=\"lg ready\">▶ can move</span>\
        <span class=\"lg sleeping\">◔ busy (time passes)</span>\
        <span class=\"lg blocked\">‖ blocked</span>\
        <span class=\"lg deadlocked\">⟳ deadlocked</span>\
        <span class=\"lg done\">✓ finished</span>\
        <span class=\"lg cycle\">━ wait in the cycle</span>";
    view! { <figcaption class="legend" inner_html=LEGEND></figcaption> }
}

/// A text description of the whole frame for screen readers.
fn describe(cfg: Memo<CfgRef>, frame: Memo<Frame>) -> String {
    let CfgRef(cfg) = cfg.get();
    frame.with(|f| {
        let mut parts: Vec<String> = cfg
            .actors
            .iter()
            .zip(&f.actors)
            .map(|(a, v)| format!("{}: {}.", a.label, v.status))
            .collect();
        parts.extend((0..cfg.resources.len()).map(|r| describe_resource(&cfg, f, r)));
        parts.join(" ")
    })
}

fn describe_resource(cfg: &Config, f: &Frame, r: usize) -> String {
    let res = &cfg.resources[r];
    match res.kind {
        ResKind::Channel { cap } => format!("{} holds {} of {}.", res.label, f.items[r].len(), cap),
        ResKind::Lock => match f.holders[r] {
            Some(h) => format!("{} is held by {}.", res.label, cfg.actors[h].label),
            None => format!("{} is free.", res.label),
        },
        ResKind::Flag { .. } => {
            let value = if f.flags[r] { "true" } else { "false" };
            format!("“{}” is {value}.", res.label)
        }
    }
}

/// Where the token is, and whether it is jumping there (placed without a transition).
#[derive(Clone, Copy)]
struct TokenAt {
    x: f64,
    y: f64,
    jump: bool,
}

/// What the last step moved: from where, to where, and its label.
struct Trip {
    from: (f64, f64),
    to: (f64, f64),
    label: String,
}

/// The message or item (or, for a lock, the key) the event of `f` moved, if any.
fn trip(cfg: &Config, l: &Layout, f: &Frame) -> Option<Trip> {
    let e = f.event.as_ref()?;
    let (a, r) = (e.actor? as usize, e.res? as usize);
    let (ar, rr) = (l.actors.get(a)?, l.resources.get(r)?);
    let (actor, res) = ((ar.cx(), ar.cy()), (rr.cx(), rr.cy()));
    let text = || e.msg.map(|m| cfg.message_short(m)).unwrap_or_default();
    let (from, to, label) = match e.kind {
        EventKind::Sent => (actor, res, text()),
        EventKind::Received => (res, actor, text()),
        EventKind::Locked => (res, actor, "⚿".into()),
        EventKind::Unlocked => (actor, res, "⚿".into()),
        _ => return None,
    };
    Some(Trip { from, to, label })
}

/// The message or item the last step moved, travelling along its edge.
#[component]
fn Token(cfg: Memo<CfgRef>, frame: Memo<Frame>, geometry: Memo<Layout>) -> impl IntoView {
    let pos = RwSignal::new(TokenAt {
        x: 0.0,
        y: 0.0,
        jump: false,
    });
    let label = RwSignal::new(String::new());
    let visible = RwSignal::new(false);
    Effect::new(move |_| {
        let l = geometry.get();
        let CfgRef(cfg) = cfg.get();
        match frame.with(|f| trip(&cfg, &l, f)) {
            Some(t) if !reduced_motion() => {
                label.set(t.label);
                visible.set(true);
                let (x, y) = t.from;
                pos.set(TokenAt { x, y, jump: true });
                let (x, y) = t.to;
                let land = move || pos.set(TokenAt { x, y, jump: false });
                request_animation_frame(move || request_animation_frame(land));
            }
            _ => visible.set(false),
        }
    });
    let transform = move || {
        let p = pos.get();
        format!("translate({}px, {}px)", px(p.x), px(p.y))
    };
    view! {
        <g
            class=move || if pos.get().jump { "token jump" } else { "token" }
            style:transform=transform
            style:display=move || if visible.get() { "inline" } else { "none" }
            aria-hidden="true"
        >
            <circle r="9" />
            <text y="4" text-anchor="middle">{move || label.get()}</text>
        </g>
    }
}
