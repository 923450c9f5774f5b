// The `src/main.rs` of the scratch project `target/bench/progenitor-gen`, written there by
// `cargo xtask bench` (it is not a module of xtask). It runs progenitor the way progenitor's
// README shows for build scripts, and prints the seconds spent from reading the document to
// holding the formatted code, which is what our generator's time covers too.

use std::time::Instant;

fn main() {
    if let Err(err) = run() {
        eprintln!("progenitor-gen: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = args.as_slice() else {
        return Err("usage: progenitor-gen SPEC.json OUT.rs".into());
    };
    let start = Instant::now();
    let text = std::fs::read_to_string(input).map_err(|e| format!("cannot read {input}: {e}"))?;
    let spec: openapiv3::OpenAPI = serde_json::from_str(&text)
        .map_err(|e| format!("{input} is not an OpenAPI 3.0 document: {e}"))?;
    let mut generator = progenitor::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|e| format!("progenitor rejects {input}: {e}"))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| format!("progenitor's output does not parse: {e}"))?;
    let code = prettyplease::unparse(&file);
    let seconds = start.elapsed().as_secs_f64();
    std::fs::write(output, code).map_err(|e| format!("cannot write {output}: {e}"))?;
    println!("{seconds}");
    Ok(())
}
