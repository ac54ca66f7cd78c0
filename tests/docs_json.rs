//! `iisconf docs --format json`: the schema model with its documented top-level shape.

mod docs_common;
mod shared;

use docs_common::export;

#[test]
fn json_export_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    export("json", dir.path(), &[]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("schema.json")).unwrap())
            .unwrap();
    assert_eq!(v["format"], "iisconf-schema");
    assert_eq!(v["formatVersion"], 1);
    assert!(v["generator"].as_str().unwrap().starts_with("iisconf "));
    assert!(v["files"].as_array().unwrap().len() >= 2);
    assert!(v["warnings"].is_array());
    let sections = v["sections"].as_array().unwrap();
    let asp = sections
        .iter()
        .find(|s| s["name"] == "system.webServer/asp")
        .unwrap();
    assert_eq!(asp["declaration"]["overrideModeDefault"], "Deny");
    let session = asp["root"]["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "session")
        .unwrap();
    let timeout = session["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "timeout")
        .unwrap();
    assert_eq!(timeout["type"], "TimeSpan");
    assert_eq!(timeout["defaultValue"], "00:20:00");
    assert_eq!(timeout["validationParameter"], "0,31536000,60");
    assert!(v["descriptions"]["system.webServer/asp/session@timeout"]
        .as_str()
        .unwrap()
        .contains("00:20:00"));
    assert!(v["descriptions"]
        ["system.applicationHost/sites/site/ftpServer/sessions/session#Terminate"]
        .is_string());
}
