//! Sets `cfg(no_test_database)` when neither `TEST_DATABASE_URL` nor `CI` is
//! set, so the tests' PostgreSQL variants show as ignored ("needs
//! TEST_DATABASE_URL") instead of passing without running. In CI the cfg is
//! never set: those tests run, and fail without a server.

fn main() {
    println!("cargo:rustc-check-cfg=cfg(no_test_database)");
    println!("cargo:rerun-if-env-changed=TEST_DATABASE_URL");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-changed=build.rs");
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if !set("TEST_DATABASE_URL") && !set("CI") {
        println!("cargo:rustc-cfg=no_test_database");
    }
}
