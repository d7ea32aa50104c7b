//! The wait-for graph of the current step, drawn from the core's graph: actors (circles) and
//! the resources they wait on (boxes). An arrow means "cannot move until". The cycle is drawn
//! thick and solid, its actors get a double ring and the word "cycle", and a text list says the
//! same for screen readers. The drawing is markup written here (see [`drawing`]).
use super::diagram::layout::Rect;
use super::walk::Walk;
use super::{escape_into, lit, px, short, text_into, CfgRef};
use crate::session::Frame;
use crate::sim::{first_time, Config, Reason, WaitGraph};
use leptos::prelude::*;
use std::fmt::Write;

mod place;

use place::{box_w, half_name, node, Node, Pt, RING};

fn release_word(r: Reason) -> &'static str {
    match r {
        Reason::LockHeld => "held by",
        Reason::ChannelFull => "drained by",
        Reason::ChannelEmpty => "filled by",
        Reason::FlagUnset => "set by",
    }
}

/// The drawing for one frame as markup: a sentence when nobody waits, else an SVG. It is rebuilt
/// whole on every step (nothing in it animates), so one `innerHTML` is all the browser is asked.
fn drawing(cfg: &Config, f: &Frame) -> String {
    let g = &f.graph;
    if g.edges.is_empty() {
        return "<p class=\"empty\">Nobody is waiting on anybody right now.</p>".to_string();
    }
    let placed = place::place(cfg, g);
    let mut s = String::with_capacity(4096);
    svg_head(&mut s, f.step, g.has_cycle(), bounds(cfg, &placed));
    edges(&mut s, cfg, g, &placed);
    for r in &placed.res {
        resource_node(&mut s, cfg, f, r);
    }
    for a in &placed.actors {
        actor_node(&mut s, cfg, f, a);
    }
    s.push_str("</svg>");
    s
}

/// Characters of a resource's label that set its box's width; a longer label is squeezed into it.
const BOX_CHARS: usize = 18;
/// Characters of an actor's label that fit under its circle; a longer label is squeezed.
const NAME_CHARS: usize = 20;

fn box_label(cfg: &Config, r: usize) -> String {
    short(&cfg.resources[r].label, BOX_CHARS)
}

fn box_width(label: &str) -> f64 {
    14.0 + label.chars().count() as f64 * 6.6
}

/// `label` closed by `</text>`, after the open `<text ...` tag: whole when it fits in `n`
/// characters, else squeezed into their width (as the diagram does; never cut, up to twice as
/// long).
fn fitted(s: &mut String, label: &str, n: usize) {
    if label.chars().count() > n {
        let _ = write!(
            s,
            " textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"",
            px(n as f64 * 6.6)
        );
    }
    s.push('>');
    escape_into(s, &short(label, 2 * n));
    s.push_str("</text>");
}

/// What the nodes and their labels cover, as the drawing's viewBox: a graph of two nodes is
/// drawn as large as one of ten instead of small in the middle of a fixed frame.
fn bounds(cfg: &Config, p: &place::Placed) -> Rect {
    let (mut lo, mut hi) = (
        Pt {
            x: f64::MAX,
            y: f64::MAX,
        },
        Pt {
            x: f64::MIN,
            y: f64::MIN,
        },
    );
    let mut cover = |at: Pt, half_w: f64, up: f64, down: f64| {
        lo = Pt {
            x: lo.x.min(at.x - half_w),
            y: lo.y.min(at.y - up),
        };
        hi = Pt {
            x: hi.x.max(at.x + half_w),
            y: hi.y.max(at.y + down),
        };
    };
    for a in &p.actors {
        let (over, under) = place::reach(a);
        cover(a.at, half_name(cfg, a.id), over, under);
    }
    for r in &p.res {
        cover(r.at, box_w(cfg, r.id) / 2.0, 13.0, 13.0);
    }
    // Never narrower than 240: two nodes side by side are not drawn larger than life.
    let grow = (240.0 - (hi.x - lo.x)).max(0.0) / 2.0;
    Rect {
        x: lo.x - grow - 4.0,
        y: lo.y - 4.0,
        w: hi.x - lo.x + 2.0 * grow + 8.0,
        h: hi.y - lo.y + 8.0,
    }
}

/// The `<svg>` opening tag with viewBox `v`, its title and the two arrowheads.
fn svg_head(s: &mut String, step: usize, cycle: bool, v: Rect) {
    let desc = if cycle {
        "The wait-for graph contains a cycle: a deadlock."
    } else {
        "The wait-for graph has no cycle."
    };
    let _ = write!(
        s,
        "<svg class=\"wg\" viewBox=\"{} {} {} {}\" role=\"img\" aria-labelledby=\"wg-title\">\
         <title id=\"wg-title\">Wait-for graph at step {step}. {desc}</title><defs>",
        px(v.x),
        px(v.y),
        px(v.w),
        px(v.h),
    );
    for (id, size, class) in [("wg-arrow", 7, "ah"), ("wg-arrow-cycle", 5, "ah cycle")] {
        let _ = write!(
            s,
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerWidth=\"{size}\" markerHeight=\"{size}\" orient=\"auto\">\
             <path d=\"M0,0 L10,5 L0,10 z\" class=\"{class}\"/></marker>"
        );
    }
    s.push_str("</defs>");
}

/// Two arrows per wait: from the waiting actor to the resource, and from the resource to whoever
/// can release it. Arrows shared by several waits are drawn once, unless they are in the cycle.
fn edges(s: &mut String, cfg: &Config, g: &WaitGraph, p: &place::Placed) {
    let mut seen = Vec::new();
    for e in &g.edges {
        let at = |nodes: &[Node], id: u8| node(nodes, id as usize).map(|n| n.at);
        let (Some(a), Some(b), Some(r)) = (
            at(&p.actors, e.from),
            at(&p.actors, e.to),
            at(&p.res, e.res),
        ) else {
            continue;
        };
        let cyc = g.edge_in_cycle(e);
        let half = box_w(cfg, e.res as usize) / 2.0;
        let w = Walk::new(e);
        if first_time(&mut seen, (e.from, e.res, 0u8)) || cyc {
            line(
                s,
                cyc,
                &w.wait,
                towards(a, r, RING - 1.0),
                box_edge(r, half, a, 3.0),
            );
        }
        if first_time(&mut seen, (e.to, e.res, 1u8)) || cyc {
            line(
                s,
                cyc,
                &w.release,
                box_edge(r, half, b, 1.0),
                towards(b, r, RING + 1.0),
            );
        }
    }
}

/// A point `d` along the segment from `a` to `b`.
fn towards(a: Pt, b: Pt, d: f64) -> Pt {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    Pt {
        x: a.x + dx / len * d,
        y: a.y + dy / len * d,
    }
}

/// Where the segment from box centre `c` (half width `half`, half height 12) towards `p` leaves
/// the box, `gap` further on: an arrow ends on the box's edge whatever its angle.
fn box_edge(c: Pt, half: f64, p: Pt, gap: f64) -> Pt {
    let (dx, dy) = ((p.x - c.x).abs().max(1e-6), (p.y - c.y).abs().max(1e-6));
    let inside = (half / dx).min(12.0 / dy) * (dx * dx + dy * dy).sqrt();
    towards(c, p, inside + gap)
}

fn line(s: &mut String, cyc: bool, w: &str, from: Pt, to: Pt) {
    let (class, marker) = if cyc {
        ("e cycle", "wg-arrow-cycle")
    } else {
        ("e", "wg-arrow")
    };
    let _ = write!(
        s,
        "<line class=\"{class}\" data-w=\"{w}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" \
         marker-end=\"url(#{marker})\"/>",
        px(from.x),
        px(from.y),
        px(to.x),
        px(to.y)
    );
}

fn resource_node(s: &mut String, cfg: &Config, f: &Frame, r: &Node) {
    let label = box_label(cfg, r.id);
    let w = box_width(&label);
    let Pt { x, y } = r.at;
    let _ = write!(
        s,
        "<g class=\"rn{}{}\" data-w=\"r{}\">\
         <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" rx=\"5\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"middle\"",
        if r.cycle { " cycle" } else { "" },
        lit(f.lit.resource(r.id)),
        r.id,
        px(x - w / 2.0),
        px(y - 12.0),
        px(w),
        px(x),
        px(y + 4.5)
    );
    fitted(s, &cfg.resources[r.id].label, BOX_CHARS);
    s.push_str("</g>");
}

fn actor_node(s: &mut String, cfg: &Config, f: &Frame, a: &Node) {
    let look = f.actors[a.id].look;
    let (x, y) = (px(a.at.x), px(a.at.y));
    let _ = write!(
        s,
        "<g class=\"an actor {}{}{}\" data-w=\"a{}\">\
         <circle class=\"cycle-ring\" cx=\"{x}\" cy=\"{y}\" r=\"25\"/>\
         <circle class=\"box\" cx=\"{x}\" cy=\"{y}\" r=\"20\"/>\
         <text class=\"icon\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
         <text class=\"lbl\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\"",
        look.class(),
        if a.cycle { " in-cycle" } else { "" },
        lit(f.lit.actor(a.id)),
        a.id,
        y + 5,
        look.icon(),
        if a.up { y - 32 } else { y + 40 }
    );
    fitted(s, &cfg.actors[a.id].label, NAME_CHARS);
    if a.cycle {
        let _ = write!(
            s,
            "<text class=\"cyc\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">cycle</text>",
            y - 30
        );
    }
    s.push_str("</g>");
}

/// The wait-for graph of `frame`, with every wait also as text.
#[component]
pub fn WaitGraphPanel(cfg: Memo<CfgRef>, frame: Memo<Frame>) -> impl IntoView {
    let drawing = move || {
        let CfgRef(cfg) = cfg.get();
        frame.with(|f| drawing(&cfg, f))
    };
    let list = move || {
        let CfgRef(cfg) = cfg.get();
        frame.with(|f| wait_list(&cfg, f))
    };
    // Its own text node, so a focused summary keeps focus as the run steps.
    let summary = move || {
        let n = frame.with(|f| f.graph.edges.len());
        format!("Every wait as text ({n})")
    };
    view! {
        <section class="panel waitgraph" aria-labelledby="wg-h">
            <h2 id="wg-h">"Wait-for graph"</h2>
            <p class="note">
                "An arrow means “cannot move until”: from a blocked actor to what it waits on, \
                 and on to whoever could release it."
            </p>
            <div class="wg-box" inner_html=drawing></div>
            <details class="edges">
                <summary>{summary}</summary>
                <ul inner_html=list></ul>
            </details>
        </section>
    }
}

/// Every wait in words, for screen readers (and anyone who prefers a list), as list items.
fn wait_list(cfg: &Config, f: &Frame) -> String {
    let mut s = String::new();
    for e in &f.graph.edges {
        let cyc = f.graph.edge_in_cycle(e);
        let text = format!(
            "{} → {} ({} {}): {}",
            cfg.actors[e.from as usize].label,
            cfg.actors[e.to as usize].label,
            cfg.resources[e.res as usize].label,
            release_word(e.reason),
            cfg.wait_reason(e)
        );
        let open = if cyc { "<li class=\"cycle\">" } else { "<li>" };
        let close = if cyc {
            " — part of the cycle</li>"
        } else {
            "</li>"
        };
        text_into(&mut s, open, &text, close);
    }
    s
}
