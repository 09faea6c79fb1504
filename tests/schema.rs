//! The committed JSON Schemas (docs/schema/) and OpenAPI document
//! (docs/openapi.json) against the types they are generated from, and the
//! OpenAPI document against the routes `arena serve` has and serves.

use crate::server::Server;
use crate::util::repo;

const REGENERATE: &str = "regenerate them with `cargo run -p arena -- schema --out docs`";

#[test]
fn committed_schemas_are_the_types_schemas() {
    let docs = repo("docs");
    let mut stale = Vec::new();
    let documents = arena::server::schema::documents();
    for d in &documents {
        let path = docs.join(&d.path);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == d.text => {}
            Ok(_) => stale.push(format!("{} differs from the types", d.path)),
            Err(e) => stale.push(format!("{}: {e}", d.path)),
        }
    }
    // A schema whose type is gone must go too.
    for entry in std::fs::read_dir(docs.join("schema"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = format!("schema/{}", entry.file_name().to_string_lossy());
        if !documents.iter().any(|d| d.path == name) {
            stale.push(format!("{name} is no type's schema"));
        }
    }
    assert!(stale.is_empty(), "{}; {REGENERATE}", stale.join("; "));
}

#[test]
fn openapi_documents_every_api_route() {
    let doc = arena::server::schema::openapi();
    let paths = doc["paths"].as_object().expect("paths");
    let router = std::fs::read_to_string(repo("arena/src/server/mod.rs")).expect("router");
    let routes: Vec<&str> = router
        .split(".route(\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .filter(|r| r.starts_with("/api/") || *r == "/ws")
        .collect();
    assert!(routes.len() >= 12, "{routes:?}");
    for r in &routes {
        assert!(
            paths.contains_key(*r),
            "{r} is routed but not in the OpenAPI document"
        );
    }
    for p in paths.keys() {
        assert!(
            routes.contains(&p.as_str()),
            "{p} is documented but not routed"
        );
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = r.split('"').next().unwrap_or_default();
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "dangling $ref {name}"
        );
    }
}

#[test]
fn serve_serves_its_openapi_document() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("openapi-{}", std::process::id()));
    let server = Server::start(&dir.join("data"));
    let (status, doc) = server.get("/api/openapi.json");
    assert_eq!(status, 200);
    assert_eq!(doc, arena::server::schema::openapi());
    assert_eq!(doc["openapi"], "3.1.0");
}
