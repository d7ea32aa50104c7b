//! The explorer's verdict in words: a fix-matrix cell's short label and the outcome banner's
//! sentence, both built from what the explorer found (the UI only shows them).
use super::explore::{MatrixCell, Trouble, Verdict};

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
