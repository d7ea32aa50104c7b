//! The explorer's verdict in words: a fix-matrix cell's short label and the outcome banner's
//! sentence, both built from what the explorer found (the UI only shows them).
use super::explore::{MatrixCell, Trouble, Verdict};
use super::spec::Switch;

impl MatrixCell {
    /// What goes wrong, as a verb phrase after "can" / "always": "deadlock", "deadlock (step
    /// 24), then the timer kills the process (step 30)", "crash", "stall".
    fn trouble_words(&self) -> String {
        let e = &self.exploration;
        let crash = e.shortest(Trouble::Crash).map(<[_]>::len);
        match (self.crash_after_cycle, crash) {
            _ if e.found(Trouble::Deadlock) => "deadlock".into(),
            (Some(closed), Some(killed)) => format!(
                "deadlock (step {closed}), then the timer kills the process (step {killed})"
            ),
            (None, Some(_)) => "crash".into(),
            _ => "stall".into(),
        }
    }

    /// The cell's CSS class and its label in the fix matrix.
    pub fn label(&self) -> (&'static str, String) {
        let e = &self.exploration;
        match e.verdict {
            Verdict::Safe if e.recovered_ends > 0 && e.found(Trouble::TimedDeadlock) => {
                ("recovers", "↺ recovers; some requests fail".into())
            }
            Verdict::Safe if e.recovered_ends > 0 => {
                ("recovers", "✓ no hang; some requests fail".into())
            }
            Verdict::Safe => ("safe", "✓ never goes wrong".into()),
            Verdict::Possible => ("possible", format!("⚠ can {}", self.trouble_words())),
            Verdict::Always => ("always", format!("✖ always: {}", self.trouble_words())),
            Verdict::Unknown => {
                let text = format!(
                    "? no trouble in the first {} states (every schedule of up to {} steps); \
                     not finished",
                    e.states, e.depth
                );
                ("unknown", text)
            }
        }
    }

    /// The explorer's verdict as the outcome banner says it, pointing at an example of each
    /// way a run can end where some go wrong and others do not.
    pub fn sentence(&self) -> String {
        let e = &self.exploration;
        let states = e.states;
        let good = match &self.good_end {
            Some(t) => format!("others finish (the shortest in {} steps)", t.len()),
            None => "others finish".into(),
        };
        let crash = e.shortest(Trouble::Crash).map(<[_]>::len);
        match e.verdict {
            Verdict::Safe if e.recovered_ends > 0 && e.found(Trouble::TimedDeadlock) => format!(
                "Explorer: no interleaving deadlocks for good ({states} states checked), \
                 though timeouts fail some requests."
            ),
            Verdict::Safe if e.recovered_ends > 0 => format!(
                "Explorer: no interleaving hangs ({states} states checked), though some \
                 requests fail."
            ),
            Verdict::Safe => format!(
                "Explorer: no interleaving of these settings deadlocks, crashes or stalls \
                 ({states} states checked)."
            ),
            Verdict::Possible => {
                let bad = match (self.crash_after_cycle, crash) {
                    _ if e.found(Trouble::Deadlock) => format!(
                        "some deadlock for good (the shortest in {} steps)",
                        e.shortest(Trouble::Deadlock).map_or(0, <[_]>::len)
                    ),
                    (Some(closed), Some(killed)) => format!(
                        "some deadlock (the cycle closes at step {closed} at the earliest) and \
                         then the timer kills the process (step {killed})"
                    ),
                    (None, Some(killed)) => {
                        format!("some end in a crash (the shortest in {killed} steps)")
                    }
                    _ => "some stall".into(),
                };
                format!(
                    "Explorer: of every interleaving ({states} states checked), {bad}, and {good}."
                )
            }
            Verdict::Always => format!(
                "Explorer: every interleaving goes wrong ({states} states checked): they {}.",
                self.trouble_words()
            ),
            Verdict::Unknown => format!(
                "Explorer: no trouble in the first {states} states (every schedule of up to {} \
                 steps); it paused there, so the answer is not known yet.",
                e.depth
            ),
        }
    }
}

/// The whole matrix in a sentence, once every cell is decided, when no combination keeps every
/// run out of trouble: which of them never take the process down (something may still stay
/// stuck) and which can. Empty otherwise (the rows say it).
pub fn matrix_summary(cells: &[MatrixCell], switches: &[Switch]) -> String {
    let decided = cells.iter().all(|c| c.exploration.complete);
    if !decided || cells.iter().any(|c| c.exploration.verdict == Verdict::Safe) {
        return String::new();
    }
    // The names of the combinations that stay up, then of those that can go down.
    let mut lists = [String::new(), String::new()];
    for c in cells {
        let list = &mut lists[c.exploration.found(Trouble::Crash) as usize];
        if !list.is_empty() {
            list.push_str("; ");
        }
        let start = list.len();
        for (sw, _) in switches.iter().zip(&c.switches).filter(|(_, on)| **on) {
            if list.len() > start {
                list.push_str(" + ");
            }
            list.push_str(&sw.label);
        }
        if list.len() == start {
            list.push_str("all switches off");
        }
    }
    let [up, down] = lists;
    let rest = match (up.is_empty(), down.is_empty()) {
        (true, _) => " Every one can take the process down.".into(),
        (false, true) => " None takes the process down, though something stays stuck.".into(),
        _ => format!(
            " The process stays up (something still stuck) with: {up}. It can be taken down \
             with: {down}."
        ),
    };
    "No combination of these switches keeps every run out of trouble here.".to_string() + &rest
}
