//! The library's errors are typed: `anyhow` belongs to the binary's edge
//! (`main.rs` and the command modules it declares), never to a module of
//! `arena/src/lib.rs`, whose callers (the server, workers, tests) match on
//! what failed.

use crate::util::repo;

/// The modules `lib.rs` declares (`pub mod x;`).
fn library_modules() -> Vec<String> {
    let lib = std::fs::read_to_string(repo("arena/src/lib.rs")).expect("read lib.rs");
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .filter_map(|l| l.strip_suffix(';'))
        .map(str::to_owned)
        .collect()
}

/// Every `.rs` file under `path` (or `path` itself).
fn rust_files(path: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("read dir").flatten() {
            rust_files(&entry.path(), out);
        }
    } else if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn no_library_module_uses_anyhow() {
    let modules = library_modules();
    assert!(modules.len() >= 10, "lib.rs lists {modules:?}");
    let src = repo("arena/src");
    let mut files = Vec::new();
    for m in &modules {
        rust_files(&src.join(format!("{m}.rs")), &mut files);
        rust_files(&src.join(m), &mut files);
    }
    assert!(files.len() > 40, "found only {} library files", files.len());
    let offenders: Vec<String> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).expect("read source");
            text.lines()
                .enumerate()
                .filter(|(_, l)| {
                    let code = l.split("//").next().unwrap_or("");
                    code.contains("anyhow::") || code.contains("anyhow!")
                })
                .map(|(i, l)| format!("{}:{}: {}", f.display(), i + 1, l.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "anyhow in the library (give the module a thiserror enum; anyhow belongs in main.rs and cli/):\n{}",
        offenders.join("\n")
    );
}
