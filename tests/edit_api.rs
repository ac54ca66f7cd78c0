//! The library edit API: typed round trip, concurrent modification, a crash between the
//! temporary write and the rename, multi-file transactions, encodings kept.

mod fixture_dir;

use fixture_dir::copy_dir;
use iisconf::atomic_file::WriteError;
use iisconf::edit::{CommitOptions, EditError, Transaction};
use iisconf::engine::commit::CommitTarget;
use iisconf::engine::{Hierarchy, Options};
use iisconf::model::AspSession;
use iisconf::schema::Registry;
use iisconf::value::TimeSpan;
use std::path::{Path, PathBuf};

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/edit/applicationHost.config");
    let dst = dir.path().join("applicationHost.config");
    std::fs::copy(src, &dst).unwrap();
    (dir, dst)
}

fn open(apphost: &Path) -> Hierarchy {
    let options = Options {
        apphost: Some(apphost.to_path_buf()),
        ..Options::default()
    };
    Hierarchy::open(Registry::embedded(), &options).unwrap()
}

/// `tx` with session.max of Default Web Site's asp set to `max`, committed to `target`.
fn session_max(mut tx: Transaction, target: CommitTarget, max: &str) -> Transaction {
    tx.set(
        "Default Web Site",
        "system.webServer/asp",
        &target,
        "session.max",
        max,
    )
    .unwrap();
    tx
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("iisconf-tmp"))
        .collect()
}

#[test]
fn typed_asp_session_round_trip() {
    let (dir, apphost) = fixture();
    let h = open(&apphost);
    let mut session = AspSession::from_effective(
        &h.effective("Default Web Site", "system.webServer/asp")
            .unwrap()
            .root,
    )
    .unwrap();
    assert_eq!(session, AspSession::default());
    session.allow_session_state = true;
    session.max = 1000;
    session.timeout = TimeSpan::from_minutes(10).unwrap();
    let mut tx = Transaction::new(h);
    tx.set_attributes(
        "Default Web Site",
        "system.webServer/asp",
        &CommitTarget::AppHost,
        "session",
        &session.to_attributes(),
    )
    .unwrap();
    let written = tx.commit(&CommitOptions::default()).unwrap();
    assert_eq!(written.len(), 1);
    assert!(written[0].backup.as_ref().is_some_and(|b| b.exists()));
    // Read back from disk.
    let h = open(&apphost);
    let back = AspSession::from_effective(
        &h.effective("Default Web Site", "system.webServer/asp")
            .unwrap()
            .root,
    )
    .unwrap();
    assert_eq!(back, session);
    // Other sites keep the defaults.
    let other = AspSession::from_effective(
        &h.effective("Intranet", "system.webServer/asp")
            .unwrap()
            .root,
    )
    .unwrap();
    assert_eq!(other, AspSession::default());
    assert!(h
        .check_sections(&[("system.webServer/asp".to_string(), String::new())])
        .is_empty());
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn a_file_changed_on_disk_since_it_was_read_is_not_overwritten() {
    let (dir, apphost) = fixture();
    let tx = session_max(
        Transaction::new(open(&apphost)),
        CommitTarget::AppHost,
        "10",
    );
    let prepared = tx.prepare().unwrap();
    // Someone else edits the file meanwhile (same length, different bytes).
    let mut other = std::fs::read(&apphost).unwrap();
    let pos = other.windows(7).position(|w| w == b"*:8080:").unwrap();
    other[pos + 2] = b'9';
    std::fs::write(&apphost, &other).unwrap();
    let err = prepared.commit(&CommitOptions::default()).unwrap_err();
    assert!(
        matches!(err, EditError::Write(WriteError::Changed { .. })),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("applicationHost.config") && msg.contains("re-run"),
        "{msg}"
    );
    assert_eq!(std::fs::read(&apphost).unwrap(), other);
    assert!(leftovers(dir.path()).is_empty());
    let backups = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().contains("backup"))
        })
        .count();
    assert_eq!(backups, 0);
}

#[test]
fn temporary_files_left_by_a_killed_writer_do_not_block_the_next_commit() {
    let (dir, apphost) = fixture();
    let tx = session_max(
        Transaction::new(open(&apphost)),
        CommitTarget::AppHost,
        "10",
    );
    let prepared = tx.prepare().unwrap();
    // A writer killed between its temporary write and its rename (process ids above the
    // kernel's pid_max never run) left its file behind, in the old and the new naming.
    for name in [
        ".applicationHost.config.iisconf-tmp-4294967294",
        ".applicationHost.config.iisconf-tmp-4294967294-0",
    ] {
        std::fs::write(dir.path().join(name), b"partial").unwrap();
    }
    let written = prepared
        .commit(&CommitOptions::default().no_backup(true))
        .unwrap();
    assert_eq!(written.len(), 1);
    assert!(std::fs::read_to_string(&apphost)
        .unwrap()
        .contains("<session max=\"10\" />"));
    if std::path::Path::new("/proc/self").exists() {
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
        assert_eq!(written[0].notes.len(), 2, "{:?}", written[0].notes);
    }
}

#[test]
fn a_rejected_edit_in_one_file_writes_nothing_in_any_file() {
    let (dir, apphost) = fixture();
    let site = dir.path().join("inetpub/wwwroot");
    std::fs::create_dir_all(&site).unwrap();
    let original = std::fs::read(&apphost).unwrap();
    let options = Options {
        apphost: Some(apphost.clone()),
        root_maps: vec![("C:\\inetpub".into(), dir.path().join("inetpub"))],
        ..Options::default()
    };
    let h = Hierarchy::open(Registry::embedded(), &options).unwrap();
    let mut tx = Transaction::new(h);
    // Valid on its own: unlock asp for the site and set it in the site's web.config ...
    tx.push(iisconf::edit::Edit {
        path: "Default Web Site".into(),
        section: "system.webServer/asp".into(),
        target: CommitTarget::AppHost,
        change: iisconf::edit::Change::Lock { deny: false },
    });
    // ... but the web.config edit is planned against the hierarchy as read (asp locked).
    tx.set(
        "Default Web Site",
        "system.webServer/asp",
        &CommitTarget::Url,
        "session.max",
        "5",
    )
    .unwrap();
    assert!(tx.prepare().is_err());
    // And a bad value in a second edit stops the first one too.
    let mut tx = session_max(
        Transaction::new(Hierarchy::open(Registry::embedded(), &options).unwrap()),
        CommitTarget::AppHost,
        "5",
    );
    tx.set(
        "Intranet",
        "system.webServer/asp",
        &CommitTarget::AppHost,
        "session.timeout",
        "30s",
    )
    .unwrap();
    let err = tx.commit(&CommitOptions::default()).unwrap_err();
    assert!(err.to_string().contains("granularity"), "{err}");
    assert_eq!(std::fs::read(&apphost).unwrap(), original);
    assert!(!site.join("web.config").exists());
}

#[test]
fn encoding_bom_and_line_endings_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let apphost = dir.path().join("applicationHost.config");
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/edit/applicationHost.config"),
    )
    .unwrap();
    // UTF-16LE with BOM, LF line endings, tab indentation.
    let lf = text.replace("\r\n", "\n").replace("    ", "\t");
    let mut bytes = vec![0xFF, 0xFE];
    for u in lf.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(&apphost, &bytes).unwrap();
    let tx = session_max(Transaction::new(open(&apphost)), CommitTarget::AppHost, "7");
    tx.commit(&CommitOptions::default().no_backup(true))
        .unwrap();
    let out = std::fs::read(&apphost).unwrap();
    assert_eq!(&out[..2], &[0xFF, 0xFE]);
    let units: Vec<u16> = out[2..]
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let decoded = String::from_utf16(&units).unwrap();
    assert!(!decoded.contains('\r'));
    assert!(decoded.contains(
        "\t<location path=\"Default Web Site\">\n\t\t<system.webServer>\n\t\t\t<asp>\n\t\t\t\t<session max=\"7\" />\n"
    ), "{decoded}");
    assert_eq!(decoded.replace("\t<location path=\"Default Web Site\">\n\t\t<system.webServer>\n\t\t\t<asp>\n\t\t\t\t<session max=\"7\" />\n\t\t\t</asp>\n\t\t</system.webServer>\n\t</location>\n\n", ""), lf);
    // No backup was asked for.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn backups_go_to_the_backup_folder() {
    let (dir, apphost) = fixture();
    let backups = dir.path().join("history");
    let tx = session_max(Transaction::new(open(&apphost)), CommitTarget::AppHost, "7");
    let written = tx
        .commit(&CommitOptions::default().backup_dir(&backups))
        .unwrap();
    let backup = written[0].backup.clone().unwrap();
    assert_eq!(backup.parent().unwrap(), backups);
    assert!(backup
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("applicationHost.config.iisconf-backup-"));
}

/// Every value of an effective element, as `path/name=value` lines (provenance left out:
/// an edited document has no line numbers for what the edit wrote).
fn values(e: &iisconf::engine::EffectiveElement, prefix: &str, out: &mut Vec<String>) {
    let here = format!("{prefix}/{}", e.name);
    for a in &e.attributes {
        out.push(format!("{here}@{}={}", a.name, a.value));
    }
    for c in &e.children {
        values(c, &here, out);
    }
    for (i, entry) in e.entries.iter().enumerate() {
        values(&entry.element, &format!("{here}[{i}]"), out);
    }
}

/// What a hierarchy says: every value of three sections at every level, and the rules'
/// findings (rule and message, without line numbers).
fn state_of(h: &Hierarchy) -> Vec<String> {
    let mut out = Vec::new();
    for path in [
        "",
        "Default Web Site",
        "Default Web Site/shop",
        "Intranet",
        "Extranet",
    ] {
        for section in [
            "system.webServer/asp",
            "system.applicationHost/applicationPools",
            "system.applicationHost/sites",
        ] {
            match h.effective(path, section) {
                Ok(e) => values(&e.root, &format!("{path}|{section}"), &mut out),
                Err(e) => out.push(format!("{path}|{section}: {e}")),
            }
        }
    }
    for f in h.check() {
        let message: String = f.message.chars().filter(|c| !c.is_ascii_digit()).collect();
        out.push(format!("{} {message}", f.rule.id()));
    }
    out.sort();
    out
}

/// A hierarchy edited in place (its derived structure brought up to date from what the
/// edits added) says the same as the edited text read from scratch.
#[test]
fn an_edited_hierarchy_matches_its_text_read_again() {
    use iisconf::edit::{Change, Edit, Step};
    let el = |names: &[&str]| -> Vec<Step> {
        names.iter().map(|n| Step::Element(n.to_string())).collect()
    };
    let edit = |path: &str, section: &str, change: Change| Edit {
        path: path.into(),
        section: section.into(),
        target: CommitTarget::AppHost,
        change,
    };
    let set = |element: Vec<Step>, attribute: &str, value: &str| Change::Set {
        element,
        attribute: attribute.into(),
        value: value.into(),
    };
    const ASP: &str = "system.webServer/asp";
    const POOLS: &str = "system.applicationHost/applicationPools";
    const SITES: &str = "system.applicationHost/sites";
    let edits: Vec<Vec<Edit>> = vec![
        // A new section in an existing location tag.
        vec![edit("Intranet", ASP, set(el(&["session"]), "max", "7"))],
        // A new location tag, then a second edit in it.
        vec![
            edit(
                "Default Web Site/shop",
                ASP,
                set(el(&["session"]), "timeout", "00:05:00"),
            ),
            edit(
                "Default Web Site/shop",
                ASP,
                set(el(&["limits"]), "scriptTimeout", "00:00:30"),
            ),
        ],
        // Collection entries added and removed at the server level.
        vec![
            edit(
                "",
                POOLS,
                Change::Add {
                    element: vec![],
                    attributes: vec![("name".into(), "Shop".into())],
                },
            ),
            edit(
                "",
                POOLS,
                Change::Remove {
                    element: vec![],
                    key: vec![("name".into(), "DefaultAppPool".into())],
                },
            ),
        ],
        // A site renamed, and a section locked for a path.
        vec![
            edit(
                "",
                SITES,
                set(
                    iisconf::edit::parse_steps("[name='Intranet']").unwrap(),
                    "name",
                    "Extranet",
                ),
            ),
            edit("Default Web Site", ASP, Change::Lock { deny: true }),
        ],
    ];
    for (i, batch) in edits.into_iter().enumerate() {
        let (_dir, apphost) = fixture();
        let mut tx = Transaction::new(open(&apphost));
        for edit in batch {
            tx.push(edit);
        }
        let prepared = tx.prepare().unwrap_or_else(|e| panic!("batch {i}: {e}"));
        let edited = prepared.hierarchy();
        let text = edited.files()[0].doc.to_text();
        let fresh = Hierarchy::from_apphost(
            Registry::embedded(),
            iisconf::config::ConfigFile::from_document(
                &edited.files()[0].name,
                iisconf::xml::Document::parse_str(&text).unwrap(),
            ),
            &Options::default(),
        );
        assert_eq!(
            state_of(edited),
            state_of(&fresh),
            "batch {i}, edited text:\n{text}"
        );
    }
}

/// One folder read at two virtual paths (fixtures/scenarios/one_folder_two_virtual_paths:
/// wwwroot is the root of 默认网站 and of Δεύτερος): one transaction that edits its
/// web.config through both paths sees each edit at both paths and writes the file once,
/// with both edits.
#[test]
fn a_folder_at_two_virtual_paths_keeps_both_edits_of_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/scenarios/one_folder_two_virtual_paths");
    copy_dir(&src, dir.path());
    let options = Options {
        apphost: Some(dir.path().join("applicationHost.config")),
        root_maps: vec![("C:\\inetpub".into(), dir.path().join("inetpub"))],
        ..Options::default()
    };
    let h = Hierarchy::open(Registry::embedded(), &options).unwrap();
    let mut tx = Transaction::new(h);
    tx.set(
        "默认网站",
        "system.webServer/directoryBrowse",
        &CommitTarget::Site,
        "enabled",
        "true",
    )
    .unwrap();
    tx.set(
        "Δεύτερος",
        "system.webServer/httpErrors",
        &CommitTarget::Site,
        "errorMode",
        "Detailed",
    )
    .unwrap();
    let prepared = tx.prepare().unwrap();
    // Each edit is seen at both virtual paths before anything is written.
    let value = |path: &str, section: &str, attribute: &str| {
        let effective = prepared.hierarchy().effective(path, section).unwrap();
        effective.root.attribute(attribute).map(|a| a.value.clone())
    };
    for site in ["默认网站", "Δεύτερος"] {
        assert_eq!(
            value(site, "system.webServer/directoryBrowse", "enabled").as_deref(),
            Some("true"),
            "{site}"
        );
        assert_eq!(
            value(site, "system.webServer/httpErrors", "errorMode").as_deref(),
            Some("Detailed"),
            "{site}"
        );
    }
    let written = prepared.commit(&CommitOptions::default()).unwrap();
    let web_config = dir.path().join("inetpub/wwwroot/web.config");
    let text = std::fs::read_to_string(&web_config).unwrap();
    assert!(
        text.contains("<directoryBrowse enabled=\"true\" />"),
        "{text}"
    );
    assert!(text.contains("errorMode=\"Detailed\""), "{text}");
    assert_eq!(
        written.iter().filter(|w| w.path == web_config).count(),
        1,
        "the file is written once"
    );
}
