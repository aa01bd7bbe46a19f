//! The Kotlin bindings, generated from the phone library's `.so` by this
//! crate's `uniffi-bindgen`: the leader's path crosses (`Device` and its
//! methods, the sync's progress callback, the errors as exceptions), and
//! no type of the core's internals does.
//!
//! Building this test is also what makes `cargo test --workspace --no-run`
//! build the generator and the `.so` with the test build's features, the
//! ones scripts/kotlin-test.sh runs on the JVM.

use std::path::PathBuf;
use std::process::Command;

/// The phone library's `.so` of this build, beside this test's binary
/// (`target/debug/deps`, where a dependency's `cdylib` is left).
fn library() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let deps = exe.parent().expect("the test's folder");
    std::fs::read_dir(deps)
        .expect("the test's folder")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            name.starts_with("libvisitnotes_mobile") && name.ends_with(".so")
        })
        .max_by_key(|path| path.metadata().and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| panic!("no libvisitnotes_mobile*.so in {}", deps.display()))
}

#[test]
fn the_kotlin_bindings_carry_the_leaders_path_and_no_internals() {
    let out = tempfile::tempdir().unwrap();
    let generated = Command::new(env!("CARGO_BIN_EXE_uniffi-bindgen"))
        .args(["generate", "--library"])
        .arg(library())
        .args(["--language", "kotlin", "--out-dir"])
        .arg(out.path())
        // `cargo metadata` from here finds the library's uniffi.toml.
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let kotlin = std::fs::read_to_string(out.path().join("org/visitnotes/mobile/visitnotes_mobile.kt")).unwrap();
    for api in [
        "open class Device",
        "fun `enroll`(`invite`: kotlin.String, `name`: kotlin.String, `passphrase`: kotlin.String): Enrolment",
        "fun `unlock`(",
        "fun `lock`()",
        "fun `saveNote`(",
        "fun `sync`(`progress`: SyncProgress): SyncSummary",
        "public interface SyncProgress",
        "sealed class VisitnotesException",
    ] {
        assert!(kotlin.contains(api), "the bindings lack {api:?}");
    }
    for internal in ["Session", "ClientError", "SecretString", "Store", "Vault"] {
        assert!(!kotlin.contains(&format!("class {internal}")), "the bindings expose {internal}");
    }
}
