//! The simulation core stays pure: no file under `src/sim/` mentions a browser or UI crate, a
//! clock or randomness, not even in a comment. (Comments are not exempt on purpose: a mention is
//! the first step to a dependency, and "nothing here uses X" can be said without naming X.)
use std::path::{Path, PathBuf};

/// Words that must not appear, matched whole (not inside a longer identifier), ignoring case.
const FORBIDDEN: [&str; 11] = [
    "leptos",
    "web_sys",
    "js_sys",
    "wasm_bindgen",
    "gloo",
    "std::time",
    "Instant",
    "SystemTime",
    "rand",
    "thread_rng",
    "getrandom",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn is_ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Every whole-word occurrence of `word` in `text` (case-insensitive), as (line, column).
fn find_word(text: &str, word: &str) -> Vec<(usize, usize)> {
    let (hay, needle) = (text.to_ascii_lowercase(), word.to_ascii_lowercase());
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = hay[from..].find(&needle) {
        let start = from + k;
        let end = start + needle.len();
        if !is_ident(hay[..start].chars().next_back()) && !is_ident(hay[end..].chars().next()) {
            let line = hay[..start].matches('\n').count() + 1;
            let col = start - hay[..start].rfind('\n').map_or(0, |n| n + 1) + 1;
            out.push((line, col));
        }
        from = start + 1;
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    out
}

#[test]
fn the_matcher_matches_whole_words_only() {
    assert_eq!(find_word("use rand::Rng;", "rand"), [(1, 5)]);
    assert_eq!(
        find_word("a\n  let t = std::time::Instant::now();", "std::time"),
        [(2, 11)]
    );
    assert_eq!(find_word("let t = Instant::now();", "Instant"), [(1, 9)]);
    assert_eq!(find_word("// uses LEPTOS", "leptos"), [(1, 9)]);
    assert!(find_word(
        "randomness, operand, brand, rand_core, instantaneous, grand",
        "rand"
    )
    .is_empty());
    assert!(find_word("instantaneous", "Instant").is_empty());
    assert!(find_word("my_gloo gloo2", "gloo").is_empty());
}

#[test]
fn the_simulation_core_mentions_no_browser_clock_or_randomness() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim");
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(
        all.len() >= 10,
        "found only {} files under {}",
        all.len(),
        root.display()
    );
    // The session layer is pure too: the UI only renders its projections.
    let session = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/session");
    files(&session, &mut all);
    let mut problems = Vec::new();
    for path in &all {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for word in FORBIDDEN {
            for (line, col) in find_word(&text, word) {
                problems.push(format!(
                    "{}:{line}:{col}: mentions `{word}`",
                    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                        .unwrap_or(path)
                        .display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the simulation core must stay pure:\n{}",
        problems.join("\n")
    );
}
