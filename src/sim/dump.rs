//! Thread dumps derived from state: jstack-like for JVM threads, goroutine dumps for Go,
//! gdb-like for the C process. Frames come from the `call` blocks around each operation.
use super::config::*;
use super::model::*;
use super::narrate::fmt_time;

impl Config {
    /// The stack of actor `a`, innermost frame first (the operation's own frame on top).
    pub fn stack(&self, s: &State, a: usize) -> Vec<String> {
        let act = &self.actors[a];
        let ins = &act.code[s.actors[a].pc as usize];
        let mut frames: Vec<String> = ins
            .frames
            .iter()
            .rev()
            .map(|&f| self.string(f).to_string())
            .collect();
        frames.extend(act.root_frame.clone());
        frames
    }

    /// The full dump of every process at state `s`. A process that exited is shown as it was
    /// when it exited, as Go prints every goroutine when it dies.
    pub fn dump(&self, s: &State) -> String {
        let mut out = String::new();
        let alive = State {
            crash: None,
            ..s.clone()
        };
        for (p, proc_) in self.processes.iter().enumerate() {
            let members: Vec<usize> = (0..self.actors.len())
                .filter(|&a| self.actors[a].process == p)
                .collect();
            if members.is_empty() {
                continue;
            }
            if let Some(c) = self.crashed_process(s, &members) {
                out.push_str(&c);
            }
            out.push_str(&match proc_.kind.as_str() {
                "go" => self.go_dump(
                    &alive,
                    &proc_.label,
                    &members,
                    s.crash.map(|c| c.actor as usize),
                ),
                "jvm" | "store" => self.java_dump(&alive, &proc_.label, &members),
                "c" => self.c_dump(&alive, &proc_.label, &members),
                _ => self.plain_dump(&alive, &proc_.label, &members),
            });
            out.push('\n');
        }
        out
    }

    fn crashed_process(&self, s: &State, members: &[usize]) -> Option<String> {
        let c = s.crash?;
        (self.actors[c.actor as usize].process == self.actors[members[0]].process).then(|| {
            format!(
                "{} exited at {}; its last dump:\n",
                self.processes[self.actors[members[0]].process].label,
                fmt_time(c.at)
            )
        })
    }

    fn held_locks(&self, s: &State, a: usize) -> Vec<usize> {
        (0..self.resources.len())
            .filter(|&r| self.resources[r].kind == ResKind::Lock && self.holder(s, r) == Some(a))
            .collect()
    }

    fn obj(&self, r: usize) -> String {
        let res = &self.resources[r];
        format!(
            "<0x{:04x}> (a {}: {})",
            0x7f00 + r * 0x18,
            res.dump_name.as_deref().unwrap_or("Object"),
            res.label
        )
    }

    fn java_dump(&self, s: &State, label: &str, members: &[usize]) -> String {
        let mut out = format!("=== {label}: full thread dump (jstack style) ===\n");
        for &a in members {
            let act = &self.actors[a];
            let op = self.op(s, a);
            let (state, detail) = match (self.status(s, a), op) {
                (Status::Done, _) => ("TERMINATED", None),
                (Status::Dead, _) => ("TERMINATED", None),
                (Status::Blocked { .. }, Op::Lock { res, .. }) => (
                    "BLOCKED (on object monitor)",
                    Some(format!("- waiting to lock {}", self.obj(*res as usize))),
                ),
                (Status::Blocked { timer: Some(_) }, Op::Await { res, .. }) => (
                    "TIMED_WAITING (parking)",
                    Some(format!("- parking to wait for {}", self.obj(*res as usize))),
                ),
                (Status::Blocked { .. }, Op::Await { res, .. }) => (
                    "WAITING (parking)",
                    Some(format!("- parking to wait for {}", self.obj(*res as usize))),
                ),
                (Status::Blocked { .. }, _) => ("WAITING (parking)", None),
                (Status::Sleeping { .. }, _) => ("TIMED_WAITING (sleeping)", None),
                (Status::Ready, _) => ("RUNNABLE", None),
            };
            out.push_str(&format!(
                "\n\"{}\" #{} prio=5\n   java.lang.Thread.State: {state}\n",
                act.thread,
                20 + a
            ));
            if matches!(state, "TERMINATED") {
                continue;
            }
            for (i, f) in self.stack(s, a).iter().enumerate() {
                out.push_str(&format!("\tat {f}\n"));
                if i == 0 {
                    if let Some(d) = &detail {
                        out.push_str(&format!("\t{d}\n"));
                    }
                }
            }
            for r in self.held_locks(s, a) {
                out.push_str(&format!("\t- locked {}\n", self.obj(r)));
            }
        }
        out
    }

    /// `exiting`: the actor whose error path ended the process; Go shows it as the running
    /// goroutine.
    fn go_dump(&self, s: &State, label: &str, members: &[usize], exiting: Option<usize>) -> String {
        let mut out = format!("=== {label}: goroutine dump ===\n");
        for &a in members {
            let act = &self.actors[a];
            let op = self.op(s, a);
            let waiting = |what: &str| match self.status(s, a) {
                Status::Blocked { timer: Some(t) } if t > 0 => {
                    let since = t.saturating_sub(op.timeout().map_or(0, |x| x.ms));
                    let mins = s.now.saturating_sub(since) / 60_000;
                    if mins > 0 {
                        format!("{what}, {mins} minutes")
                    } else {
                        what.to_string()
                    }
                }
                _ => what.to_string(),
            };
            let state = match (self.status(s, a), op) {
                _ if exiting == Some(a) => "running".to_string(),
                (Status::Done, _) | (Status::Dead, _) => "dead".to_string(),
                (Status::Ready, _) => "runnable".to_string(),
                (Status::Sleeping { .. }, _) => "sleep".to_string(),
                (Status::Blocked { .. }, Op::Select { .. }) => waiting("select"),
                (Status::Blocked { .. }, Op::Send { .. }) => waiting("chan send"),
                (Status::Blocked { .. }, Op::Recv { .. }) => waiting("chan receive"),
                (Status::Blocked { .. }, Op::Lock { .. }) => waiting("sync.Mutex.Lock"),
                (Status::Blocked { .. }, _) => waiting("semacquire"),
            };
            let name = act.thread.strip_prefix("goroutine ").unwrap_or(&act.thread);
            out.push_str(&format!("\ngoroutine {name} [{state}]:\n"));
            if state == "dead" {
                continue;
            }
            for f in self.stack(s, a) {
                let pkg = f.split('.').next().unwrap_or("main");
                out.push_str(&format!("{f}(...)\n\t{pkg}/{pkg}.go\n"));
            }
        }
        out
    }

    fn c_dump(&self, s: &State, label: &str, members: &[usize]) -> String {
        let mut out = format!("=== {label}: gdb \"thread apply all bt\" ===\n");
        for &a in members {
            let act = &self.actors[a];
            let state = match self.status(s, a) {
                Status::Blocked { .. } => match self.op(s, a) {
                    Op::Send { res, .. } => {
                        format!("blocked: {} is full", self.res_label(*res as usize))
                    }
                    Op::Recv { res, .. } => {
                        format!("idle: {} is empty", self.res_label(*res as usize))
                    }
                    _ => "blocked".into(),
                },
                Status::Ready => "running".into(),
                Status::Sleeping { .. } => "sleeping".into(),
                Status::Done | Status::Dead => "exited".into(),
            };
            out.push_str(&format!("\n{} \"{}\" ({state}):\n", act.thread, act.label));
            for (i, f) in self.stack(s, a).iter().enumerate() {
                out.push_str(&format!("#{i}  {f} ()\n"));
            }
        }
        out
    }

    fn plain_dump(&self, s: &State, label: &str, members: &[usize]) -> String {
        let mut out = format!("=== {label} ===\n");
        for &a in members {
            let state = match self.status(s, a) {
                Status::Done => "finished".to_string(),
                Status::Dead => "gone".to_string(),
                Status::Ready => "ready".to_string(),
                Status::Sleeping { until } => format!("busy until {}", fmt_time(until)),
                Status::Blocked { .. } => self.blocked_on(s, a).unwrap_or_else(|| "blocked".into()),
            };
            out.push_str(&format!("{}: {state}\n", self.actors[a].thread));
        }
        out
    }
}
