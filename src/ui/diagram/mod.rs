//! The actor diagram: processes as containers, actors with their state and current operation,
//! channels as rows of slots, locks with holder and waiters, flags, and arrows for every wait
//! (the cycle drawn thick, with arrowheads and a label). The structure is built once per
//! configuration; each step only changes classes and text, so CSS transitions animate it.
pub mod layout;

use super::{px, CfgRef, Ui};
use crate::sim::config::ResKind;
use crate::sim::{first_time, EventKind, Reason};
use layout::{layout, Layout, Rect, SLOT};
use leptos::prelude::*;

fn is_narrow() -> bool {
    window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w < 760.0)
}

fn reduced_motion() -> bool {
    window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches())
}

/// Cuts text to roughly fit `px` pixels at the diagram's font size.
fn fit(text: &str, px: f64) -> String {
    let max = (px / 7.4) as usize;
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
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

    let skeleton = move || {
        let l = geometry.get();
        let CfgRef(cfg) = ui.cfg.get_untracked();
        let processes = cfg
            .processes
            .iter()
            .enumerate()
            .filter(|(p, _)| l.processes[*p].w > 0.0)
            .map(|(p, proc_)| {
                let r = l.processes[p];
                view! {
                    <g class=format!("process {}", proc_.kind)>
                        <rect x=px(r.x) y=px(r.y) width=px(r.w) height=px(r.h) rx="14" />
                        <text class="process-label" x=px(r.x + 12.0) y=px(r.y + 22.0)>{proc_.label.clone()}</text>
                    </g>
                }
            })
            .collect_view();
        let resources = (0..cfg.resources.len()).map(|i| resource(ui, &l, i)).collect_view();
        let actors = (0..cfg.actors.len()).map(|a| actor(ui, &l, a)).collect_view();
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
                {processes}
                {resources}
                {actors}
                <g class="waits" aria-hidden="true">{move || arrows(ui, &geometry.get())}</g>
                <Clock ui=ui width=l.w />
                <Token ui=ui geometry=geometry />
            </svg>
        }
    };
    view! {
        <figure class="diagram">
            {skeleton}
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
        let mut parts: Vec<String> = cfg.actors.iter().zip(&f.actors).map(|(a, v)| format!("{}: {}.", a.label, v.status)).collect();
        for (r, res) in cfg.resources.iter().enumerate() {
            match res.kind {
                ResKind::Channel { cap } => parts.push(format!("{} holds {} of {}.", res.label, f.items[r].len(), cap)),
                ResKind::Lock => parts.push(match f.holders[r] {
                    Some(h) => format!("{} is held by {}.", res.label, cfg.actors[h].label),
                    None => format!("{} is free.", res.label),
                }),
                ResKind::Flag { .. } => parts.push(format!("“{}” is {}.", res.label, if f.flags[r] { "true" } else { "false" })),
            }
        }
        parts.join(" ")
    })
}

fn actor(ui: Ui, l: &Layout, a: usize) -> impl IntoView {
    let r = l.actors[a];
    let CfgRef(cfg) = ui.cfg.get_untracked();
    let label = cfg.actors[a].label.clone();
    let view_of = move || ui.frame.with(|f| f.actors.get(a).cloned());
    let class = move || {
        view_of().map_or("actor".to_string(), |v| format!("actor {}{}", v.look.class(), if v.in_cycle { " in-cycle" } else { "" }))
    };
    let status = move || view_of().map(|v| fit(&format!("{} {}", v.look.icon(), v.status), r.w - 20.0)).unwrap_or_default();
    let op = move || view_of().map(|v| fit(&v.op, r.w - 20.0)).unwrap_or_default();
    let full = move || view_of().map(|v| format!("{label}: {}. Current operation: {}", v.status, v.op)).unwrap_or_default();
    let name = cfg.actors[a].label.clone();
    view! {
        <g class=class>
            <title>{full}</title>
            <rect class="box" x=px(r.x) y=px(r.y) width=px(r.w) height=px(r.h) rx="10" />
            <rect class="cycle-ring" x=px(r.x - 4.0) y=px(r.y - 4.0) width=px(r.w + 8.0) height=px(r.h + 8.0) rx="13" />
            <text class="name" x=px(r.x + 10.0) y=px(r.y + 22.0)>{fit(&name, r.w - 20.0)}</text>
            <text class="status" x=px(r.x + 10.0) y=px(r.y + 43.0)>{status}</text>
            <text class="op" x=px(r.x + 10.0) y=px(r.y + 62.0)>{op}</text>
        </g>
    }
}

fn resource(ui: Ui, l: &Layout, i: usize) -> impl IntoView {
    let r = l.resources[i];
    let CfgRef(cfg) = ui.cfg.get_untracked();
    let res = cfg.resources[i].clone();
    let label = res.label.clone();
    match res.kind {
        ResKind::Channel { cap } => {
            let per_row = l.per_row[i].max(1);
            let slots = (0..cap as usize)
                .map(|k| {
                    let (x, y) = (r.x + (k % per_row) as f64 * (SLOT + 4.0), r.y + 22.0 + (k / per_row) as f64 * (SLOT + 4.0));
                    let item = move || ui.frame.with(|f| f.items.get(i).and_then(|v| v.get(k)).cloned());
                    let class = move || if item().is_some() { "slot full" } else { "slot" };
                    view! {
                        <g class=class>
                            <rect x=px(x) y=px(y) width=px(SLOT) height=px(SLOT) rx="4" />
                            <text x=px(x + SLOT / 2.0) y=px(y + SLOT / 2.0 + 4.5) text-anchor="middle">{move || item().map(|(s, _)| s).unwrap_or_default()}</text>
                            <title>{move || item().map(|(_, full)| full).unwrap_or_else(|| "empty slot".into())}</title>
                        </g>
                    }
                })
                .collect_view();
            let count = move || ui.frame.with(|f| f.items.get(i).map_or(0, Vec::len));
            let class = move || if count() == cap as usize { "channel full" } else { "channel" };
            view! {
                <g class=class>
                    <text class="res-label" x=px(r.x) y=px(r.y + 14.0)>{fit(&label, r.w - 50.0)}</text>
                    <text class="res-count" x=px(r.x + r.w) y=px(r.y + 14.0) text-anchor="end">{move || format!("{}/{}", count(), cap)}</text>
                    {slots}
                </g>
            }
            .into_any()
        }
        ResKind::Lock => {
            let holder = move || {
                let CfgRef(cfg) = ui.cfg.get();
                ui.frame.with(|f| match f.holders.get(i).copied().flatten() {
                    Some(h) => format!("held by {}", cfg.actors[h].label),
                    None => "free".to_string(),
                })
            };
            let waiting = move || {
                let CfgRef(cfg) = ui.cfg.get();
                ui.frame.with(|f| {
                    let w: Vec<&str> = f.waiters.get(i).map(|v| v.iter().map(|&a| cfg.actors[a].label.as_str()).collect()).unwrap_or_default();
                    if w.is_empty() {
                        "no one waiting".to_string()
                    } else {
                        format!("waiting: {}", w.join(", "))
                    }
                })
            };
            let class = move || if ui.frame.with(|f| f.holders.get(i).copied().flatten().is_some()) { "lock held" } else { "lock" };
            view! {
                <g class=class>
                    <rect class="box" x=px(r.x) y=px(r.y) width=px(r.w) height=px(r.h) rx="6" />
                    <text class="res-label" x=px(r.x + 8.0) y=px(r.y + 16.0)>{fit(&label, r.w - 16.0)}</text>
                    <text class="holder" x=px(r.x + 8.0) y=px(r.y + 32.0)>{move || fit(&holder(), r.w - 16.0)}</text>
                    <text class="queue" x=px(r.x + 8.0) y=px(r.y + 46.0)>{move || fit(&waiting(), r.w - 16.0)}</text>
                </g>
            }
            .into_any()
        }
        ResKind::Flag { .. } => {
            let on = move || ui.frame.with(|f| f.flags.get(i).copied().unwrap_or(false));
            view! {
                <g class=move || if on() { "flag on" } else { "flag" }>
                    <rect class="box" x=px(r.x) y=px(r.y) width=px(r.w) height=px(r.h - 4.0) rx=px((r.h - 4.0) / 2.0) />
                    <text x=px(r.x + 12.0) y=px(r.y + 18.0)>{move || fit(&format!("{} {}", if on() { "✓" } else { "✗" }, if on() { label.clone() } else { format!("{label}: not yet") }), r.w - 24.0)}</text>
                </g>
            }
            .into_any()
        }
    }
}

/// How an arrow between two boxes runs. In one column: a curve bulging out to the right. In
/// neighbouring columns: out of the side, along the gap between the process boxes, and into the
/// other side, so arrows run in the gutters instead of across actors and labels. Columns further
/// apart, or boxes level with each other: a straight line.
#[derive(Clone, Copy)]
enum Route {
    Curve { x: i32, y1: i32, y2: i32, c: i32 },
    Line { x1: i32, y1: i32, x2: i32, y2: i32 },
    /// `left`..`right` is the gutter; `arrows` gives each route in a gutter its own lane.
    Gutter { x1: i32, y1: i32, x2: i32, y2: i32, left: i32, right: i32 },
}

fn route(from: Rect, to: Rect, processes: &[Rect]) -> Route {
    if (from.cx() - to.cx()).abs() < 1.0 {
        let (x, y1, y2) = (from.x + from.w, from.cy(), to.cy());
        let bulge = 26.0 + ((y2 - y1).abs() / 12.0).min(40.0);
        return Route::Curve { x: px(x), y1: px(y1), y2: px(y2), c: px(x + bulge) };
    }
    let (x1, x2) = if from.cx() < to.cx() { (from.x + from.w, to.x) } else { (from.x, to.x + to.w) };
    let (y1, y2) = (px(from.cy()), px(to.cy()));
    let (lo, hi) = (x1.min(x2), x1.max(x2));
    // The gutter: the gap between the process boxes that lies between the two sides.
    let left = processes.iter().map(|p| p.x + p.w).filter(|&e| e > lo && e < hi).fold(lo, f64::max);
    let right = processes.iter().map(|p| p.x).filter(|&e| e > left && e < hi).fold(hi, f64::min);
    let between = processes.iter().any(|p| p.x > lo && p.x + p.w < hi);
    if between || (y1 - y2).abs() < 2 {
        return Route::Line { x1: px(x1), y1, x2: px(x2), y2 };
    }
    Route::Gutter { x1: px(x1), y1, x2: px(x2), y2, left: px(left), right: px(right) }
}

/// SVG path data for a route; a gutter route runs down its lane at `x = lane`.
fn path(r: Route, lane: i32) -> String {
    match r {
        Route::Curve { x, y1, y2, c } => format!("M{x},{y1} C{c},{y1} {c},{y2} {x},{y2}"),
        Route::Line { x1, y1, x2, y2 } => format!("M{x1},{y1} L{x2},{y2}"),
        Route::Gutter { x1, y1, x2, y2, .. } => format!("M{x1},{y1} H{lane} V{y2} H{x2}"),
    }
}

fn gutter(r: &Route) -> Option<(i32, i32)> {
    match *r {
        Route::Gutter { left, right, .. } => Some((left, right)),
        _ => None,
    }
}

fn arrows(ui: Ui, l: &Layout) -> impl IntoView {
    ui.frame.with(|f| {
        // One arrow per (from, resource, direction); `drawn[i]` is the key of `out[i]`, so a
        // repeated edge only marks the arrow as part of the cycle instead of routing it again.
        let mut out: Vec<(Route, bool, Reason)> = Vec::new();
        let mut drawn: Vec<(usize, usize, bool)> = Vec::new();
        for e in &f.graph.edges {
            let cyc = f.graph.edge_in_cycle(e);
            let (a, res) = (e.from as usize, e.res as usize);
            match drawn.iter().position(|&k| k == (a, res, false)) {
                Some(i) => out[i].1 |= cyc,
                None => {
                    drawn.push((a, res, false));
                    out.push((route(l.actors[a], l.resources[res], &l.processes), cyc, e.reason));
                }
            }
            let to = e.to as usize;
            if cyc && first_time(&mut drawn, (to, res, true)) {
                out.push((route(l.resources[res], l.actors[to], &l.processes), true, e.reason));
            }
        }
        // Arrows that share a gutter get evenly spaced lanes across it, in the order they were
        // found, so parallel waits stay apart instead of drawing over each other.
        let gutters: Vec<Option<(i32, i32)>> = out.iter().map(|(r, ..)| gutter(r)).collect();
        out.into_iter()
            .enumerate()
            .map(|(i, (r, cyc, reason))| {
                let lane = gutters[i].map_or(0, |(left, right)| {
                    let k = gutters[..i].iter().filter(|&&g| g == gutters[i]).count() as i32;
                    let n = gutters.iter().filter(|&&g| g == gutters[i]).count() as i32;
                    left + (right - left) * (k + 1) / (n + 1)
                });
                let d = path(r, lane);
                let class = match (cyc, reason) {
                    (true, _) => "wait cycle",
                    (false, Reason::LockHeld) => "wait lock",
                    _ => "wait",
                };
                view! { <path class=class d=d marker-end=if cyc { "url(#arrow-cycle)" } else { "url(#arrow)" } /> }
            })
            .collect_view()
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
                request_animation_frame(move || request_animation_frame(move || pos.set((to.0, to.1, false))));
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
            Some(EventKind::TimePassed { from, to, .. }) => Some(format!("»» time jumps {}", fmt_span(to - from))),
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
