//! appcmd's object verbs, `add`, `set`, `delete` and `list` of SITE, APP, VDIR and APPPOOL,
//! over the library's typed server model: the command line is read into calls of
//! [`ServerManager`], which queues the edits, and one transaction writes them. Runtime-only
//! verbs and objects (`start`, `stop`, `recycle`, `list wp`, `list request`) are refused
//! with what they would need.

use super::super::set::{
    error_code, run_transaction_as, transaction, HierarchyOpts, Voice, WriteOpts,
};
use super::super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use super::objects_list;
use super::{print_error, usage_error, Failure};
use iisconf::edit::grammar::appcmd::{AppcmdCommand, Object, Param, Verb};
use iisconf::edit::grammar::{delete_change, entry_change, set_change};
use iisconf::edit::server::{
    read_appcmd_xml, Binding, NewApplication, NewApplicationPool, NewSite, NewVirtualDirectory,
    ObjectKind, ServerError, ServerManager,
};
use iisconf::edit::Change;
use std::io::Read;

/// Runs a command on an object other than CONFIG.
pub fn run(
    cmd: &AppcmdCommand,
    hierarchy: &HierarchyOpts,
    write: &WriteOpts,
) -> Result<u8, Failure> {
    let kind = match &cmd.object {
        Object::Site => ObjectKind::Site,
        Object::App => ObjectKind::Application,
        Object::Vdir => ObjectKind::VirtualDirectory,
        Object::AppPool => ObjectKind::ApplicationPool,
        Object::Other(other) => return Err(other_object(other, &cmd.verb)),
        Object::Config => return Err(usage_error("the CONFIG object is not an object verb")),
    };
    let verb = match &cmd.verb {
        Verb::Add => "add",
        Verb::Set => "set",
        Verb::Delete => "delete",
        Verb::List => "list",
        Verb::Other(v) if is_runtime_verb(v) => return Err(runtime_verb(v, kind)),
        other => return Err(unsupported_verb(other, kind)),
    };
    if cmd.verb == Verb::List {
        let server = ServerManager::open(hierarchy.try_open()?);
        let text = objects_list::list(&server, kind, cmd).map_err(server_failure)?;
        print!("{text}");
        return Ok(EXIT_OK);
    }
    // Locked from before the read until after the write, as every writing verb is.
    let (_guard, h) = hierarchy.try_open_for_write(write)?;
    let mut server = ServerManager::new(transaction(h, hierarchy, write));
    let done = match cmd.verb {
        Verb::Add => add(&mut server, kind, cmd),
        Verb::Delete => delete(&mut server, kind, cmd),
        _ => set(&mut server, kind, cmd),
    }
    .map_err(server_failure)?;
    let voice = Voice {
        error: print_error,
        unchanged: "the object already has these values",
    };
    let code = run_transaction_as(server.into_transaction(), write, &voice);
    if code == EXIT_OK && !write.dry_run {
        for (kind, name) in done {
            println!("{kind} object \"{name}\" {}", past(verb));
        }
    }
    Ok(code)
}

/// appcmd's word for what was done: `added`, `changed`, `deleted`.
fn past(verb: &str) -> &'static str {
    match verb {
        "add" => "added",
        "delete" => "deleted",
        _ => "changed",
    }
}

/// The objects a command touched, as appcmd reports them.
type Done = Vec<(ObjectKind, String)>;

/// An error of the server model as appcmd prints it, with its exit code: 2 for a command
/// line that cannot be carried out as written (an object that is not there, a malformed
/// binding or path, a missing parameter), 1 for a change the configuration refuses.
pub fn server_failure(e: ServerError) -> Failure {
    let code = match &e {
        // The one rule of every editing command (error_code): a value, name or path that
        // cannot be taken as written is 2, a name that exists is refused by the
        // configuration (1).
        ServerError::NotFound { .. }
        | ServerError::Missing { .. }
        | ServerError::InvalidBinding { .. }
        | ServerError::InvalidPath { .. }
        | ServerError::Value { .. }
        | ServerError::Input(_) => EXIT_USAGE,
        ServerError::Exists { .. } => EXIT_FINDINGS,
        ServerError::Edit(edit) => error_code(edit),
    };
    let message = match &e {
        ServerError::Edit(edit) => super::super::errors::edit_message(edit),
        other => other.to_string(),
    };
    (message, code)
}

/// The identifier of the object a `set` or `delete` names: positional, or
/// `/site.name:`, `/app.name:`, `/vdir.name:`, `/apppool.name:`.
fn identifier(cmd: &AppcmdCommand, kind: ObjectKind) -> Result<String, ServerError> {
    let own = format!("{}.name", kind.appcmd_name());
    cmd.path
        .clone()
        .or_else(|| value_of(cmd, &own))
        .ok_or(ServerError::Missing {
            kind,
            parameter: "identifier",
        })
}

/// The value of parameter `name` (any letter case).
fn value_of(cmd: &AppcmdCommand, name: &str) -> Option<String> {
    cmd.params.iter().find_map(|p| match p {
        Param::Set(n, v) if n.eq_ignore_ascii_case(name) => Some(v.clone()),
        _ => None,
    })
}

/// Whether the command reads appcmd's XML from standard input (`/in` or `-`).
fn reads_input(cmd: &AppcmdCommand) -> bool {
    cmd.params
        .iter()
        .any(|p| matches!(p, Param::Bare(n) if n.is_empty() || n.eq_ignore_ascii_case("in")))
}

fn stdin_text() -> Result<String, ServerError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| ServerError::Input(format!("standard input cannot be read: {e}")))?;
    Ok(text)
}

/// The parameters other than those `taken` (names in lower case), as changes relative
/// to the object's element.
fn changes(cmd: &AppcmdCommand, taken: &[&str]) -> Result<Vec<Change>, ServerError> {
    let syntax = |e: iisconf::edit::grammar::ChangeError| {
        ServerError::Edit(iisconf::edit::EditError::Syntax(e.to_string()))
    };
    let mut out = Vec::new();
    for p in &cmd.params {
        let change = match p {
            Param::Set(n, _) if taken.contains(&n.to_ascii_lowercase().as_str()) => continue,
            Param::Set(n, v) => set_change(n, v).map_err(syntax)?,
            Param::Add(e) => entry_change(e, true).map_err(syntax)?,
            Param::Remove(e) if e.trim_end().ends_with(']') => {
                entry_change(e, false).map_err(syntax)?
            }
            Param::Remove(e) => delete_change(e).map_err(syntax)?,
            Param::Bare(n) if n.is_empty() || n.eq_ignore_ascii_case("in") => continue,
            Param::Bare(n) => {
                return Err(ServerError::Edit(iisconf::edit::EditError::Syntax(
                    format!("/{n} needs a value: /{n}:VALUE"),
                )))
            }
        };
        out.push(change);
    }
    Ok(out)
}

/// `(dotted, value)` of the plain `/name:value` parameters other than those `taken`.
fn attributes(cmd: &AppcmdCommand, taken: &[&str]) -> Vec<(String, String)> {
    cmd.params
        .iter()
        .filter_map(|p| match p {
            Param::Set(n, v) if !taken.contains(&n.to_ascii_lowercase().as_str()) => {
                Some((n.clone(), v.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The `/+…` and `/-…` parameters of an `add`, as changes relative to the new element.
fn entry_params(cmd: &AppcmdCommand) -> Result<Vec<Change>, ServerError> {
    let only_entries = AppcmdCommand {
        params: cmd
            .params
            .iter()
            .filter(|p| matches!(p, Param::Add(_) | Param::Remove(_)))
            .cloned()
            .collect(),
        ..AppcmdCommand::default()
    };
    changes(&only_entries, &[])
}

fn required(
    cmd: &AppcmdCommand,
    kind: ObjectKind,
    parameter: &'static str,
) -> Result<String, ServerError> {
    value_of(cmd, parameter).ok_or(ServerError::Missing { kind, parameter })
}

fn add(
    server: &mut ServerManager,
    kind: ObjectKind,
    cmd: &AppcmdCommand,
) -> Result<Done, ServerError> {
    let mut done = Vec::new();
    if reads_input(cmd) {
        let text = stdin_text()?;
        let (object, element) = match kind {
            ObjectKind::Site => ("SITE", "site"),
            ObjectKind::ApplicationPool => ("APPPOOL", "add"),
            other => {
                return Err(ServerError::Input(format!(
                    "add {} /in is not supported: copy the site it belongs to with list site /config /xml | add site /in",
                    other.appcmd_name().to_ascii_lowercase()
                )))
            }
        };
        for element_read in read_appcmd_xml(&text, object, element)? {
            let name = element_read
                .attribute("name")
                .unwrap_or_default()
                .to_string();
            match kind {
                ObjectKind::Site => server.add_site_element(&element_read)?,
                _ => server.add_application_pool_element(&element_read)?,
            };
            done.push((kind, name));
        }
        return Ok(done);
    }
    match kind {
        ObjectKind::Site => {
            let name = required(cmd, kind, "name")?;
            let mut site = NewSite::new(&name);
            if let Some(id) = value_of(cmd, "id") {
                let id = id.trim().parse().map_err(|_| ServerError::Value {
                    object: format!("SITE \"{name}\""),
                    attribute: "id".into(),
                    value: id.clone(),
                    expected: "uint",
                })?;
                site = site.id(id);
            }
            if let Some(bindings) = value_of(cmd, "bindings") {
                for b in Binding::parse_list(&bindings)? {
                    site = site.binding(b);
                }
            }
            let physical = value_of(cmd, "physicalPath");
            if let Some(p) = &physical {
                site = site.physical_path(p);
            }
            // Scripts also give the root application's pool here, and repeat the name as
            // /site.name (mpab/scripts iis-generate.bat).
            if let Some(pool) = value_of(cmd, "applicationPool") {
                site = site.application_pool(&pool);
            }
            let taken = [
                "name",
                "id",
                "bindings",
                "physicalpath",
                "applicationpool",
                "site.name",
            ];
            for (dotted, value) in attributes(cmd, &taken) {
                site = site.attribute(&dotted, &value);
            }
            server.add_site(site)?;
            for change in entry_params(cmd)? {
                server.change_site(&name, change)?;
            }
            done.push((kind, name.clone()));
            if physical.is_some() {
                done.push((ObjectKind::Application, format!("{name}/")));
                done.push((ObjectKind::VirtualDirectory, format!("{name}/")));
            }
        }
        ObjectKind::Application => {
            let site = required(cmd, kind, "site.name")?;
            let path = required(cmd, kind, "path")?;
            let mut app = NewApplication::new(&path);
            let physical = value_of(cmd, "physicalPath");
            if let Some(p) = &physical {
                app = app.physical_path(p);
            }
            for (dotted, value) in attributes(cmd, &["site.name", "path", "physicalpath"]) {
                app = app.attribute(&dotted, &value);
            }
            server.add_application(&site, app)?;
            for change in entry_params(cmd)? {
                server.change_application(&site, &path, change)?;
            }
            let name = format!("{site}{path}");
            if physical.is_some() {
                done.push((kind, name.clone()));
                done.push((
                    ObjectKind::VirtualDirectory,
                    format!("{}/", name.trim_end_matches('/')),
                ));
            } else {
                done.push((kind, name));
            }
        }
        ObjectKind::VirtualDirectory => {
            let app_name = required(cmd, kind, "app.name")?;
            let path = required(cmd, kind, "path")?;
            let (site, app) = ServerManager::split_application_name(&app_name);
            let mut vdir = NewVirtualDirectory::new(&path);
            if let Some(p) = value_of(cmd, "physicalPath") {
                vdir = vdir.physical_path(&p);
            }
            for (dotted, value) in attributes(cmd, &["app.name", "path", "physicalpath"]) {
                vdir = vdir.attribute(&dotted, &value);
            }
            server.add_virtual_directory(&site, &app, vdir)?;
            let app = app.trim_end_matches('/');
            let name = if path == "/" {
                format!("{site}{app}/")
            } else {
                format!("{site}{app}{path}")
            };
            done.push((kind, name));
        }
        ObjectKind::ApplicationPool => {
            let name = required(cmd, kind, "name")?;
            let mut pool = NewApplicationPool::new(&name);
            for (dotted, value) in attributes(cmd, &["name"]) {
                pool = pool.attribute(&dotted, &value);
            }
            server.add_application_pool(pool)?;
            for change in entry_params(cmd)? {
                server.change_application_pool(&name, change)?;
            }
            done.push((kind, name));
        }
    }
    Ok(done)
}

fn set(
    server: &mut ServerManager,
    kind: ObjectKind,
    cmd: &AppcmdCommand,
) -> Result<Done, ServerError> {
    let id = identifier(cmd, kind)?;
    let own = format!("{}.name", kind.appcmd_name().to_ascii_lowercase());
    let changes = changes(cmd, &[own.as_str(), "bindings"])?;
    let bindings = match (kind, value_of(cmd, "bindings")) {
        (ObjectKind::Site, Some(text)) => Some(Binding::parse_list(&text)?),
        _ => None,
    };
    if changes.is_empty() && bindings.is_none() {
        return Err(ServerError::Edit(iisconf::edit::EditError::Syntax(
            format!(
                "set {} needs at least one /attribute:value",
                kind.appcmd_name().to_ascii_lowercase()
            ),
        )));
    }
    match kind {
        ObjectKind::Site => {
            if let Some(bindings) = &bindings {
                server.set_bindings(&id, bindings)?;
            }
            for change in changes {
                server.change_site(&id, change)?;
            }
        }
        ObjectKind::Application => {
            let (site, path) = ServerManager::split_application_name(&id);
            for change in changes {
                server
                    .change_application(&site, &path, change)
                    .map_err(|e| renamed(e, kind, &id))?;
            }
        }
        ObjectKind::VirtualDirectory => {
            let (site, app, path) = server.split_virtual_directory_name(&id)?;
            for change in changes {
                server.change_virtual_directory(&site, &app, &path, change)?;
            }
        }
        ObjectKind::ApplicationPool => {
            for change in changes {
                server.change_application_pool(&id, change)?;
            }
        }
    }
    Ok(vec![(kind, id)])
}

fn delete(
    server: &mut ServerManager,
    kind: ObjectKind,
    cmd: &AppcmdCommand,
) -> Result<Done, ServerError> {
    let id = identifier(cmd, kind)?;
    match kind {
        ObjectKind::Site => server.delete_site(&id)?,
        ObjectKind::Application => {
            let (site, path) = ServerManager::split_application_name(&id);
            server
                .delete_application(&site, &path)
                .map_err(|e| renamed(e, kind, &id))?
        }
        ObjectKind::VirtualDirectory => {
            let (site, app, path) = server.split_virtual_directory_name(&id)?;
            server.delete_virtual_directory(&site, &app, &path)?
        }
        ObjectKind::ApplicationPool => server.delete_application_pool(&id)?,
    };
    Ok(vec![(kind, id)])
}

/// A not-found error named with the identifier as the command gave it.
fn renamed(e: ServerError, kind: ObjectKind, id: &str) -> ServerError {
    match e {
        ServerError::NotFound { .. } => ServerError::NotFound {
            kind,
            identifier: id.to_string(),
        },
        other => other,
    }
}

/// Verbs that act on a running server.
fn is_runtime_verb(verb: &str) -> bool {
    matches!(verb, "start" | "stop" | "recycle")
}

fn runtime_verb(verb: &str, kind: ObjectKind) -> Failure {
    let advice = match kind {
        ObjectKind::Site => {
            " (to keep a site from starting with the server, set /serverAutoStart:false)"
        }
        ObjectKind::ApplicationPool => {
            " (to keep a pool from starting with the server, set /autoStart:false)"
        }
        _ => "",
    };
    usage_error(format!(
        "{verb} {} acts on a running IIS: it needs the Windows Process Activation Service (WAS) of a live server, and iisconf edits configuration files only{advice}",
        kind.appcmd_name().to_ascii_lowercase()
    ))
}

fn unsupported_verb(verb: &Verb, kind: ObjectKind) -> Failure {
    let name = match verb {
        Verb::Other(v) => v.clone(),
        other => format!("{other:?}").to_ascii_lowercase(),
    };
    usage_error(format!(
        "The verb \"{name}\" is not supported for {} objects: use add, set, delete or list",
        kind.appcmd_name()
    ))
}

/// WP, REQUEST and TRACE are runtime state; MODULE and BACKUP are not taken.
fn other_object(object: &str, verb: &Verb) -> Failure {
    let message = match object {
        "wp" | "wps" | "request" | "requests" | "trace" | "traces" => format!(
            "{} objects are runtime state of a running IIS (worker processes and the requests they serve): listing them needs the Windows Process Activation Service and HTTP.sys of a live server, which no configuration file holds",
            object.trim_end_matches('s').to_ascii_uppercase()
        ),
        other => {
            let verb = match verb {
                Verb::Other(v) => v.clone(),
                v => format!("{v:?}").to_ascii_lowercase(),
            };
            format!(
                "iisconf appcmd takes the objects CONFIG, SITE, APP, VDIR and APPPOOL, not {} (\"{verb} {other}\")",
                other.to_ascii_uppercase()
            )
        }
    };
    usage_error(message)
}
