//! Where things go in the diagram. Computed from the configuration only (never from state), so
//! nothing jumps around while a run plays. Wide: one column per process; narrow: stacked.
use crate::sim::config::ResKind;
use crate::sim::Config;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub const ZERO: Rect = Rect {
        x: 0.0,
        y: 0.0,
        w: 0.0,
        h: 0.0,
    };
    pub fn cx(&self) -> f64 {
        self.x + self.w / 2.0
    }
    pub fn cy(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub w: f64,
    pub h: f64,
    pub processes: Vec<Rect>,
    pub actors: Vec<Rect>,
    pub resources: Vec<Rect>,
    /// Slots per row for each channel.
    pub per_row: Vec<usize>,
}

pub const SLOT: f64 = 24.0;
const PAD: f64 = 12.0;
const HEAD: f64 = 34.0;
const ACTOR_H: f64 = 74.0;
const GAP: f64 = 10.0;

fn res_height(kind: ResKind, per_row: usize) -> f64 {
    match kind {
        ResKind::Channel { cap } => {
            22.0 + (cap as usize).div_ceil(per_row.max(1)) as f64 * (SLOT + 4.0) + 4.0
        }
        ResKind::Lock => 52.0,
        ResKind::Flag { .. } => 30.0,
    }
}

/// The width of a column and of the boxes in it, and how many channel slots fit in a row.
#[derive(Clone, Copy)]
struct Columns {
    col_w: f64,
    inner: f64,
    per_row: usize,
}

pub fn layout(cfg: &Config, narrow: bool) -> Layout {
    let col_w = if narrow { 336.0 } else { 300.0 };
    let inner = col_w - 2.0 * PAD;
    let per_row = ((inner + 4.0) / (SLOT + 4.0)).floor() as usize;
    let cols = Columns {
        col_w,
        inner,
        per_row,
    };
    let mut l = Layout {
        w: 0.0,
        h: 0.0,
        processes: vec![Rect::ZERO; cfg.processes.len()],
        actors: vec![Rect::ZERO; cfg.actors.len()],
        resources: vec![Rect::ZERO; cfg.resources.len()],
        per_row: vec![per_row; cfg.resources.len()],
    };
    // A band at the top for the simulated clock; room on the left for a curve out of the first
    // column when the gutter on its right is busy.
    let (mut x, mut y0) = (if narrow { 8.0 } else { 24.0 }, 44.0);
    // Processes, plus a last column for resources that belong to none.
    for p in 0..cfg.processes.len() + 1 {
        let Some(rect) = column(cfg, &mut l, cols, p, x, y0) else {
            continue;
        };
        if p < cfg.processes.len() {
            l.processes[p] = rect;
        }
        // Room on the right for the arrows that bulge out of the last column.
        l.w = l.w.max(rect.x + rect.w + 56.0);
        l.h = l.h.max(rect.y + rect.h + 8.0);
        if narrow {
            y0 = rect.y + rect.h + 16.0;
        } else {
            x += col_w + 28.0;
        }
    }
    l
}

/// Places process `p`'s actors, then its resources, in a column from (x, y0); returns the
/// column's box, or `None` when it has nothing to show.
fn column(cfg: &Config, l: &mut Layout, cols: Columns, p: usize, x: f64, y0: f64) -> Option<Rect> {
    let actors: Vec<usize> = (0..cfg.actors.len())
        .filter(|&a| p < cfg.processes.len() && cfg.actors[a].process == p)
        .collect();
    let res: Vec<usize> = (0..cfg.resources.len())
        .filter(|&r| cfg.resources[r].process.unwrap_or(cfg.processes.len()) == p)
        .collect();
    if actors.is_empty() && res.is_empty() {
        return None;
    }
    let mut y = y0 + HEAD;
    for a in actors {
        l.actors[a] = Rect {
            x: x + PAD,
            y,
            w: cols.inner,
            h: ACTOR_H,
        };
        y += ACTOR_H + GAP;
    }
    y += 6.0;
    for r in res {
        let h = res_height(cfg.resources[r].kind, cols.per_row);
        l.resources[r] = Rect {
            x: x + PAD,
            y,
            w: cols.inner,
            h,
        };
        y += h + GAP;
    }
    Some(Rect {
        x,
        y: y0,
        w: cols.col_w,
        h: y - y0 + PAD - GAP,
    })
}
