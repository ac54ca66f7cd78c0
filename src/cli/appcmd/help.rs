//! appcmd-style usage for `iisconf appcmd /?`, `iisconf appcmd --help` and
//! `iisconf appcmd VERB config /?`: the three levels of appcmd's own help (tool, object,
//! verb), for the CONFIG object and the SITE, APP, VDIR and APPPOOL objects; with a
//! section (`set config /section:asp /?`), the parameters that section takes.

use iisconf::edit::grammar::appcmd::Verb;
use iisconf::schema::{ElementSchema, SectionSchema};
use std::fmt::Write;

/// The general parameters every verb takes, appcmd's and iisconf's own.
const GENERAL: &str = "\
General parameters:
/?                   Display context-sensitive help message.
/text<:value>        Generate output in text format. /text:* shows all
                     properties in detail view; /text:<attribute> shows the
                     value of that attribute.
/xml                 Generate output in XML format.
/config<:*>          Show configuration; /config:* includes default values.
/commit:<level>      Where to write: url (default), site, app, apphost, or a
                     config path.
/apphostconfig:<f>   applicationHost.config to read and write.

iisconf's own options (anywhere on the line):
--root-map 'C:\\inetpub=DIR'  Map a Windows path prefix to a local folder.
--schema-dir DIR             Load IIS schema files from DIR.
--env NAME=VALUE             A %VARIABLE% for physical paths.
--apphost FILE               Same as /apphostconfig:FILE.
--dry-run                    Print the diff and write nothing.
--backup-dir DIR, --no-backup
--webroot-config FILE        The root web.config, for /commit:webroot.
--machine-config FILE        machine.config, for /commit:machine.
--allow-plaintext-secrets    Write an encrypted-marked value in plain text.
";

/// The usage text for `verb` (`None`: the tool and the CONFIG object).
pub fn usage(verb: Option<&Verb>) -> String {
    let body = match verb {
        Some(Verb::Set) => SET,
        Some(Verb::List) => LIST,
        Some(Verb::Clear) => CLEAR,
        Some(Verb::Lock) => LOCK,
        Some(Verb::Unlock) => UNLOCK,
        Some(Verb::Add) => ADD,
        Some(Verb::Delete) => DELETE,
        Some(Verb::Other(_)) | None => TOOL,
    };
    format!("{body}\n{GENERAL}")
}

/// The parameters `set config` takes for `section`: every attribute as `/path.attr:TYPE`
/// (with its default), and every collection as `/+path.[key='…']`; runtime data is left
/// out (it is never configured in a file).
pub fn section_parameters(section: &SectionSchema) -> String {
    let mut out = format!("Parameters of {}:\n\n", section.name);
    parameters(&mut out, &section.root, "");
    out
}

fn parameters(out: &mut String, elem: &ElementSchema, prefix: &str) {
    for a in elem.attributes.iter().filter(|a| a.extension.is_none()) {
        let default = a
            .default_value
            .as_deref()
            .map(|d| format!(" (default \"{d}\")"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  /{prefix}{}:{}{default}",
            a.name,
            a.kind.schema_name()
        );
    }
    for c in &elem.collections {
        let keys: Vec<String> = c
            .key_attributes()
            .iter()
            .map(|k| format!("{}='…'", k.name))
            .collect();
        let others: Vec<&str> = c
            .entry
            .attributes
            .iter()
            .filter(|a| !a.is_unique_key && !a.is_combined_key && a.extension.is_none())
            .map(|a| a.name.as_str())
            .collect();
        let _ = writeln!(
            out,
            "  /+{prefix}[{}]{}",
            keys.join(","),
            if others.is_empty() {
                String::new()
            } else {
                format!("  (also: {})", others.join(", "))
            }
        );
    }
    for child in elem.elements.iter().filter(|e| e.extension.is_none()) {
        parameters(out, child, &format!("{prefix}{}.", child.name));
    }
}

const TOOL: &str = "\
General purpose IIS command line administration tool (iisconf's appcmd front door).

APPCMD (command) (object-type) <identifier> </parameter1:value1 ...>

Supported object types:

  CONFIG    Administration of general configuration sections
  SITE      Administration of virtual sites
  APP       Administration of applications
  VDIR      Administration of virtual directories
  APPPOOL   Administration of application pools

Supported commands for SITE, APP, VDIR and APPPOOL: list, add, set, delete.
Runtime objects and verbs (WP, REQUEST, start, stop, recycle) need a running
IIS and are refused.

Supported commands for CONFIG:

  list      Show configuration sections
  set       Edit configuration sections
  clear     Clear (remove) configuration sections, elements or attributes
  lock      Lock configuration sections
  unlock    Unlock configuration sections

(To show help for a command use /?, e.g. 'iisconf appcmd set config /?')
";

const ADD: &str = "\
Adds a site, application, virtual directory or application pool.

APPCMD add site /name:<name> [/id:<id>] [/bindings:http/*:80:,...] [/physicalPath:<path>]
APPCMD add app /site.name:<site> /path:/<path> [/physicalPath:<path>] [/applicationPool:<pool>]
APPCMD add vdir /app.name:<site>/<app> /path:/<path> [/physicalPath:<path>]
APPCMD add apppool /name:<name> [/managedRuntimeVersion:v4.0] [/processModel.identityType:...]
APPCMD add site|apppool /in   (appcmd's XML from list ... /config /xml on stdin)

Without /id a site takes the lowest id no site has. /physicalPath creates the
root application and virtual directory. Any other /attribute:value (dotted for
child elements) is written on the new element.
";

const DELETE: &str = "\
Deletes a site, application, virtual directory or application pool.

APPCMD delete site|app|vdir|apppool <identifier>

Examples:

  iisconf appcmd delete site \"Shop\"
  iisconf appcmd delete app \"Shop/api\"
";

const SET: &str = "\
Edits configuration sections, or a site, application, virtual directory or
application pool (APPCMD set site <identifier> /attribute:value,
/+bindings.[protocol='https',bindingInformation='*:443:'], /bindings:http/*:80:).

APPCMD set config <identifier> /section:<section> </attribute:value ...>

<identifier>       A config path (\"Default Web Site/app1\",
                   MACHINE/WEBROOT/APPHOST/...) or a URL
                   (http://localhost/app1/), mapped through the sites' bindings.
/section:<name>    The section: system.webServer/asp, or a short name (asp,
                   requestFiltering), in any letter case.
/attr:value        Set an attribute; a dotted path reaches child elements
                   (/session.max:1000) and entries (/files.[value='a'].value:b).
/+path.[a='v',..]  Add a collection entry; [@start,..], [@end,..] or [@N,..]
                   places it.
/-path.[key='v']   Remove a collection entry.
-attr              Delete an attribute at the commit level (--password).
/commit:<level>    url (default), site, app, apphost, or a config path.

Examples:

  iisconf appcmd set config \"Default Web Site\" -section:system.webServer/asp /session.max:\"1000\" /commit:apphost
  iisconf appcmd set config http://localhost/app1/ /section:directoryBrowse /enabled:true /commit:site
  iisconf appcmd set config /section:defaultDocument \"/+files.[@start,value='index.htm']\"
";

const LIST: &str = "\
Shows configuration sections.

APPCMD list config <identifier> [/section:<section>] [/config:*] [/text:*|/text:<attribute>|/xml]

Without /section every section is shown. The default output is the section as
XML; /config:* adds every default value; /text:* prints appcmd's detail view
(CONFIG / CONFIG.SECTION:\"...\" lines); /text:<attribute> prints one value per
section (CONFIG.SECTION, path, or a dotted attribute path such as session.max).

Examples:

  iisconf appcmd list config \"Default Web Site\" -section:asp /config:*
  iisconf appcmd list config \"Default Web Site\" -section:asp /text:session.max
";

const CLEAR: &str = "\
Clears configuration sections, elements or attributes at the commit level.

APPCMD clear config <identifier> /section:<section> [/element.path] [/attribute]

Without a parameter the whole section is removed from the level; a collection
gets its clear directive; an attribute is removed.

Example:

  iisconf appcmd clear config \"Default Web Site\" -section:asp /session.timeout
";

const LOCK: &str = "\
Locks a configuration section for a path: <location path=\"...\"
overrideMode=\"Deny\"> in applicationHost.config.

APPCMD lock config <identifier> /section:<section>

Example:

  iisconf appcmd lock config \"Intranet\" -section:httpErrors
";

const UNLOCK: &str = "\
Unlocks a configuration section for a path: <location path=\"...\"
overrideMode=\"Allow\"> in applicationHost.config.

APPCMD unlock config <identifier> /section:<section>

Example:

  iisconf appcmd unlock config \"Intranet\" -section:httpErrors
";
