//! Writes the built-in scenarios without their layout into OUT_DIR for the wasm build to embed
//! (see `src/sim/scenarios.rs`).
#[path = "src/sim/minify.rs"]
mod minify;

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=src/sim/minify.rs");
    for name in ["grpc-shim.json", "template-cache.json"] {
        let path = format!("assets/scenarios/{name}");
        println!("cargo:rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).expect("a built-in scenario file");
        std::fs::write(format!("{out}/{name}"), minify::minify(&text))
            .expect("OUT_DIR is writable");
    }
}
