//! Control-flow analyses over an actor's flat code, run once when compiling.
use super::instr::{Instr, Op};

/// Successor program counters of an instruction (including timeout paths).
pub fn successors(code: &[Instr], pc: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(2);
    match &code[pc].op {
        Op::End | Op::Exit { .. } => {}
        Op::Jump { to } => out.push(*to as usize),
        Op::LoopTest { exit, .. } => out.extend([pc + 1, *exit as usize]),
        Op::IfMsg { otherwise, .. } | Op::IfFlag { otherwise, .. } => {
            out.extend([pc + 1, *otherwise as usize])
        }
        Op::Select { cases } => out.extend(cases.iter().map(|c| c.target as usize)),
        op => {
            out.push(pc + 1);
            if let Some(t) = op.timeout() {
                out.push(t.handler as usize);
            }
        }
    }
    out
}

/// Control flow alone must not loop: every cycle in the code passes through a visible step.
pub(super) fn check_control_loops(code: &[Instr]) -> Result<(), String> {
    // Colours: 0 unvisited, 1 on stack, 2 done; only control instructions are followed.
    fn dfs(code: &[Instr], pc: usize, colour: &mut [u8]) -> bool {
        if !code[pc].op.is_control() {
            return true;
        }
        match colour[pc] {
            1 => return false,
            2 => return true,
            _ => {}
        }
        colour[pc] = 1;
        for s in successors(code, pc) {
            if !dfs(code, s, colour) {
                return false;
            }
        }
        colour[pc] = 2;
        true
    }
    let mut colour = vec![0u8; code.len()];
    for pc in 0..code.len() {
        if !dfs(code, pc, &mut colour) {
            return Err("a loop with no step in it (it would spin forever)".into());
        }
    }
    Ok(())
}

/// Fills `may_fill` / `may_drain` / `may_set` with what is reachable from each instruction.
pub(super) fn reachability(code: &mut [Instr]) {
    for ins in code.iter_mut() {
        let (f, d, s) = match &ins.op {
            Op::Send { res, .. } => (1u64 << res, 0, 0),
            Op::Recv { res, .. } => (0, 1u64 << res, 0),
            Op::Select { cases } => (0, cases.iter().fold(0, |m, c| m | 1u64 << c.res), 0),
            Op::Set { res } => (0, 0, 1u64 << res),
            _ => (0, 0, 0),
        };
        ins.may_fill = f;
        ins.may_drain = d;
        ins.may_set = s;
    }
    // Propagate backwards to a fixpoint (programs are small).
    loop {
        let mut changed = false;
        for pc in (0..code.len()).rev() {
            let (mut f, mut d, mut s) = (code[pc].may_fill, code[pc].may_drain, code[pc].may_set);
            for n in successors(code, pc) {
                f |= code[n].may_fill;
                d |= code[n].may_drain;
                s |= code[n].may_set;
            }
            let ins = &mut code[pc];
            if (f, d, s) != (ins.may_fill, ins.may_drain, ins.may_set) {
                (ins.may_fill, ins.may_drain, ins.may_set) = (f, d, s);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
