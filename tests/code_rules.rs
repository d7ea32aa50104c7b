//! Rules of the code that a reader should not have to remember: each is checked here on the
//! source text, so a slip fails `make test` with a file and a line instead of a review comment.
use std::path::{Path, PathBuf};

const MAX_WIDTH: usize = 100;
const MAX_FN_LINES: usize = 60;
/// A function may stay longer when a comment just above it says why it reads better whole.
const LONG_FN_REASON: &str = "reads better whole";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn sources(under: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    rust_files(&root().join(under), &mut files);
    assert!(
        files.len() >= 3,
        "found only {} files under {under}",
        files.len()
    );
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
            let name = p.strip_prefix(root()).unwrap_or(&p).display().to_string();
            (name, text)
        })
        .collect()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Line numbers (1-based) inside items marked `#[rustfmt::skip]`: from the attribute to the
/// line at its indentation that closes the item.
fn skipped_lines(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        if let Some(i) = open {
            out.push(n + 1);
            let t = line.trim_start();
            if indent(line) == i && (t.starts_with('}') || t.starts_with(']')) {
                open = None;
            }
        } else if line.trim_start().starts_with("#[rustfmt::skip]") {
            open = Some(indent(line));
            out.push(n + 1);
        }
    }
    out
}

fn long_lines(text: &str) -> Vec<usize> {
    let skipped = skipped_lines(text);
    let long = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.chars().count() > MAX_WIDTH);
    long.map(|(n, _)| n + 1)
        .filter(|n| !skipped.contains(n))
        .collect()
}

fn is_fn_start(line: &str) -> bool {
    let mut t = line.trim_start();
    if let Some(rest) = t.strip_prefix("pub(") {
        t = rest.split_once(") ").map_or(rest, |(_, after)| after);
    }
    for qualifier in ["pub ", "const ", "async ", "unsafe "] {
        t = t.strip_prefix(qualifier).unwrap_or(t);
    }
    t.starts_with("fn ") && !t.trim_end().ends_with(';')
}

/// Functions longer than the limit, as (first line, length), unless a comment in the three
/// lines above says why the function reads better whole.
fn long_functions(text: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        if !is_fn_start(line) || line.trim_end().ends_with('}') {
            continue;
        }
        let i = indent(line);
        let end = lines[start + 1..]
            .iter()
            .position(|l| indent(l) == i && l.trim_start().starts_with('}'))
            .map(|k| start + 1 + k);
        let Some(end) = end else { continue };
        let length = end - start + 1;
        let above = &lines[start.saturating_sub(3)..start];
        let excused = above.iter().any(|l| l.contains(LONG_FN_REASON));
        if length > MAX_FN_LINES && !excused {
            out.push((start + 1, length));
        }
    }
    out
}

#[test]
fn the_checks_find_what_they_look_for() {
    let wide = format!("fn a() {{}}\n// {}\n", "x".repeat(MAX_WIDTH));
    assert_eq!(long_lines(&wide), [2]);
    let table = format!(
        "#[rustfmt::skip]\nconst T: [u8; 1] = [\n    {}\n];\n",
        "1".repeat(120)
    );
    assert!(long_lines(&table).is_empty());
    let body = "    x();\n".repeat(MAX_FN_LINES);
    let long = format!("pub fn f() {{\n{body}}}\n");
    assert_eq!(long_functions(&long), [(1, MAX_FN_LINES + 2)]);
    let excused = format!("// One match over every op: it {LONG_FN_REASON}.\n{long}");
    assert!(long_functions(&excused).is_empty());
    let scoped = format!("    pub(super) async fn h() {{\n{body}    }}\n");
    assert_eq!(long_functions(&scoped), [(1, MAX_FN_LINES + 2)]);
    let short = "fn g() {\n    y();\n}\n";
    assert!(long_functions(short).is_empty());
}

#[test]
fn no_line_in_src_is_wider_than_rustfmt_allows() {
    let problems: Vec<String> = sources("src")
        .iter()
        .flat_map(|(name, text)| {
            long_lines(text)
                .into_iter()
                .map(move |n| format!("{name}:{n}"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "lines over {MAX_WIDTH} characters (wrap comments, strings and view! bodies by hand):\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_function_in_src_fits_on_a_screen() {
    let problems: Vec<String> = sources("src")
        .iter()
        .flat_map(|(name, text)| {
            let found = long_functions(text).into_iter();
            found.map(move |(n, len)| format!("{name}:{n}: {len} lines"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them, or say above one why it \
         {LONG_FN_REASON}):\n{}",
        problems.join("\n")
    );
}

/// Code the wasm would carry for little use: each entry is a text that must not appear in the
/// files under a folder, with the reason and what to use instead.
const SIZE_RULES: [(&str, &str, &str); 6] = [
    (
        "src",
        ".to_uppercase(",
        "Unicode case tables; use to_ascii_uppercase",
    ),
    (
        "src",
        ".to_lowercase(",
        "Unicode case tables; use to_ascii_lowercase",
    ),
    (
        "src",
        "serde_json",
        "the scenario reader is sim::json; serde_json is for tests",
    ),
    (
        "src/ui",
        ".clamp(",
        "f64::clamp formats its bounds on failure; use max and min",
    ),
    (
        "src/ui",
        "BTreeMap",
        "each map type adds its own code; use a short keyed Vec",
    ),
    (
        "src/ui",
        "HashMap",
        "each map type adds its own code; use a short keyed Vec",
    ),
];

#[test]
fn the_wasm_carries_no_case_tables_float_clamps_or_extra_map_types() {
    let mut problems = Vec::new();
    for (under, text, why) in SIZE_RULES {
        for (name, source) in sources(under) {
            for (n, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                if code.contains(text) {
                    problems.push(format!("{name}:{}: `{text}`: {why}", n + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
