//! Benchmark of the simulation core: `cargo run --release --example bench`.
//!
//! The release profile is tuned for the size of the wasm build (opt-level "z"); for the native
//! speed of the same code at opt-level 3 run `cargo run --profile bench --example bench`.
//!
//! Prints figures and writes them to `target/bench/core.json`; it asserts nothing about time.
//! (a) the exhaustive explorer at scaled-up knobs, plain and reduced, (b) the whole fix matrix at
//! the default knobs, (c) one guided run with every step narrated, (d) states stored with and
//! without reduction per configuration, (e) the reduced fix matrix at B's largest knobs. Timing
//! lives here only: `src/sim` has no clock.
use deadlock_lab::sim::explore::{
    bytes_per_state, explore_with, fix_matrix_with, MatrixSearch, Reduction,
};
use deadlock_lab::sim::*;
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The explorer's state limit for the scaled-up runs.
const LIMIT: usize = 4_000_000;
/// Each measurement repeats until at least this much time has passed (and at least 3 times).
const MIN_TIME: Duration = Duration::from_millis(1500);

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// CPU time this thread has used, in seconds (Linux only): on a busy machine wall time also
/// counts the time spent waiting for a core, CPU time does not.
fn cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(text.split_whitespace().next()?.parse::<u64>().ok()? as f64 / 1e9)
}

/// Mean time of one run: wall clock, and CPU time where the system reports it.
#[derive(Clone, Copy)]
struct Timing {
    runs: usize,
    wall: f64,
    cpu: Option<f64>,
}

impl Timing {
    /// The figure the rates are computed from: CPU time when known.
    fn secs(&self) -> f64 {
        self.cpu.unwrap_or(self.wall)
    }
    fn show(&self, scale: f64, unit: &str) -> String {
        match self.cpu {
            Some(cpu) => format!(
                "{:.3} {unit} CPU, {:.3} {unit} wall ({} runs)",
                cpu * scale,
                self.wall * scale,
                self.runs
            ),
            None => format!("{:.3} {unit} wall ({} runs)", self.wall * scale, self.runs),
        }
    }
    fn json(&self, scale: f64) -> serde_json::Value {
        json!({"runs": self.runs, "wall": self.wall * scale, "cpu": self.cpu.map(|c| c * scale)})
    }
}

/// Runs `f` until `MIN_TIME` has passed and at least `min_runs` times.
fn repeat<T>(min_runs: usize, mut f: impl FnMut() -> T) -> Timing {
    let (start, cpu0) = (Instant::now(), cpu_seconds());
    let mut runs = 0;
    while runs < min_runs || start.elapsed() < MIN_TIME {
        black_box(f());
        runs += 1;
    }
    let wall = start.elapsed().as_secs_f64() / runs as f64;
    let cpu = cpu0.zip(cpu_seconds()).map(|(a, b)| (b - a) / runs as f64);
    Timing { runs, wall, cpu }
}

fn settings(sc: &Scenario, switches: &[(&str, bool)], knobs: &[(&str, i64)]) -> Settings {
    let mut st = sc.default_settings();
    st.switches.iter_mut().for_each(|s| *s = false);
    for (id, v) in switches {
        st.switches[sc
            .switch_index(id)
            .unwrap_or_else(|| panic!("no switch {id}"))] = *v;
    }
    for (id, v) in knobs {
        st.knobs[sc.knob_index(id).unwrap_or_else(|| panic!("no knob {id}"))] = *v;
    }
    st
}

fn main() {
    let scs = scenarios::builtin().expect("built-in scenarios");
    let (a, b) = (&scs[0], &scs[1]);
    let cpu = cpu_model();
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "optimised"
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_default();
    println!("Deadlock Lab core benchmark ({profile} build, one thread)");
    println!("CPU: {cpu} ({cores} cores, load average {load} at start)");
    println!("Rates are computed from CPU time when the system reports it, else from wall time.\n");
    let explorer_rows = explorer_section(a, b);
    let matrix_rows = matrix_section(&[a, b]);
    let run_rows = run_section(&[a, b]);
    let reduction_rows = reduction_section(a, b);
    let largest = largest_matrix_section(b);
    let report = json!({
        "cpu": cpu, "cores": cores, "load_average_at_start": load, "build": profile,
        "explorer": explorer_rows, "fix_matrix": matrix_rows, "guided_run": run_rows,
        "reduction": reduction_rows, "largest_matrix": largest,
    });
    write_report(&report);
}

/// The scaled-up configurations: a name, the scenario and its settings.
fn scaled<'a>(a: &'a Scenario, b: &'a Scenario) -> [(&'static str, &'a Scenario, Settings); 3] {
    [
        (
            "A scaled: capacity 16, chunks 16, read 200 ms, all switches off",
            a,
            settings(
                a,
                &[],
                &[("capacity", 16), ("chunks", 16), ("read_ms", 200)],
            ),
        ),
        (
            "B scaled: 8 threads, 1 key, 3 items, block_reads on",
            b,
            settings(
                b,
                &[("block_reads", true)],
                &[("threads", 8), ("keys", 1), ("items", 3)],
            ),
        ),
        (
            "B largest: 8 threads, 3 keys, 3 items, block_reads on",
            b,
            settings(
                b,
                &[("block_reads", true)],
                &[("threads", 8), ("keys", 3), ("items", 3)],
            ),
        ),
    ]
}

/// (a) The explorer at scaled-up knobs. Incident A's timed semantics keep its space small even
/// at the largest knobs, so its exploration is repeated and the throughput is the mean.
fn explorer_section(a: &Scenario, b: &Scenario) -> Vec<serde_json::Value> {
    let mut explorer_rows = Vec::new();
    println!("(a) explorer, limit {LIMIT} states");
    let runs = scaled(a, b).into_iter().flat_map(|(name, sc, st)| {
        [(Reduction::PLAIN, "plain"), (Reduction::FULL, "reduced")]
            .map(|(r, how)| (format!("{name} ({how})"), sc, st.clone(), r))
    });
    for (name, sc, st, r) in runs {
        let cfg = compile(sc, &st).expect("scaled configuration compiles");
        let e = explore_with(&cfg, LIMIT, r);
        let time = repeat(1, || explore_with(&cfg, LIMIT, r));
        let secs = time.secs();
        let per_s = e.states as f64 / secs;
        let bps = bytes_per_state(&cfg);
        println!("  {name}");
        println!(
            "    {} unique states, {} transitions, complete {}, verdict {:?}",
            e.states, e.transitions, e.complete, e.verdict
        );
        println!("    {} per exploration", time.show(1e3, "ms"));
        println!(
            "    {:.2} M unique states/s, {:.2} M transitions/s",
            per_s / 1e6,
            e.transitions as f64 / secs / 1e6
        );
        println!(
            "    {bps} bytes per stored state, {:.1} MB in total",
            (bps * e.states) as f64 / 1e6
        );
        explorer_rows.push(json!({
            "name": name, "scenario": sc.id, "settings": st, "reduction": r,
            "states": e.states, "transitions": e.transitions,
            "complete": e.complete, "verdict": e.verdict,
            "ms_per_exploration": time.json(1e3), "states_per_second": per_s,
            "transitions_per_second": e.transitions as f64 / secs,
            "bytes_per_state": bps, "total_bytes": bps * e.states,
        }));
    }
    explorer_rows
}

/// (b) The whole fix matrix at the default knobs.
fn matrix_section(scs: &[&Scenario]) -> Vec<serde_json::Value> {
    println!("\n(b) fix matrix at default knobs");
    let mut matrix_rows = Vec::new();
    for &sc in scs {
        let knobs = sc.default_settings().knobs;
        let cells = fix_matrix(sc, &knobs, 1_000_000).expect("matrix");
        let states: usize = cells.iter().map(|c| c.exploration.states).sum();
        let time = repeat(20, || fix_matrix(sc, &knobs, 1_000_000));
        println!(
            "  {} ({} cells, {} states in all): {} per matrix",
            sc.id,
            cells.len(),
            states,
            time.show(1e3, "ms")
        );
        matrix_rows.push(json!({
            "scenario": sc.id, "cells": cells.len(), "states": states,
            "ms_per_matrix": time.json(1e3),
        }));
    }
    matrix_rows
}

/// (c) One guided run at the defaults, with every step narrated and the final outcome
/// explained.
fn run_section(scs: &[&Scenario]) -> Vec<serde_json::Value> {
    println!("\n(c) guided run + narration at default settings");
    let mut run_rows = Vec::new();
    for &sc in scs {
        let cfg = compile(sc, &sc.default_settings()).expect("defaults compile");
        let steps = guided_run(&cfg).events.len();
        let time = repeat(100, || {
            let run = guided_run(&cfg);
            let mut chars = 0;
            for (i, ev) in run.events.iter().enumerate() {
                let n = cfg.narrate(&run.states[i], ev, &run.states[i + 1]);
                chars += n.what.len() + n.now_waiting.len();
            }
            let o = cfg.outcome(run.last());
            chars + cfg.outcome_text(run.last(), &o).detail.len()
        });
        println!(
            "  {} ({steps} steps): {} per run",
            sc.id,
            time.show(1e6, "µs")
        );
        run_rows.push(json!({"scenario": sc.id, "steps": steps, "us_per_run": time.json(1e6)}));
    }
    run_rows
}

/// The knob sets of the reduction table: A at its defaults and largest knobs, B at every thread
/// count with one template and with all three (each in its own bin), then Foo and Baz sharing one.
fn table_knobs(a: &Scenario, _b: &Scenario) -> Vec<(&'static str, Vec<i64>)> {
    let mut out = vec![
        ("grpc-shim", a.default_settings().knobs),
        ("grpc-shim", a.knobs.iter().map(|k| k.max).collect()),
    ];
    for threads in 1..=8 {
        for keys in [1, 3] {
            out.push(("template-cache", vec![threads, keys, 3, 0]));
        }
    }
    out.push(("template-cache", vec![8, 3, 3, 1]));
    out
}

/// (d) States stored per configuration (every switch combination summed), plain where it
/// finishes in reasonable time (B up to 6 threads), and reduced.
fn reduction_section(a: &Scenario, b: &Scenario) -> Vec<serde_json::Value> {
    println!("\n(d) states stored, plain and reduced (all switch combinations summed)");
    let mut rows = Vec::new();
    for (id, knobs) in table_knobs(a, b) {
        let sc = if id == a.id { a } else { b };
        let cells = 1usize << sc.switches.len();
        let plain_too = id == a.id || knobs[0] <= 6;
        let (mut plain, mut reduced, mut plain_secs, mut reduced_secs) = (0, 0, 0.0, 0.0);
        for bits in 0..cells {
            let st = Settings {
                switches: (0..sc.switches.len()).map(|j| bits >> j & 1 == 1).collect(),
                knobs: knobs.clone(),
            };
            let cfg = compile(sc, &st).expect("compiles");
            if plain_too {
                let t = Instant::now();
                plain += explore(&cfg, LIMIT).states;
                plain_secs += t.elapsed().as_secs_f64();
            }
            let t = Instant::now();
            reduced += explore_with(&cfg, LIMIT, Reduction::FULL).states;
            reduced_secs += t.elapsed().as_secs_f64();
        }
        let factor = plain_too.then(|| plain as f64 / reduced as f64);
        println!(
            "  {id} {knobs:?}: plain {} ({:.1} ms), reduced {reduced} ({:.1} ms){}",
            if plain_too {
                plain.to_string()
            } else {
                "-".into()
            },
            plain_secs * 1e3,
            reduced_secs * 1e3,
            factor.map_or(String::new(), |f| format!(", {f:.1}x fewer"))
        );
        rows.push(json!({
            "scenario": id, "knobs": knobs, "plain_states": plain_too.then_some(plain),
            "reduced_states": reduced, "factor": factor,
            "plain_ms_wall": plain_too.then_some(plain_secs * 1e3),
            "reduced_ms_wall": reduced_secs * 1e3,
        }));
    }
    rows
}

/// (e) The whole reduced fix matrix at B's largest knobs.
fn largest_matrix_section(b: &Scenario) -> serde_json::Value {
    let knobs: Vec<i64> = b.knobs.iter().map(|k| k.max).collect();
    let cells = fix_matrix_with(b, &knobs, LIMIT, Reduction::FULL).expect("matrix");
    let states: usize = cells.iter().map(|c| c.exploration.states).sum();
    let decided = cells.iter().filter(|c| c.exploration.complete).count();
    let time = repeat(3, || fix_matrix_with(b, &knobs, LIMIT, Reduction::FULL));
    println!(
        "\n(e) reduced fix matrix of {} at {knobs:?}: {decided} of {} cells decided, {states} \
         states, {} per matrix",
        b.id,
        cells.len(),
        time.show(1e3, "ms")
    );
    // As the browser runs it: in slices, cells that compile alike sharing one search.
    let sliced = repeat(3, || {
        let mut m = MatrixSearch::new(b, &knobs, LIMIT, Reduction::FULL).expect("matrix");
        while m.run(256, 0) {}
    });
    println!(
        "    the same in slices, shared cells searched once: {}",
        sliced.show(1e3, "ms")
    );
    json!({
        "scenario": b.id, "knobs": knobs, "cells": cells.len(), "decided": decided,
        "states": states, "ms_per_matrix": time.json(1e3), "ms_sliced": sliced.json(1e3),
    })
}

fn write_report(report: &serde_json::Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let written = std::fs::create_dir_all(&dir).and_then(|_| {
        std::fs::write(
            dir.join("core.json"),
            serde_json::to_string_pretty(report).unwrap_or_default(),
        )
    });
    match written {
        Ok(()) => println!("\nwrote {}", dir.join("core.json").display()),
        Err(e) => println!("\ncould not write {}: {e}", dir.join("core.json").display()),
    }
}
