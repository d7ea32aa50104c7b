//! `compile`: a scenario at given settings to a `Config`, in passes: check the settings, then
//! processes, resources (with their bytes in `State::mem`), actors (replicated, each program
//! flattened and analysed), the narrative's selectors, and the messages' names.
use super::analysis::{check_control_loops, reachability};
use super::ctx::{fail, subst, Ctx, Vars};
use super::emit::Emitter;
use super::instr::{Actor, Process, ResKind, Resource};
use super::{selector, symmetry, Config, MAX_ACTORS, MAX_CAPACITY, MAX_RESOURCES};
use crate::sim::spec::{
    ActorSpec, Replicate, ResourceKind, ResourceSpec, Scenario, ScenarioError, Settings,
};

/// Compiles a scenario at the given settings. Errors name the place and the problem.
pub fn compile(sc: &Scenario, settings: &Settings) -> Result<Config, ScenarioError> {
    check_settings(sc, settings)?;
    let processes = processes(sc);
    let mut ctx = Ctx::new(sc, settings);
    let mem_len = resources(&mut ctx, &processes)?;
    let actors = actors(&mut ctx, &processes)?;
    let narrative = selector::narrative(&sc.narrative, &actors, &ctx.strings);
    let message_names = ctx
        .messages
        .iter()
        .map(|raw| sc.messages.get(raw).unwrap_or(raw).clone())
        .collect();
    Ok(Config {
        title: sc.title.clone(),
        narrative_text: sc.narrative.clone(),
        settings: settings.clone(),
        processes,
        resources: ctx.resources,
        actors,
        messages: ctx.messages,
        message_names,
        strings: ctx.strings,
        says: ctx.says,
        narrative,
        mem_len,
    })
}

/// One value per switch and per knob, each knob within its range.
fn check_settings(sc: &Scenario, settings: &Settings) -> Result<(), ScenarioError> {
    if settings.switches.len() != sc.switches.len() || settings.knobs.len() != sc.knobs.len() {
        return fail(
            "settings",
            format!(
                "expected {} switches and {} knobs",
                sc.switches.len(),
                sc.knobs.len()
            ),
        );
    }
    for (k, v) in sc.knobs.iter().zip(&settings.knobs) {
        if *v < k.min || *v > k.max {
            return fail(
                &format!("knob \"{}\"", k.id),
                format!("{v} is outside {}..={}", k.min, k.max),
            );
        }
    }
    Ok(())
}

fn processes(sc: &Scenario) -> Vec<Process> {
    sc.processes
        .iter()
        .map(|p| Process {
            id: p.id.clone(),
            label: p.label.clone(),
            kind: p.kind.clone(),
        })
        .collect()
}

fn process_index(processes: &[Process], id: &str, place: &str) -> Result<usize, ScenarioError> {
    processes
        .iter()
        .position(|p| p.id == id)
        .map_or_else(|| fail(place, format!("\"{id}\" names no process")), Ok)
}

/// Every resource present at these settings, one per word of its `for_each`; returns the bytes
/// of `State::mem` they take.
fn resources(ctx: &mut Ctx, processes: &[Process]) -> Result<usize, ScenarioError> {
    let sc = ctx.sc;
    let mut mem_len = 0usize;
    for (i, r) in sc.resources.iter().enumerate() {
        let place = format!("resources[{i}] \"{}\"", r.id);
        if let Some(c) = &r.when {
            if !ctx.cond(c, &place)? {
                continue;
            }
        }
        let words: Vec<Vars> = match &r.for_each {
            None => vec![Vars::new()],
            Some(f) => ctx
                .list(&f.list, &f.take, &place)?
                .into_iter()
                .map(|w| Vars::from([(f.var.clone(), w)]))
                .collect(),
        };
        for vars in words {
            if let Some(target) = &r.same_as {
                ctx.aliases
                    .push((subst(&r.id, &vars), subst(target, &vars)));
                continue;
            }
            let res = resource(ctx, r, &vars, processes, mem_len, &place)?;
            mem_len += match res.kind {
                ResKind::Channel { cap } => 1 + cap as usize,
                ResKind::Lock => 1,
                ResKind::Flag { .. } => 0,
            };
            ctx.resources.push(res);
        }
    }
    if ctx.resources.len() > MAX_RESOURCES {
        return fail("resources", format!("at most {MAX_RESOURCES} resources"));
    }
    Ok(mem_len)
}

/// One resource of a spec, its bytes starting at `off`.
fn resource(
    ctx: &Ctx,
    r: &ResourceSpec,
    vars: &Vars,
    processes: &[Process],
    off: usize,
    place: &str,
) -> Result<Resource, ScenarioError> {
    let id = subst(&r.id, vars);
    if ctx.resources.iter().any(|x| x.id == id) {
        return fail(place, format!("the resource \"{id}\" is defined twice"));
    }
    let kind = match r.kind {
        ResourceKind::Channel => {
            let Some(cap) = &r.capacity else {
                return fail(place, "a channel needs a capacity");
            };
            let cap = ctx.value(cap, place)?;
            if !(1..=MAX_CAPACITY).contains(&cap) {
                return fail(
                    place,
                    format!("capacity must be 1..={MAX_CAPACITY}, got {cap}"),
                );
            }
            ResKind::Channel { cap: cap as u8 }
        }
        ResourceKind::Lock => ResKind::Lock,
        ResourceKind::Flag => ResKind::Flag { initial: r.initial },
    };
    let process = r
        .process
        .as_deref()
        .map(|p| process_index(processes, p, place))
        .transpose()?;
    Ok(Resource {
        id,
        label: subst(&r.label, vars),
        kind,
        process,
        dump_name: r.dump_name.clone(),
        empty_name: r.empty_name.clone(),
        empty_unless: r.empty_unless.iter().map(|f| subst(f, vars)).collect(),
        off,
    })
}

/// Every actor present at these settings, replicated and compiled, with its reachability filled
/// in.
fn actors(ctx: &mut Ctx, processes: &[Process]) -> Result<Vec<Actor>, ScenarioError> {
    let sc = ctx.sc;
    let mut actors: Vec<Actor> = Vec::new();
    // The spec each actor comes from: only replicas of one spec may be interchangeable.
    let mut specs: Vec<usize> = Vec::new();
    for (i, a) in sc.actors.iter().enumerate() {
        let place = format!("actors[{i}] \"{}\"", a.id);
        if let Some(c) = &a.when {
            if !ctx.cond(c, &place)? {
                continue;
            }
        }
        let process = process_index(processes, &a.process, &place)?;
        let replicas = match &a.replicate {
            None => vec![Vars::new()],
            Some(r) => replicas(ctx, r, &place)?,
        };
        for vars in replicas {
            let id = subst(&a.id, &vars);
            if actors.iter().any(|x| x.id == id) {
                return fail(&place, format!("the actor \"{id}\" is defined twice"));
            }
            actors.push(actor(ctx, a, id, vars, process, &place)?);
            specs.push(i);
        }
    }
    if actors.is_empty() || actors.len() > MAX_ACTORS {
        return fail(
            "actors",
            format!(
                "a configuration needs 1..={MAX_ACTORS} actors, got {}",
                actors.len()
            ),
        );
    }
    for a in &mut actors {
        reachability(&mut a.code);
    }
    symmetry::classes(&mut actors, &specs);
    Ok(actors)
}

/// The variables of each replica: `{n}` counts from 1, and each of `vars` takes word (n-1) mod
/// cycle of its list.
fn replicas(ctx: &Ctx, r: &Replicate, place: &str) -> Result<Vec<Vars>, ScenarioError> {
    let n = ctx.value(&r.count, place)?;
    if !(0..=MAX_ACTORS as i64).contains(&n) {
        return fail(place, format!("replicate count must be 0..={MAX_ACTORS}"));
    }
    let mut out = Vec::new();
    for k in 1..=n as usize {
        let mut vars = Vars::from([("n".to_string(), k.to_string())]);
        for (name, v) in &r.vars {
            let words = ctx.list(&v.from, &None, place)?;
            let cycle = match &v.cycle {
                Some(c) => ctx.value(c, place)?.clamp(1, words.len().max(1) as i64) as usize,
                None => words.len(),
            };
            if words.is_empty() {
                return fail(place, format!("list \"{}\" is empty", v.from));
            }
            vars.insert(name.clone(), words[(k - 1) % cycle].clone());
        }
        out.push(vars);
    }
    Ok(out)
}

/// One replica of an actor: its program flattened and checked for control-flow loops.
fn actor(
    ctx: &mut Ctx,
    a: &ActorSpec,
    id: String,
    vars: Vars,
    process: usize,
    place: &str,
) -> Result<Actor, ScenarioError> {
    let thread = subst(a.thread.as_deref().unwrap_or(&a.id), &vars);
    let label = subst(&a.label, &vars);
    let called = subst(a.called.as_deref().unwrap_or(&a.label), &vars);
    let code = Emitter::new(ctx, vars).program(&a.program, &format!("{place} program"))?;
    if code.len() > u16::MAX as usize {
        return fail(place, "program too long");
    }
    check_control_loops(&code).map_err(|problem| ScenarioError {
        place: place.to_string(),
        problem,
    })?;
    Ok(Actor {
        id,
        thread,
        label,
        called,
        process,
        daemon: a.daemon,
        root_frame: a.root_frame.clone(),
        code,
        class: 0,
    })
}
