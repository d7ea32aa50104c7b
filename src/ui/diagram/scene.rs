//! The diagram as markup text plus the parts a frame changes. One walk over configuration, layout
//! and frame writes both: the markup builds the diagram when its shape changes (another
//! configuration or layout; one `innerHTML`, which the browser parses much faster than
//! element-by-element building through wasm), and the parts — the class, text or inner markup of
//! each element marked `data-d`, in document order — are compared with the last frame's and only
//! changed ones are written. Elements stay in place from step to step, so CSS transitions animate
//! them. The walk runs on every step (about 30 KB of text, well under a millisecond): comparing
//! shapes is what lets a switch flip, which brings a new configuration, keep the elements.
//!
//! Everything from a scenario file goes through [`Scene::esc`] (`escape_into`): it is text, never
//! markup.
use super::layout::{Layout, Rect, SLOT};
use crate::session::Frame;
use crate::sim::config::ResKind;
use crate::sim::{first_time, Config, Reason};
use crate::ui::{escape_into, px, short};
use std::fmt::Write;

/// What a changing part of the diagram sets on its element.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
    Class,
    Text,
    /// The element's children, as markup written by this module (the wait arrows).
    Inner,
}

pub struct Scene {
    pub markup: String,
    /// The markup without the parts' values: when it is unchanged, patching the parts is enough.
    pub shape: String,
    /// One per `data-d` element, in document order.
    pub parts: Vec<(Kind, String)>,
}

/// Cuts text to roughly fit `px` pixels at the diagram's font size.
fn fit(text: &str, px: f64) -> String {
    short(text, (px / 7.4) as usize)
}

impl Scene {
    /// Markup that belongs to the shape.
    fn raw(&mut self, t: &str) {
        self.markup.push_str(t);
        self.shape.push_str(t);
    }
    /// Text (or an attribute value), escaped; a part's value (`part`) goes into the markup only.
    fn esc(&mut self, t: &str, part: bool) {
        escape_into(&mut self.markup, t);
        if !part {
            escape_into(&mut self.shape, t);
        }
    }
    /// ` name="v"` with `v` a whole number of pixels.
    fn at(&mut self, name: &str, v: f64) {
        let start = self.markup.len();
        let _ = write!(self.markup, " {name}=\"{}\"", px(v));
        self.shape.push_str(&self.markup[start..]);
    }
    /// ` name="value"` for a value written in this module (none when it is empty).
    fn attr(&mut self, name: &str, value: &str) {
        if !value.is_empty() {
            for t in [" ", name, "=\"", value, "\""] {
                self.raw(t);
            }
        }
    }
    fn rect(&mut self, class: &str, r: Rect, rx: f64) {
        self.raw("<rect");
        self.attr("class", class);
        self.at("x", r.x);
        self.at("y", r.y);
        self.at("width", r.w);
        self.at("height", r.h);
        self.at("rx", rx);
        self.raw("/>");
    }
    /// A `<text>` element at (x, y); `dynamic` makes its text a part.
    fn text(&mut self, class: &str, x: f64, y: f64, anchor: &str, text: String, dynamic: bool) {
        self.raw("<text");
        self.attr("class", class);
        self.at("x", x);
        self.at("y", y);
        self.attr("text-anchor", anchor);
        self.close_text("text", text, dynamic);
    }
    /// Ends an opening tag, writes its escaped text and the closing tag.
    fn close_text(&mut self, tag: &str, text: String, dynamic: bool) {
        self.raw(if dynamic { " data-d>" } else { ">" });
        self.esc(&text, dynamic);
        self.raw("</");
        self.raw(tag);
        self.raw(">");
        if dynamic {
            self.parts.push((Kind::Text, text));
        }
    }
    /// `<title>` with changing text (a tooltip and an accessible name for its group).
    fn title(&mut self, text: String) {
        self.raw("<title");
        self.close_text("title", text, true);
    }
    /// Opens a `<g>` whose class changes with the frame.
    fn group(&mut self, class: String) {
        self.raw("<g data-d class=\"");
        self.esc(&class, true);
        self.raw("\">");
        self.parts.push((Kind::Class, class));
    }
}

/// The diagram for one frame: processes, resources, actors, then the wait arrows on top.
pub fn scene(cfg: &Config, l: &Layout, f: &Frame) -> Scene {
    let mut w = Scene {
        markup: String::with_capacity(16 * 1024),
        shape: String::with_capacity(12 * 1024),
        parts: Vec::new(),
    };
    for (p, proc_) in cfg.processes.iter().enumerate() {
        let r = l.processes[p];
        if r.w <= 0.0 {
            continue;
        }
        w.raw("<g class=\"process ");
        w.esc(&proc_.kind, false);
        w.raw("\">");
        w.rect("", r, 14.0);
        w.text(
            "process-label",
            r.x + 12.0,
            r.y + 22.0,
            "",
            proc_.label.clone(),
            false,
        );
        w.raw("</g>");
    }
    for i in 0..cfg.resources.len() {
        resource(&mut w, cfg, l, f, i);
    }
    for a in 0..cfg.actors.len() {
        actor(&mut w, cfg, l.actors[a], f, a);
    }
    w.raw("<g class=\"waits\" aria-hidden=\"true\" data-d>");
    let arrows = arrows(l, f);
    w.markup.push_str(&arrows);
    w.raw("</g>");
    w.parts.push((Kind::Inner, arrows));
    w
}

fn actor(w: &mut Scene, cfg: &Config, r: Rect, f: &Frame, a: usize) {
    let label = &cfg.actors[a].label;
    let v = f.actors.get(a);
    w.group(v.map_or("actor".to_string(), |v| {
        format!(
            "actor {}{}",
            v.look.class(),
            if v.in_cycle { " in-cycle" } else { "" }
        )
    }));
    w.title(
        v.map(|v| format!("{label}: {}. Current operation: {}", v.status, v.op))
            .unwrap_or_default(),
    );
    w.rect("box", r, 10.0);
    w.rect(
        "cycle-ring",
        Rect {
            x: r.x - 4.0,
            y: r.y - 4.0,
            w: r.w + 8.0,
            h: r.h + 8.0,
        },
        13.0,
    );
    let (x, tw) = (r.x + 10.0, r.w - 20.0);
    w.text("name", x, r.y + 22.0, "", fit(label, tw), false);
    w.text(
        "status",
        x,
        r.y + 43.0,
        "",
        v.map(|v| fit(&format!("{} {}", v.look.icon(), v.status), tw))
            .unwrap_or_default(),
        true,
    );
    w.text(
        "op",
        x,
        r.y + 62.0,
        "",
        v.map(|v| fit(&v.op, tw)).unwrap_or_default(),
        true,
    );
    w.raw("</g>");
}

fn resource(w: &mut Scene, cfg: &Config, l: &Layout, f: &Frame, i: usize) {
    let r = l.resources[i];
    let res = &cfg.resources[i];
    match res.kind {
        ResKind::Channel { cap } => {
            let items = f.items.get(i).map_or(&[][..], Vec::as_slice);
            w.group(
                if items.len() == cap as usize {
                    "channel full"
                } else {
                    "channel"
                }
                .to_string(),
            );
            w.text(
                "res-label",
                r.x,
                r.y + 14.0,
                "",
                fit(&res.label, r.w - 50.0),
                false,
            );
            w.text(
                "res-count",
                r.x + r.w,
                r.y + 14.0,
                "end",
                format!("{}/{}", items.len(), cap),
                true,
            );
            let per_row = l.per_row[i].max(1);
            for k in 0..cap as usize {
                let item = items.get(k);
                let (x, y) = (
                    r.x + (k % per_row) as f64 * (SLOT + 4.0),
                    r.y + 22.0 + (k / per_row) as f64 * (SLOT + 4.0),
                );
                w.group(if item.is_some() { "slot full" } else { "slot" }.to_string());
                w.rect(
                    "",
                    Rect {
                        x,
                        y,
                        w: SLOT,
                        h: SLOT,
                    },
                    4.0,
                );
                w.text(
                    "",
                    x + SLOT / 2.0,
                    y + SLOT / 2.0 + 4.5,
                    "middle",
                    item.map(|m| m.short.clone()).unwrap_or_default(),
                    true,
                );
                w.title(item.map_or_else(|| "empty slot".to_string(), |m| m.full.clone()));
                w.raw("</g>");
            }
            w.raw("</g>");
        }
        ResKind::Lock => {
            let holder = f.holders.get(i).copied().flatten();
            w.group(
                if holder.is_some() {
                    "lock held"
                } else {
                    "lock"
                }
                .to_string(),
            );
            w.rect("box", r, 6.0);
            let (x, tw) = (r.x + 8.0, r.w - 16.0);
            w.text("res-label", x, r.y + 16.0, "", fit(&res.label, tw), false);
            let held = holder.map_or_else(
                || "free".to_string(),
                |h| format!("held by {}", cfg.actors[h].label),
            );
            w.text("holder", x, r.y + 32.0, "", fit(&held, tw), true);
            let names: Vec<&str> = f
                .waiters
                .get(i)
                .map(|v| v.iter().map(|&a| cfg.actors[a].label.as_str()).collect())
                .unwrap_or_default();
            let queue = if names.is_empty() {
                "no one waiting".to_string()
            } else {
                format!("waiting: {}", names.join(", "))
            };
            w.text("queue", x, r.y + 46.0, "", fit(&queue, tw), true);
            w.raw("</g>");
        }
        ResKind::Flag { .. } => {
            let on = f.flags.get(i).copied().unwrap_or(false);
            w.group(if on { "flag on" } else { "flag" }.to_string());
            w.rect("box", Rect { h: r.h - 4.0, ..r }, (r.h - 4.0) / 2.0);
            let text = if on {
                format!("✓ {}", res.label)
            } else {
                format!("✗ {}: not yet", res.label)
            };
            w.text("", r.x + 12.0, r.y + 18.0, "", fit(&text, r.w - 24.0), true);
            w.raw("</g>");
        }
    }
}

/// How an arrow between two boxes runs. In one column: a curve bulging out to the right. In
/// neighbouring columns: out of the side, along the gap between the process boxes, and into the
/// other side, so arrows run in the gutters instead of across actors and labels. Columns further
/// apart, or boxes level with each other: a straight line.
#[derive(Clone, Copy)]
enum Route {
    Curve {
        x: i32,
        y1: i32,
        y2: i32,
        c: i32,
    },
    Line {
        x1: i32,
        y1: i32,
        x2: i32,
        y2: i32,
    },
    /// `left`..`right` is the gutter; `arrows` gives each route in a gutter its own lane.
    Gutter {
        x1: i32,
        y1: i32,
        x2: i32,
        y2: i32,
        left: i32,
        right: i32,
    },
}

fn route(from: Rect, to: Rect, processes: &[Rect]) -> Route {
    if (from.cx() - to.cx()).abs() < 1.0 {
        let (x, y1, y2) = (from.x + from.w, from.cy(), to.cy());
        let bulge = 26.0 + ((y2 - y1).abs() / 12.0).min(40.0);
        return Route::Curve {
            x: px(x),
            y1: px(y1),
            y2: px(y2),
            c: px(x + bulge),
        };
    }
    let (x1, x2) = if from.cx() < to.cx() {
        (from.x + from.w, to.x)
    } else {
        (from.x, to.x + to.w)
    };
    let (y1, y2) = (px(from.cy()), px(to.cy()));
    let (lo, hi) = (x1.min(x2), x1.max(x2));
    // The gutter: the gap between the process boxes that lies between the two sides.
    let left = processes
        .iter()
        .map(|p| p.x + p.w)
        .filter(|&e| e > lo && e < hi)
        .fold(lo, f64::max);
    let right = processes
        .iter()
        .map(|p| p.x)
        .filter(|&e| e > left && e < hi)
        .fold(hi, f64::min);
    let between = processes.iter().any(|p| p.x > lo && p.x + p.w < hi);
    if between || (y1 - y2).abs() < 2 {
        return Route::Line {
            x1: px(x1),
            y1,
            x2: px(x2),
            y2,
        };
    }
    Route::Gutter {
        x1: px(x1),
        y1,
        x2: px(x2),
        y2,
        left: px(left),
        right: px(right),
    }
}

fn gutter(r: &Route) -> Option<(i32, i32)> {
    match *r {
        Route::Gutter { left, right, .. } => Some((left, right)),
        _ => None,
    }
}

/// The wait arrows of one frame, as `<path>` markup (no text from the scenario in it).
fn arrows(l: &Layout, f: &Frame) -> String {
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
                out.push((
                    route(l.actors[a], l.resources[res], &l.processes),
                    cyc,
                    e.reason,
                ));
            }
        }
        let to = e.to as usize;
        if cyc && first_time(&mut drawn, (to, res, true)) {
            out.push((
                route(l.resources[res], l.actors[to], &l.processes),
                true,
                e.reason,
            ));
        }
    }
    // Arrows that share a gutter get evenly spaced lanes across it, in the order they were
    // found, so parallel waits stay apart instead of drawing over each other.
    let gutters: Vec<Option<(i32, i32)>> = out.iter().map(|(r, ..)| gutter(r)).collect();
    let mut s = String::new();
    for (i, (r, cyc, reason)) in out.into_iter().enumerate() {
        let class = match (cyc, reason) {
            (true, _) => "wait cycle",
            (false, Reason::LockHeld) => "wait lock",
            _ => "wait",
        };
        let _ = write!(s, "<path class=\"{class}\" d=\"");
        let _ = match r {
            Route::Curve { x, y1, y2, c } => write!(s, "M{x},{y1} C{c},{y1} {c},{y2} {x},{y2}"),
            Route::Line { x1, y1, x2, y2 } => write!(s, "M{x1},{y1} L{x2},{y2}"),
            Route::Gutter {
                x1,
                y1,
                x2,
                y2,
                left,
                right,
            } => {
                let k = gutters[..i].iter().filter(|&&g| g == gutters[i]).count() as i32;
                let n = gutters.iter().filter(|&&g| g == gutters[i]).count() as i32;
                let lane = left + (right - left) * (k + 1) / (n + 1);
                write!(s, "M{x1},{y1} H{lane} V{y2} H{x2}")
            }
        };
        let _ = write!(
            s,
            "\" marker-end=\"url(#{})\"/>",
            if cyc { "arrow-cycle" } else { "arrow" }
        );
    }
    s
}
