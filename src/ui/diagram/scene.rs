//! The diagram as markup text plus the parts a frame changes. One walk over configuration, layout
//! and frame writes both: the markup builds the diagram when its shape changes (another
//! configuration or layout; one `innerHTML`, which the browser parses much faster than
//! element-by-element building through wasm), and the parts — the class, text or inner markup of
//! each element marked `data-d="id"`, with an id made from the actor or resource it shows — are
//! compared with the last frame's and only changed ones are written. Elements stay in place from
//! step to step, so CSS transitions animate them. The walk runs on every step: comparing shapes
//! is what lets a switch flip, which brings a new configuration, keep the elements.
//!
//! Everything from a scenario file goes through [`Scene::esc`] (`escape_into`): it is text, never
//! markup.
use super::layout::{Layout, Rect, SLOT};
use crate::session::{ChannelItem, Frame};
use crate::sim::config::ResKind;
use crate::sim::narrate::{fmt_span, fmt_time};
use crate::sim::{first_time, Config, EventKind, Reason};
use crate::ui::walk::Walk;
use crate::ui::{escape_into, lit, px};
use std::fmt::Write;

/// What a changing part of the diagram sets on its element.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Kind {
    Class,
    Text,
    /// The element's children, as markup written by this module (the wait arrows).
    Inner,
}

/// One changing part: the element marked `data-d="{id}"` and what it shows in this frame.
#[derive(Clone, PartialEq, Debug)]
pub struct Part {
    /// Unique in the diagram, e.g. `a3-status` (actor 3's status line) or `r1-s0` (slot 0 of
    /// resource 1): the element is found by it, never by its place among the others.
    pub id: String,
    pub kind: Kind,
    pub value: String,
    /// For a text: the width it must keep within (0: none), so a patch can squeeze it too.
    pub room: f64,
}

pub struct Scene {
    pub markup: String,
    /// The markup without the parts' values (their ids included): when it is unchanged, patching
    /// the parts is enough.
    pub shape: String,
    pub parts: Vec<Part>,
}

/// Where a `<text>` goes and how it is styled (an empty class or anchor is left out), and the
/// width it must keep within (0: no limit).
#[derive(Clone, Copy)]
struct TextAt<'a> {
    class: &'a str,
    x: f64,
    y: f64,
    anchor: &'a str,
    room: f64,
}

impl TextAt<'_> {
    fn within(self, room: f64) -> Self {
        TextAt { room, ..self }
    }
}

/// A start-anchored `<text>` of `class` at (x, y).
fn at(class: &str, x: f64, y: f64) -> TextAt<'_> {
    TextAt {
        class,
        x,
        y,
        anchor: "",
        room: 0.0,
    }
}

/// Whether `text` is too wide for `room` (roughly, at the diagram's font size) and must be
/// squeezed to fit.
pub fn squeezed(room: f64, text: &str) -> bool {
    room > 0.0 && text.chars().count() as f64 * 7.0 > room
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
    fn px_attr(&mut self, name: &str, v: f64) {
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
    fn push(&mut self, id: &str, kind: Kind, value: String) {
        let id = id.to_string();
        let room = 0.0;
        self.parts.push(Part {
            id,
            kind,
            value,
            room,
        });
    }
    fn rect(&mut self, class: &str, r: Rect, rx: f64) {
        self.raw("<rect");
        self.attr("class", class);
        self.px_attr("x", r.x);
        self.px_attr("y", r.y);
        self.px_attr("width", r.w);
        self.px_attr("height", r.h);
        self.px_attr("rx", rx);
        self.raw("/>");
    }
    /// The opening tag of a `<text>` for `text`. Text too long for its room is squeezed to fit
    /// (`textLength`), never cut: every word of a status stays on screen.
    fn open_text(&mut self, at: TextAt) {
        self.raw("<text");
        self.attr("class", at.class);
        self.px_attr("x", at.x);
        self.px_attr("y", at.y);
        self.attr("text-anchor", at.anchor);
    }
    /// ` textLength=".." lengthAdjust=".."` when `text` is too wide for `room`; a part's squeeze
    /// changes with its text, so it stays out of the shape (`part`), and comes last, where a
    /// patch that adds it puts it.
    fn squeeze(&mut self, room: f64, text: &str, part: bool) {
        if squeezed(room, text) {
            let start = self.markup.len();
            let _ = write!(
                self.markup,
                " textLength=\"{}\" lengthAdjust=\"spacingAndGlyphs\"",
                px(room)
            );
            if !part {
                self.shape.push_str(&self.markup[start..]);
            }
        }
    }
    /// A `<text>` whose text belongs to the shape.
    fn text(&mut self, at: TextAt, text: &str) {
        self.open_text(at);
        self.squeeze(at.room, text, false);
        self.raw(">");
        self.esc(text, false);
        self.raw("</text>");
    }
    /// A `<text>` whose text is the part `id`.
    fn text_part(&mut self, id: &str, at: TextAt, text: String) {
        self.open_text(at);
        self.attr("data-d", id);
        self.squeeze(at.room, &text, true);
        self.raw(">");
        self.esc(&text, true);
        self.raw("</text>");
        self.push(id, Kind::Text, text);
        if let Some(p) = self.parts.last_mut() {
            p.room = at.room;
        }
    }
    /// `<title>` with changing text (a tooltip and an accessible name for its group).
    fn title(&mut self, id: &str, text: String) {
        self.raw("<title");
        self.close_text_part("title", id, text);
    }
    /// Ends an opening tag with the mark of part `id`, then writes its text and the closing tag.
    fn close_text_part(&mut self, tag: &str, id: &str, text: String) {
        self.attr("data-d", id);
        self.raw(">");
        self.esc(&text, true);
        for t in ["</", tag, ">"] {
            self.raw(t);
        }
        self.push(id, Kind::Text, text);
    }
    /// A `<g>` of its own `class` (escaped; part of the shape) around what `body` writes.
    fn group(&mut self, class: &str, body: impl FnOnce(&mut Scene)) {
        self.raw("<g class=\"");
        self.esc(class, false);
        self.raw("\">");
        body(self);
        self.raw("</g>");
    }
    /// A `<g>` whose class is the part `id`, around what `body` writes.
    fn group_part(&mut self, id: &str, class: String, body: impl FnOnce(&mut Scene)) {
        self.raw("<g");
        self.attr("data-d", id);
        self.raw(" class=\"");
        self.esc(&class, true);
        self.raw("\">");
        self.push(id, Kind::Class, class);
        body(self);
        self.raw("</g>");
    }
    /// A `<g>` with `attrs` whose children are the part `id`, markup written by this module.
    fn inner_part(&mut self, id: &str, attrs: &str, inner: String) {
        self.raw("<g");
        self.raw(attrs);
        self.attr("data-d", id);
        self.raw(">");
        self.markup.push_str(&inner);
        self.raw("</g>");
        self.push(id, Kind::Inner, inner);
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
        if r.w > 0.0 {
            w.group(&format!("process {}", proc_.kind), |w| {
                w.rect("", r, 14.0);
                w.text(at("process-label", r.x + 12.0, r.y + 22.0), &proc_.label);
            });
        }
    }
    for i in 0..cfg.resources.len() {
        let b = ResBox {
            index: i,
            id: format!("r{i}"),
            r: l.resources[i],
            label: &cfg.resources[i].label,
            lit: f.lit.resource(i),
        };
        match cfg.resources[i].kind {
            ResKind::Channel { cap } => channel(&mut w, &b, cap as usize, l.per_row[i], f),
            ResKind::Lock => lock(&mut w, &b, cfg, f),
            ResKind::Flag { .. } => flag(&mut w, &b, f),
        }
    }
    for a in 0..cfg.actors.len() {
        actor(&mut w, cfg, l.actors[a], f, a);
    }
    w.inner_part(
        "waits",
        " class=\"waits\" aria-hidden=\"true\"",
        arrows(l, f),
    );
    clock(&mut w, l.w, f);
    w
}

/// The simulated clock, and a banner when the last step was a jump in time (so an hour-long
/// timer is visibly an hour, not a pause).
fn clock(w: &mut Scene, width: f64, f: &Frame) {
    let jump = match f.event.as_ref().map(|e| &e.kind) {
        Some(EventKind::TimePassed { from, to, .. }) => {
            Some(format!("»» time jumps {}", fmt_span(to - from)))
        }
        _ => None,
    };
    let x = width - 60.0;
    w.group("clock", |w| {
        let now = format!("Simulated time: {}", fmt_time(f.now));
        w.text_part("now", at("now", 12.0, 27.0), now);
        let class = if jump.is_some() {
            "jump-banner on"
        } else {
            "jump-banner"
        };
        w.group_part("jump", class.to_string(), |w| {
            let r = Rect {
                x: x - 260.0,
                y: 6.0,
                w: 260.0,
                h: 30.0,
            };
            w.rect("", r, 15.0);
            let text_at = TextAt {
                anchor: "middle",
                ..at("", x - 130.0, 26.0)
            };
            w.text_part("jump-text", text_at, jump.unwrap_or_default());
        });
    });
}
fn actor(w: &mut Scene, cfg: &Config, r: Rect, f: &Frame, a: usize) {
    let label = &cfg.actors[a].label;
    let v = f.actors.get(a);
    let class = v.map_or("actor".to_string(), |v| {
        let cycle = if v.in_cycle { " in-cycle" } else { "" };
        format!("actor {}{cycle}{}", v.look.class(), lit(f.lit.actor(a)))
    });
    let id = format!("a{a}");
    w.group_part(&id, class, |w| {
        let title = v.map(|v| format!("{label}: {}. Current operation: {}", v.status, v.op));
        w.title(&format!("{id}-title"), title.unwrap_or_default());
        w.rect("box", r, 10.0);
        let ring = Rect {
            x: r.x - 4.0,
            y: r.y - 4.0,
            w: r.w + 8.0,
            h: r.h + 8.0,
        };
        w.rect("cycle-ring", ring, 13.0);
        let (x, tw) = (r.x + 10.0, r.w - 20.0);
        w.text(at("name", x, r.y + 22.0).within(tw), label);
        let status = v.map(|v| format!("{} {}", v.look.icon(), v.status));
        let status_at = at("status", x, r.y + 43.0).within(tw);
        w.text_part(
            &format!("{id}-status"),
            status_at,
            status.unwrap_or_default(),
        );
        let op = v.map(|v| v.op.clone()).unwrap_or_default();
        w.text_part(&format!("{id}-op"), at("op", x, r.y + 62.0).within(tw), op);
    });
}

/// A resource being drawn: its index, the prefix of its parts' ids, its box and its label.
struct ResBox<'a> {
    index: usize,
    id: String,
    r: Rect,
    label: &'a str,
    /// Pointed at by the open chapter.
    lit: bool,
}

impl ResBox<'_> {
    /// The group's class `c`, marked when the open chapter points at the resource.
    fn class(&self, c: &str) -> String {
        format!("{c}{}", lit(self.lit))
    }
}

/// A channel of `cap` slots, `per_row` to a row, filled as the frame says.
fn channel(w: &mut Scene, b: &ResBox, cap: usize, per_row: usize, f: &Frame) {
    let (id, r, label) = (&b.id, b.r, b.label);
    let items = f.items.get(b.index).map_or(&[][..], Vec::as_slice);
    let class = if items.len() == cap {
        "channel full"
    } else {
        "channel"
    };
    w.group_part(id, b.class(class), |w| {
        w.text(at("res-label", r.x, r.y + 14.0).within(r.w - 50.0), label);
        let count_at = TextAt {
            anchor: "end",
            ..at("res-count", r.x + r.w, r.y + 14.0)
        };
        w.text_part(
            &format!("{id}-count"),
            count_at,
            format!("{}/{}", items.len(), cap),
        );
        // Its name whole for a tap (a squeezed label has no tooltip on a touch screen).
        let full = format!("{label}: {} of {cap} slots full", items.len());
        w.title(&format!("{id}-title"), full);
        let per_row = per_row.max(1);
        for k in 0..cap {
            let x = r.x + (k % per_row) as f64 * (SLOT + 4.0);
            let y = r.y + 22.0 + (k / per_row) as f64 * (SLOT + 4.0);
            slot(w, &format!("{id}-s{k}"), x, y, items.get(k));
        }
    });
}

/// One slot of a channel at (x, y), with the item in it (its short and full text), if any.
fn slot(w: &mut Scene, id: &str, x: f64, y: f64, item: Option<&ChannelItem>) {
    let class = if item.is_some() { "slot full" } else { "slot" };
    w.group_part(id, class.to_string(), |w| {
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
        let text_at = TextAt {
            anchor: "middle",
            ..at("", x + SLOT / 2.0, y + SLOT / 2.0 + 4.5)
        };
        let short = item.map(|it| it.short.clone()).unwrap_or_default();
        w.text_part(&format!("{id}-text"), text_at, short);
        let full = item.map_or_else(|| "empty slot".to_string(), |it| it.full.clone());
        w.title(&format!("{id}-title"), full);
    });
}

/// A lock with its holder and the queue of waiters.
fn lock(w: &mut Scene, b: &ResBox, cfg: &Config, f: &Frame) {
    let (id, r, label) = (&b.id, b.r, b.label);
    let holder = f.holders.get(b.index).copied().flatten();
    let class = if holder.is_some() {
        "lock held"
    } else {
        "lock"
    };
    w.group_part(id, b.class(class), |w| {
        w.rect("box", r, 6.0);
        let (x, tw) = (r.x + 8.0, r.w - 16.0);
        w.text(at("res-label", x, r.y + 16.0).within(tw), label);
        let held = holder.map_or_else(
            || "free".to_string(),
            |h| format!("held by {}", cfg.actors[h].label),
        );
        w.text_part(
            &format!("{id}-holder"),
            at("holder", x, r.y + 32.0).within(tw),
            held.clone(),
        );
        let names: Vec<&str> = f
            .waiters
            .get(b.index)
            .map(|v| v.iter().map(|&a| cfg.actors[a].label.as_str()).collect())
            .unwrap_or_default();
        let queue = if names.is_empty() {
            "no one waiting".to_string()
        } else {
            format!("waiting: {}", names.join(", "))
        };
        w.title(&format!("{id}-title"), format!("{label}: {held}; {queue}"));
        w.text_part(
            &format!("{id}-queue"),
            at("queue", x, r.y + 46.0).within(tw),
            queue,
        );
    });
}

fn flag(w: &mut Scene, b: &ResBox, f: &Frame) {
    let (id, r, label) = (&b.id, b.r, b.label);
    let on = f.flags.get(b.index).copied().unwrap_or(false);
    w.group_part(id, b.class(if on { "flag on" } else { "flag" }), |w| {
        w.rect("box", Rect { h: r.h - 4.0, ..r }, (r.h - 4.0) / 2.0);
        let text = if on {
            format!("✓ {label}")
        } else {
            format!("✗ {label}: not yet")
        };
        w.title(&format!("{id}-title"), text.clone());
        w.text_part(
            &format!("{id}-text"),
            at("", r.x + 12.0, r.y + 18.0).within(r.w - 24.0),
            text,
        );
    });
}

/// How an arrow between two boxes runs. In one column: a curve bulging out of the side whose
/// gutter fewer arrows use (see [`arrows`]). In
/// neighbouring columns: out of the side, along the gap between the process boxes, and into the
/// other side, so arrows run in the gutters instead of across actors and labels. Columns further
/// apart, or boxes level with each other: a straight line.
#[derive(Clone, Copy)]
enum Route {
    /// `x` and `left` are the right and left edges of the boxes; `bulge` and `bulge_left` how far
    /// out each side's curve may go (the left is bounded by the column or the drawing beside it).
    Curve {
        x: i32,
        left: i32,
        y1: i32,
        y2: i32,
        bulge: i32,
        bulge_left: i32,
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
        // A cubic with both control points `b` out reaches 3/4 of `b`; 4 px spare for the stroke.
        let beside = processes.iter().map(|p| p.x + p.w).filter(|&e| e < from.x);
        let room = from.x - beside.fold(0.0, f64::max);
        return Route::Curve {
            x: px(x),
            left: px(from.x),
            y1: px(y1),
            y2: px(y2),
            bulge: px(bulge),
            bulge_left: px(bulge.min((room - 4.0) / 0.75)),
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

/// One wait arrow: its route, whether it is part of the cycle, and why its actor waits.
struct Arrow {
    route: Route,
    cycle: bool,
    reason: Reason,
    /// `Walk::wait` or `Walk::release` of its wait: how walking the cycle finds it.
    w: String,
}

/// The wait arrows of one frame, as `<path>` markup (no text from the scenario in it).
fn arrows(l: &Layout, f: &Frame) -> String {
    let out = arrow_routes(l, f);
    // Arrows that share a gutter get evenly spaced lanes across it, in the order they were
    // found, so parallel waits stay apart instead of drawing over each other.
    let gutters: Vec<Option<(i32, i32)>> = out.iter().map(|a| gutter(&a.route)).collect();
    let lanes: Vec<(i32, i32)> = gutters.iter().flatten().copied().collect();
    let mut s = String::new();
    for (i, a) in out.into_iter().enumerate() {
        let class = match (a.cycle, a.reason) {
            (true, _) => "wait cycle",
            (false, Reason::LockHeld) => "wait lock",
            _ => "wait",
        };
        let _ = write!(s, "<path class=\"{class}\" data-w=\"{}\" d=\"", a.w);
        let _ = match a.route {
            Route::Curve {
                x,
                left,
                y1,
                y2,
                bulge,
                bulge_left,
            } => {
                // Out of the side whose gutter fewer arrows run along (right on a tie), so a
                // curve does not cross their lanes.
                let crowd = |a: i32, b: i32| lanes.iter().filter(|&&(l, r)| l < b && r > a).count();
                let (x, c) = match crowd(left - bulge_left, left) < crowd(x, x + bulge) {
                    true => (left, left - bulge_left),
                    false => (x, x + bulge),
                };
                write!(s, "M{x},{y1} C{c},{y1} {c},{y2} {x},{y2}")
            }
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
        let marker = if a.cycle { "arrow-cycle" } else { "arrow" };
        let _ = write!(s, "\" marker-end=\"url(#{marker})\"/>");
    }
    s
}

/// How far above the middle of an actor or resource its arrows leave, and below it the arrows
/// into it arrive, so an arrowhead never lands on the start of another arrow.
const ENDS: f64 = 8.0;

/// `r` moved down by `dy`.
fn nudged(r: Rect, dy: f64) -> Rect {
    Rect { y: r.y + dy, ..r }
}

/// One arrow per (from, resource, direction): from each waiting actor to what it waits on, and
/// for waits in the cycle on to whoever could release it.
fn arrow_routes(l: &Layout, f: &Frame) -> Vec<Arrow> {
    // `drawn[i]` is the key of `out[i]`, so a repeated edge only marks the arrow as part of the
    // cycle instead of routing it again.
    let mut out: Vec<Arrow> = Vec::new();
    let mut drawn: Vec<(usize, usize, bool)> = Vec::new();
    for e in &f.graph.edges {
        let cycle = f.graph.edge_in_cycle(e);
        let (a, res, reason) = (e.from as usize, e.res as usize, e.reason);
        let w = Walk::new(e);
        match drawn.iter().position(|&k| k == (a, res, false)) {
            Some(i) => out[i].cycle |= cycle,
            None => {
                drawn.push((a, res, false));
                let (from, to) = (nudged(l.actors[a], -ENDS), nudged(l.resources[res], ENDS));
                let route = route(from, to, &l.processes);
                out.push(Arrow {
                    route,
                    cycle,
                    reason,
                    w: w.wait,
                });
            }
        }
        let to = e.to as usize;
        if cycle && first_time(&mut drawn, (to, res, true)) {
            let (from, to) = (nudged(l.resources[res], -ENDS), nudged(l.actors[to], ENDS));
            let route = route(from, to, &l.processes);
            out.push(Arrow {
                route,
                cycle: true,
                reason,
                w: w.release,
            });
        }
    }
    out
}
