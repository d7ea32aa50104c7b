//! The wait-for graph of the current step, drawn from the core's graph: actors (circles) and
//! the resources they wait on (boxes). An arrow means "cannot move until". The cycle is drawn
//! thick and solid, its actors get a double ring and the word "cycle", and a text list says the
//! same for screen readers. The drawing is markup written here (see [`drawing`]).
use super::{escape_into, px, short, CfgRef, Ui};
use crate::session::Frame;
use crate::sim::{first_time, Config, Reason};
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

/// The value stored under `k` (every key looked up was stored).
fn get<V: Copy>(list: &[(usize, V)], k: usize) -> V {
    list.iter()
        .find(|(key, _)| *key == k)
        .map(|(_, v)| *v)
        .expect("a node for every end of an edge")
}

/// A point `d` along the segment from `a` to `b`, stopping short of a node's edge.
fn towards(a: (f64, f64), b: (f64, f64), d: f64) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    (a.0 + dx / len * d, a.1 + dy / len * d)
}

/// Cosine and sine by their Taylor series (error below 1e-6 on [-pi, pi], plenty for placing nodes):
/// `f64::sin`/`cos` bring libm's argument reduction, about 8 KB of wasm, for one circle of nodes.
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
    // Actors that take part, on a circle.
    // Kept sorted as they are added (no sort call: each sort instantiation is 1-2 KB of wasm).
    let mut actors: Vec<usize> = Vec::new();
    for a in g
        .edges
        .iter()
        .flat_map(|e| [e.from as usize, e.to as usize])
    {
        if let Err(i) = actors.binary_search(&a) {
            actors.insert(i, a);
        }
    }
    let n = actors.len() as f64;
    // Small keyed lists rather than BTreeMaps: every map type costs the wasm a few KB.
    let pos: Vec<(usize, (f64, f64))> = actors
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let t = std::f64::consts::PI * (1.0 + 2.0 * i as f64 / n);
            let (cos, sin) = cos_sin(t);
            (a, (W / 2.0 + 150.0 * cos, H / 2.0 + 105.0 * sin))
        })
        .collect();
    // One box per resource, between the actors that wait on it and those who can release it.
    let mut res: Vec<(usize, (f64, f64, usize, bool))> = Vec::new();
    for e in &g.edges {
        let (a, b) = (get(&pos, e.from as usize), get(&pos, e.to as usize));
        // Offset sideways from the line between the two actors, measured in one fixed
        // direction (lower index to higher), so the two waits of a 2-cycle land on
        // opposite sides instead of on top of each other.
        let side = if e.from < e.to { 1.0 } else { -1.0 };
        let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (lo, hi) = if e.from < e.to { (a, b) } else { (b, a) };
        let (dx, dy) = (hi.0 - lo.0, hi.1 - lo.1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        // The perpendicular, pushed further when it points sideways: labels are wide boxes.
        let (px, py) = (-dy / len, dx / len);
        let d = 30.0 + 62.0 * px.abs();
        let p = (mx + px * d * side, my + py * d * side);
        let k = match res.binary_search_by_key(&(e.res as usize), |(r, _)| *r) {
            Ok(k) => k,
            Err(k) => {
                res.insert(k, (e.res as usize, (0.0, 0.0, 0, false)));
                k
            }
        };
        let entry = &mut res[k].1;
        entry.0 += p.0;
        entry.1 += p.1;
        entry.2 += 1;
        entry.3 |= g.edge_in_cycle(e);
    }
    let width = |r: usize| 14.0 + short(&cfg.resources[r].label, 18).chars().count() as f64 * 6.6;
    let mut placed: Vec<(usize, f64, f64, bool)> = res
        .into_iter()
        .map(|(r, (x, y, k, c))| (r, x / k as f64, y / k as f64, c))
        .collect();
    // Keep boxes inside the drawing and off each other: push an overlapping box down (or
    // up, near the bottom) until it clears, a few rounds at most.
    for _ in 0..8 {
        let mut moved = false;
        for i in 0..placed.len() {
            let w = width(placed[i].0);
            // max/min rather than clamp: f64::clamp's assertion message would bring float formatting.
            placed[i].1 = placed[i].1.max(w / 2.0 + 4.0).min(W - w / 2.0 - 4.0);
            for j in 0..i {
                let (dx, dy) = (placed[i].1 - placed[j].1, placed[i].2 - placed[j].2);
                if dx.abs() < (w + width(placed[j].0)) / 2.0 + 6.0 && dy.abs() < 30.0 {
                    let down = if placed[j].2 < H - 60.0 { 1.0 } else { -1.0 };
                    placed[i].2 = placed[j].2 + down * 30.0;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    let res: Vec<(usize, (f64, f64, bool))> = placed
        .into_iter()
        .map(|(r, x, y, c)| (r, (x, y, c)))
        .collect();
    let mut s = String::with_capacity(4096);
    let desc = if g.has_cycle() {
        "The wait-for graph contains a cycle: a deadlock."
    } else {
        "The wait-for graph has no cycle."
    };
    let _ = write!(
        s,
        "<svg class=\"wg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"wg-title\"><title id=\"wg-title\">Wait-for graph at step {}. {desc}</title>\
         <defs><marker id=\"wg-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"ah\"/></marker>\
         <marker id=\"wg-arrow-cycle\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" class=\"ah cycle\"/></marker></defs>",
        px(W),
        px(H),
        f.step
    );
    let mut seen = Vec::new();
    for e in &g.edges {
        let cyc = g.edge_in_cycle(e);
        let (a, b) = (get(&pos, e.from as usize), get(&pos, e.to as usize));
        let rp = get(&res, e.res as usize);
        let r = (rp.0, rp.1);
        let mut line = |(x1, y1): (f64, f64), (x2, y2): (f64, f64)| {
            let (class, marker) = if cyc {
                ("e cycle", "wg-arrow-cycle")
            } else {
                ("e", "wg-arrow")
            };
            let _ = write!(s, "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" marker-end=\"url(#{marker})\"/>", px(x1), px(y1), px(x2), px(y2));
        };
        if first_time(&mut seen, (e.from, e.res, 0u8)) || cyc {
            line(towards(a, r, 24.0), towards(r, a, 30.0));
        }
        if first_time(&mut seen, (e.to, e.res, 1u8)) || cyc {
            line(towards(r, b, 30.0), towards(b, r, 26.0));
        }
    }
    for &(r, (x, y, cyc)) in &res {
        let label = short(&cfg.resources[r].label, 18);
        let w = 14.0 + label.chars().count() as f64 * 6.6;
        let _ = write!(
            s,
            "<g class=\"rn{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"24\" rx=\"5\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">",
            if cyc { " cycle" } else { "" },
            px(x - w / 2.0),
            px(y - 12.0),
            px(w),
            px(x),
            px(y + 4.5)
        );
        escape_into(&mut s, &label);
        s.push_str("</text></g>");
    }
    for &(a, (x, y)) in &pos {
        let cyc = g.in_cycle(a);
        let look = f.actors[a].look;
        let (x, y) = (px(x), px(y));
        let _ = write!(
            s,
            "<g class=\"an {}{}\"><circle class=\"outer\" cx=\"{x}\" cy=\"{y}\" r=\"25\"/><circle cx=\"{x}\" cy=\"{y}\" r=\"20\"/>\
             <text class=\"icon\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text><text class=\"lbl\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">",
            look.class(),
            if cyc { " cycle" } else { "" },
            y + 5,
            look.icon(),
            y + 40
        );
        escape_into(&mut s, &short(&cfg.actors[a].label, 20));
        s.push_str("</text>");
        if cyc {
            let _ = write!(
                s,
                "<text class=\"cyc\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">cycle</text>",
                y - 30
            );
        }
        s.push_str("</g>");
    }
    s.push_str("</svg>");
    s
}

#[component]
pub fn WaitGraphPanel(ui: Ui) -> impl IntoView {
    let drawing = move || {
        let CfgRef(cfg) = ui.cfg.get();
        ui.frame.with(|f| drawing(&cfg, f))
    };
    let list = move || {
        let CfgRef(cfg) = ui.cfg.get();
        ui.frame.with(|f| {
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
        })
    };
    view! {
        <section class="panel waitgraph" aria-labelledby="wg-h">
            <h2 id="wg-h">"Wait-for graph"</h2>
            <p class="note">"An arrow means “cannot move until”: from a blocked actor to what it waits on, and on to whoever could release it."</p>
            <div class="wg-box" inner_html=drawing></div>
            <details class="edges">
                <summary>{move || ui.frame.with(|f| format!("Every wait as text ({})", f.graph.edges.len()))}</summary>
                <ul>{list}</ul>
            </details>
        </section>
    }
}
