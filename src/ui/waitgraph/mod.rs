//! The wait-for graph of the current step, drawn from the core's graph: actors (circles) and
//! the resources they wait on (boxes). An arrow means "cannot move until". The cycle is drawn
//! thick and solid, its actors get a double ring and the word "cycle", and a text list says the
//! same for screen readers. The drawing is markup written here (see [`drawing`]).
use super::diagram::layout::Rect;
use super::walk::Walk;
use super::{escape_into, lit, px, short, CfgRef};
use crate::session::Frame;
use crate::sim::{first_time, Config, Reason, WaitGraph};
use leptos::prelude::*;
use std::fmt::Write;

const W: f64 = 460.0;
const H: f64 = 320.0;

fn release_word(r: Reason) -> &'static str {
    match r {
        Reason::LockHeld => "held by",
        Reason::ChannelFull => "drained by",
        Reason::ChannelEmpty => "filled by",
        Reason::FlagUnset => "set by",
    }
}

/// A point in the drawing.
#[derive(Clone, Copy)]
struct Pt {
    x: f64,
    y: f64,
}

/// A node of the drawing: an actor (keyed by its index) or a resource box (by the resource's).
#[derive(Clone, Copy)]
struct Node {
    id: usize,
    at: Pt,
    /// Whether it is part of the cycle.
    cycle: bool,
}

/// The node with key `id` (every key looked up was stored).
fn find(nodes: &[Node], id: usize) -> Pt {
    nodes
        .iter()
        .find(|n| n.id == id)
        .map(|n| n.at)
        .expect("a node for every end of an edge")
}

/// A point `d` along the segment from `a` to `b`, stopping short of a node's edge.
fn towards(a: Pt, b: Pt, d: f64) -> Pt {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    Pt {
        x: a.x + dx / len * d,
        y: a.y + dy / len * d,
    }
}

/// Cosine and sine by their Taylor series (error below 1e-6 on [-pi, pi], plenty for placing
/// nodes): `f64::sin`/`cos` would bring libm's argument reduction for one circle of nodes.
fn cos_sin(t: f64) -> (f64, f64) {
    use std::f64::consts::{PI, TAU};
    let mut x = t;
    while x > PI {
        x -= TAU;
    }
    while x < -PI {
        x += TAU;
    }
    let (mut c, mut s, mut term_c, mut term_s) = (0.0, 0.0, 1.0, x);
    for k in 1..=9 {
        c += term_c;
        s += term_s;
        let k = k as f64;
        term_c *= -x * x / ((2.0 * k - 1.0) * (2.0 * k));
        term_s *= -x * x / ((2.0 * k) * (2.0 * k + 1.0));
    }
    (c, s)
}

/// The drawing for one frame as markup: a sentence when nobody waits, else an SVG. It is rebuilt
/// whole on every step (nothing in it animates), so one `innerHTML` is all the browser is asked.
fn drawing(cfg: &Config, f: &Frame) -> String {
    let g = &f.graph;
    if g.edges.is_empty() {
        return "<p class=\"empty\">Nobody is waiting on anybody right now.</p>".to_string();
    }
    let actors = place_actors(g);
    let res = place_resources(cfg, g, &actors);
    let mut s = String::with_capacity(4096);
    svg_head(&mut s, f.step, g.has_cycle(), bounds(cfg, &actors, &res));
    edges(&mut s, g, &actors, &res);
    for r in &res {
        resource_node(&mut s, cfg, f, r);
    }
    for a in &actors {
        actor_node(&mut s, cfg, f, a);
    }
    s.push_str("</svg>");
    s
}

/// The actors that take part, in index order on a circle.
fn place_actors(g: &WaitGraph) -> Vec<Node> {
    // Kept sorted as they are added (no sort call: each sort instantiation adds to the wasm).
    let mut ids: Vec<usize> = Vec::new();
    for a in g
        .edges
        .iter()
        .flat_map(|e| [e.from as usize, e.to as usize])
    {
        if let Err(i) = ids.binary_search(&a) {
            ids.insert(i, a);
        }
    }
    let n = ids.len() as f64;
    // Small keyed lists rather than BTreeMaps: every map type adds to the wasm.
    ids.iter()
        .enumerate()
        .map(|(i, &a)| {
            let t = std::f64::consts::PI * (1.0 + 2.0 * i as f64 / n);
            let (cos, sin) = cos_sin(t);
            let at = Pt {
                x: W / 2.0 + 150.0 * cos,
                y: H / 2.0 + 105.0 * sin,
            };
            Node {
                id: a,
                at,
                cycle: g.in_cycle(a),
            }
        })
        .collect()
}

/// Where an edge from `a` to `b` puts its resource's box: beside the line between the two actors,
/// on the side `forward` (lower index to higher) says.
fn beside(a: Pt, b: Pt, forward: bool) -> Pt {
    // The side is measured in one fixed direction, so the two waits of a 2-cycle land on
    // opposite sides instead of on top of each other.
    let side = if forward { 1.0 } else { -1.0 };
    let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let (lo, hi) = if forward { (a, b) } else { (b, a) };
    let (dx, dy) = (hi.x - lo.x, hi.y - lo.y);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    // The perpendicular, pushed further when it points sideways: labels are wide boxes.
    let (px, py) = (-dy / len, dx / len);
    let d = 30.0 + 62.0 * px.abs();
    Pt {
        x: mx + px * d * side,
        y: my + py * d * side,
    }
}

/// One box per resource, at the mean of the places its edges put it, then moved off the others.
fn place_resources(cfg: &Config, g: &WaitGraph, actors: &[Node]) -> Vec<Node> {
    // Sums of the places, kept sorted by resource; `Node::at` holds the sum until the mean.
    let mut res: Vec<(Node, usize)> = Vec::new();
    for e in &g.edges {
        let (a, b) = (find(actors, e.from as usize), find(actors, e.to as usize));
        let p = beside(a, b, e.from < e.to);
        let r = e.res as usize;
        let k = match res.binary_search_by_key(&r, |(n, _)| n.id) {
            Ok(k) => k,
            Err(k) => {
                let zero = Pt { x: 0.0, y: 0.0 };
                res.insert(
                    k,
                    (
                        Node {
                            id: r,
                            at: zero,
                            cycle: false,
                        },
                        0,
                    ),
                );
                k
            }
        };
        let (node, count) = &mut res[k];
        node.at.x += p.x;
        node.at.y += p.y;
        *count += 1;
        node.cycle |= g.edge_in_cycle(e);
    }
    let mut placed: Vec<Node> = res
        .into_iter()
        .map(|(n, k)| Node {
            at: Pt {
                x: n.at.x / k as f64,
                y: n.at.y / k as f64,
            },
            ..n
        })
        .collect();
    spread(&mut placed, |r| box_width(&box_label(cfg, r)));
    placed
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

/// Keeps boxes inside the drawing and off each other: pushes an overlapping box down (or up, near
/// the bottom) until it clears, a few rounds at most.
fn spread(placed: &mut [Node], width: impl Fn(usize) -> f64) {
    for _ in 0..8 {
        let mut moved = false;
        for i in 0..placed.len() {
            let w = width(placed[i].id);
            // max/min rather than clamp: f64::clamp's assertion message would bring float
            // formatting.
            placed[i].at.x = placed[i].at.x.max(w / 2.0 + 4.0).min(W - w / 2.0 - 4.0);
            for j in 0..i {
                let (a, b) = (placed[i].at, placed[j].at);
                let (dx, dy) = (a.x - b.x, a.y - b.y);
                if dx.abs() < (w + width(placed[j].id)) / 2.0 + 6.0 && dy.abs() < 30.0 {
                    let down = if b.y < H - 60.0 { 1.0 } else { -1.0 };
                    placed[i].at.y = b.y + down * 30.0;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

/// What the nodes and their labels cover, as the drawing's viewBox: a graph of two nodes is
/// drawn as large as one of ten instead of small in the middle of a fixed frame.
fn bounds(cfg: &Config, actors: &[Node], res: &[Node]) -> Rect {
    let (mut lo, mut hi) = (Pt { x: W, y: H }, Pt { x: 0.0, y: 0.0 });
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
    for a in actors {
        let chars = cfg.actors[a.id].label.chars().count().min(NAME_CHARS);
        cover(a.at, (chars as f64 * 3.3).max(26.0), 42.0, 46.0);
    }
    for r in res {
        cover(r.at, box_width(&box_label(cfg, r.id)) / 2.0, 13.0, 13.0);
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
fn edges(s: &mut String, g: &WaitGraph, actors: &[Node], res: &[Node]) {
    let mut seen = Vec::new();
    for e in &g.edges {
        let cyc = g.edge_in_cycle(e);
        let (a, b) = (find(actors, e.from as usize), find(actors, e.to as usize));
        let r = find(res, e.res as usize);
        let w = Walk::new(e);
        if first_time(&mut seen, (e.from, e.res, 0u8)) || cyc {
            line(s, cyc, &w.wait, towards(a, r, 24.0), towards(r, a, 30.0));
        }
        if first_time(&mut seen, (e.to, e.res, 1u8)) || cyc {
            line(s, cyc, &w.release, towards(r, b, 30.0), towards(b, r, 26.0));
        }
    }
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
        y + 40
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
                <ul>{list}</ul>
            </details>
        </section>
    }
}

/// Every wait in words, for screen readers (and anyone who prefers a list).
fn wait_list(cfg: &Config, f: &Frame) -> impl IntoView {
    f.graph
        .edges
        .iter()
        .map(|e| {
            let cyc = f.graph.edge_in_cycle(e);
            let text = format!(
                "{} → {} ({} {}): {}",
                cfg.actors[e.from as usize].label,
                cfg.actors[e.to as usize].label,
                cfg.resources[e.res as usize].label,
                release_word(e.reason),
                cfg.wait_reason(e)
            );
            view! { <li class:cycle=cyc>{text}{cyc.then_some(" — part of the cycle")}</li> }
        })
        .collect_view()
}
