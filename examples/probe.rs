use deadlock_lab::sim::*;
fn main() {
    let scs = match scenarios::builtin() {
        Ok(s) => s,
        Err(e) => {
            println!("ERROR {e}");
            return;
        }
    };
    for sc in &scs {
        let st = sc.default_settings();
        let cfg = compile(sc, &st).unwrap();
        let run = guided_run(&cfg);
        println!("== {} : {} steps", sc.id, run.events.len());
        for (i, ev) in run.events.iter().enumerate() {
            let n = cfg.narrate(&run.states[i], ev, &run.states[i + 1]);
            let o = cfg.outcome(&run.states[i + 1]);
            println!(
                "{:2} {:?} | {} | {:?} | {}",
                i + 1,
                ev.choice,
                n.what,
                n.now_waiting,
                match o {
                    Outcome::Deadlocked { .. } => "DEADLOCK",
                    Outcome::Crashed { .. } => "CRASH",
                    Outcome::Running => "",
                    _ => "END",
                }
            );
        }
        let o = cfg.outcome(run.last());
        println!("{:?}", cfg.ending_text(&run.states));
        if let Outcome::Deadlocked { cycle, .. } = &o {
            println!("{}", cfg.explain_cycle(run.last(), cycle));
        }
        println!("{}", cfg.dump(run.last()));
        for cell in fix_matrix(sc, &st.knobs, 1_000_000).unwrap() {
            println!("   {:?} | {}", cell.label(), cell.sentence());
            let e = &cell.exploration;
            println!(
                "{:?} -> {:?} states={} dl={:?} tdl={:?} crash={:?} stall={:?} ends c/r/b={}/{}/{}",
                cell.switches,
                e.verdict,
                e.states,
                e.shortest(Trouble::Deadlock).map(<[_]>::len),
                e.shortest(Trouble::TimedDeadlock).map(<[_]>::len),
                e.shortest(Trouble::Crash).map(<[_]>::len),
                e.shortest(Trouble::Stall).map(<[_]>::len),
                e.completed_ends,
                e.recovered_ends,
                e.bad_ends
            );
        }
    }
}
