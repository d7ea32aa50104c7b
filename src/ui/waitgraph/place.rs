//! Where the wait-for graph puts its nodes. The cycle is a band across the middle: two actors side
//! by side with their two waits between them, more on an ellipse. Everyone else stands in rows
//! that grow away from the band, each actor under (or over) the wait it is stuck behind, so arrows
//! run between rows instead of across names. A resource outside the cycle sits beside whoever
//! holds it, in that actor's row, with its own waiters in the next row.
use super::{box_label, box_width, NAME_CHARS};
use crate::sim::{Config, WaitGraph};

/// A point in the drawing.
#[derive(Clone, Copy)]
pub struct Pt {
    pub x: f64,
    pub y: f64,
}

/// A node of the drawing: an actor (keyed by its index) or a resource box (by the resource's).
#[derive(Clone, Copy)]
pub struct Node {
    pub id: usize,
    pub at: Pt,
    /// Whether it is part of the cycle.
    pub cycle: bool,
    /// Above the band: an actor's name goes over its circle (its arrow leaves downwards), and a
    /// resource's waiters stand above it.
    pub up: bool,
}

/// Every node of one frame's graph.
pub struct Placed {
    pub actors: Vec<Node>,
    pub res: Vec<Node>,
}

/// The radius of an actor's outer ring.
pub const RING: f64 = 25.0;
/// How far an actor's name and ring reach from its centre: on the name's side, and the other.
const NAME_REACH: f64 = 46.0;
const RING_REACH: f64 = 27.0;
/// The two actors of a two-actor cycle, this far apart.
const SPAN: f64 = 300.0;
/// Room between a row and the one before it, for the arrows.
const GAP: f64 = 34.0;
/// A row of more than three actors alternates between two lines this far apart.
const STAGGER: f64 = 80.0;

/// How far an actor's drawing reaches above and below its centre: its name on one side, its ring
/// (and a cycle's word, above) on the other.
pub fn reach(a: &Node) -> (f64, f64) {
    match (a.up, a.cycle) {
        (true, _) => (NAME_REACH, RING_REACH),
        (false, true) => (42.0, NAME_REACH),
        (false, false) => (RING_REACH, NAME_REACH),
    }
}

/// The node with key `id` among `nodes`, if it was placed.
pub fn node(nodes: &[Node], id: usize) -> Option<&Node> {
    nodes.iter().find(|n| n.id == id)
}

/// Half the width an actor's name takes (at least its ring).
pub fn half_name(cfg: &Config, a: usize) -> f64 {
    let chars = cfg.actors[a].label.chars().count();
    // A longer name is squeezed to 6.6 a character; a shorter one is drawn bold, wider.
    let half = if chars > NAME_CHARS {
        NAME_CHARS as f64 * 3.3
    } else {
        chars as f64 * 3.7
    };
    half.max(RING + 1.0)
}

/// The width of resource `r`'s box.
pub fn box_w(cfg: &Config, r: usize) -> f64 {
    box_width(&box_label(cfg, r))
}

/// Places every actor and resource of `g`.
pub fn place(cfg: &Config, g: &WaitGraph) -> Placed {
    let level = levels(cfg.actors.len(), g);
    let holder = holders(cfg, g, &level);
    let mut p = Placed {
        actors: Vec::new(),
        res: Vec::new(),
    };
    band(cfg, g, &mut p);
    let deepest = level.iter().filter(|l| **l < u32::MAX).max().copied();
    for l in 0..=deepest.unwrap_or(0) {
        for up in [false, true] {
            let units = row_of(g, &level, &p, l, up);
            if !units.is_empty() || (l, up) == (0, false) {
                row(cfg, &holder, &mut p, &units, (l, up));
            }
        }
    }
    p
}

/// The actors that take part (bit per actor), and their indices.
fn members(g: &WaitGraph) -> impl Iterator<Item = usize> {
    let mask = g
        .edges
        .iter()
        .fold(0u64, |m, e| m | 1 << e.from | 1 << e.to);
    (0..64).filter(move |a| mask >> a & 1 == 1)
}

/// Each actor's distance from the band: 0 for the cycle and for actors who wait on nobody, one
/// more than the nearest actor it waits for otherwise; `u32::MAX` for actors not drawn.
fn levels(n: usize, g: &WaitGraph) -> Vec<u32> {
    let mut level = vec![u32::MAX; n];
    for a in members(g) {
        let waits = g.edges.iter().any(|e| e.from as usize == a);
        level[a] = if g.in_cycle(a) || !waits { 0 } else { n as u32 };
    }
    // Waits on a second cycle the graph does not draw stay at `n`, the outermost row.
    for _ in 0..n {
        for e in &g.edges {
            let (from, to) = (e.from as usize, e.to as usize);
            if level[from] != 0 && level[to] < n as u32 {
                level[from] = level[from].min(level[to] + 1);
            }
        }
    }
    level
}

/// For each resource outside the cycle, the actor whose row it sits in: of those who can release
/// it, the one nearest the band.
fn holders(cfg: &Config, g: &WaitGraph, level: &[u32]) -> Vec<Option<usize>> {
    let mut holder: Vec<Option<usize>> = vec![None; cfg.resources.len()];
    for e in &g.edges {
        let (r, to) = (e.res as usize, e.to as usize);
        let in_cycle = g.cycle.iter().any(|c| c.res == e.res);
        if !in_cycle && holder[r].is_none_or(|h| level[to] < level[h]) {
            holder[r] = Some(to);
        }
    }
    holder
}

/// The cycle: two actors side by side with one wait above the line between them and one below
/// (the wait from left to right below); more on an ellipse, each wait beside its edge.
fn band(cfg: &Config, g: &WaitGraph, p: &mut Placed) {
    let k = g.cycle.len();
    for a in members(g).filter(|&a| g.in_cycle(a)) {
        let i = p.actors.len() as f64;
        let at = if k == 2 {
            Pt {
                x: i * SPAN,
                y: 0.0,
            }
        } else {
            let (cos, sin) = cos_sin(std::f64::consts::PI * (1.0 + 2.0 * i / k as f64));
            Pt {
                x: 150.0 * cos,
                y: 100.0 * sin,
            }
        };
        p.actors.push(Node {
            id: a,
            at,
            cycle: true,
            up: false,
        });
    }
    for e in &g.cycle {
        let at = |id: u8| node(&p.actors, id as usize).map_or(Pt { x: 0.0, y: 0.0 }, |n| n.at);
        let (a, b) = (at(e.from), at(e.to));
        let mut place = beside(a, b, e.from < e.to);
        if e.from == e.to {
            // An actor waiting on itself: its wait to the right of its name.
            place.x += half_name(cfg, e.from as usize) + box_w(cfg, e.res as usize) / 2.0;
        }
        match p.res.iter_mut().find(|n| n.id == e.res as usize) {
            // A resource on two edges of the cycle: between its two places.
            Some(n) => {
                n.at = Pt {
                    x: (n.at.x + place.x) / 2.0,
                    y: (n.at.y + place.y) / 2.0,
                }
            }
            None => p.res.push(Node {
                id: e.res as usize,
                at: place,
                cycle: true,
                up: place.y < 0.0,
            }),
        }
    }
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

/// How far right of its centre an actor reaches: its name, or the boxes beside it.
fn reach_right(cfg: &Config, holder: &[Option<usize>], a: usize) -> f64 {
    let half = half_name(cfg, a);
    (0..holder.len())
        .filter(|&r| holder[r] == Some(a))
        .map(|r| half + 8.0 + box_w(cfg, r))
        .fold(half, f64::max)
}

/// The actors outside the band at `level` whose wait stands on the side `up` says, each with
/// the x of that wait, in order of it (then of index), so arrows from one row do not cross.
fn row_of(g: &WaitGraph, level: &[u32], p: &Placed, l: u32, up: bool) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = Vec::new();
    for a in members(g).filter(|&a| level[a] == l && !g.in_cycle(a)) {
        let wait = g.edges.iter().find(|e| e.from as usize == a);
        let target = wait.and_then(|e| node(&p.res, e.res as usize));
        let (x, side_up) = target.map_or((0.0, false), |n| (n.at.x, n.up));
        if side_up == up {
            let i = out.iter().position(|&(_, ox)| ox > x).unwrap_or(out.len());
            out.insert(i, (a, x));
        }
    }
    out
}
/// Places `units` (in order of the x of their wait) in a new row beyond everything placed on the
/// side `up` says (level 0: on the band's line, right of it), each as near its wait's x as the
/// names allow, the row centred on those x; then the boxes its actors hold, beside them.
fn row(
    cfg: &Config,
    holder: &[Option<usize>],
    p: &mut Placed,
    units: &[(usize, f64)],
    at: (u32, bool),
) {
    let (l, up) = at;
    let stagger = units.len() > 3;
    let dir = if up { -1.0 } else { 1.0 };
    let y0 = if l == 0 {
        0.0
    } else {
        edge(p, up) + dir * (GAP + RING)
    };
    let xs = spread(cfg, holder, units, stagger);
    let right = p
        .actors
        .iter()
        .map(|n| n.at.x + reach_right(cfg, holder, n.id));
    let right = right.fold(f64::MIN, f64::max);
    let shift = match (l, xs.first()) {
        (0, Some(&x0)) if right > f64::MIN => right + 12.0 + half_name(cfg, units[0].0) - x0,
        (0, _) => 0.0,
        _ => (units.iter().map(|u| u.1).sum::<f64>() - xs.iter().sum::<f64>()) / xs.len() as f64,
    };
    // On level 0 the band's actors get their boxes here too.
    let first = if l == 0 { 0 } else { p.actors.len() };
    for (i, &(a, _)) in units.iter().enumerate() {
        let line = if stagger { (i % 2) as f64 } else { 0.0 };
        let at = Pt {
            x: xs[i] + shift,
            y: y0 + dir * line * STAGGER,
        };
        p.actors.push(Node {
            id: a,
            at,
            cycle: false,
            up,
        });
    }
    for k in first..p.actors.len() {
        let h = p.actors[k];
        beside_holder(cfg, holder, p, h);
    }
}

/// Each unit's x: its wait's x, pushed right until its name clears the one before it on its line
/// (a staggered row's neighbour is on the other line: only the rings must stay apart).
fn spread(
    cfg: &Config,
    holder: &[Option<usize>],
    units: &[(usize, f64)],
    stagger: bool,
) -> Vec<f64> {
    let same = if stagger { 2 } else { 1 };
    let mut xs: Vec<f64> = Vec::with_capacity(units.len());
    for (i, &(a, want)) in units.iter().enumerate() {
        let mut x = want;
        if i >= 1 {
            x = x.max(xs[i - 1] + 2.0 * RING + 12.0);
        }
        if i >= same {
            let b = units[i - same].0;
            x = x.max(xs[i - same] + reach_right(cfg, holder, b) + half_name(cfg, a) + 12.0);
        }
        xs.push(x);
    }
    xs
}

/// The boxes of the resources `h` holds, beside it in its row: outwards on the band's left side,
/// to the right everywhere else; several are stacked.
fn beside_holder(cfg: &Config, holder: &[Option<usize>], p: &mut Placed, h: Node) {
    let side = if h.cycle && h.at.x < 1.0 { -1.0 } else { 1.0 };
    let mut dy = 0.0;
    for r in (0..holder.len()).filter(|&r| holder[r] == Some(h.id)) {
        let x = h.at.x + side * (half_name(cfg, h.id) + 8.0 + box_w(cfg, r) / 2.0);
        let at = Pt { x, y: h.at.y + dy };
        p.res.push(Node {
            id: r,
            at,
            cycle: false,
            up: h.up,
        });
        dy += 30.0;
    }
}

/// How far everything placed reaches downwards, or upwards when `up`.
fn edge(p: &Placed, up: bool) -> f64 {
    let dir = if up { -1.0 } else { 1.0 };
    let actors = p.actors.iter().map(|n| {
        let (over, under) = reach(n);
        n.at.y + if up { -over } else { under }
    });
    let boxes = p.res.iter().map(|n| n.at.y + dir * 13.0);
    let all = actors.chain(boxes);
    if up {
        all.fold(0.0, f64::min)
    } else {
        all.fold(0.0, f64::max)
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
