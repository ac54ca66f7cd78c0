//! Findings: what the rules engine and the linter report, with stable rule ids, severities
//! and exact positions.

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; IIS accepts it.
    Info,
    /// Probably a mistake, or a risk; IIS may accept it.
    Warning,
    /// IIS refuses this configuration (HTTP 500.19 or 503) or the tool cannot read it.
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info`.
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

macro_rules! rules {
    ($( $variant:ident = $id:literal, $name:literal, $severity:ident, $summary:literal, $explain:literal; )*) => {
        /// Every rule, with a stable id (`IIS` + category digit + three digits) and a
        /// kebab-case name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Rule { $( #[doc = concat!("`", $id, "` ", $name, ": see [`Rule::summary`].")] $variant, )* }

        impl Rule {
            /// All rules in id order.
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant, )* ];

            /// The stable id, e.g. `IIS2001`.
            pub fn id(self) -> &'static str { match self { $( Rule::$variant => $id, )* } }

            /// The kebab-case name, e.g. `section-locked`.
            pub fn name(self) -> &'static str { match self { $( Rule::$variant => $name, )* } }

            /// The default severity.
            pub fn default_severity(self) -> Severity { match self { $( Rule::$variant => Severity::$severity, )* } }

            /// One line saying what the rule finds.
            pub fn summary(self) -> &'static str { match self { $( Rule::$variant => $summary, )* } }

            /// A longer explanation with an example.
            pub fn explanation(self) -> &'static str { match self { $( Rule::$variant => $explain, )* } }
        }
    };
}

rules! {
    NotWellFormed = "IIS0001", "not-well-formed", Error,
        "The file is not well-formed XML.",
        "IIS cannot read a configuration file that is not well-formed XML; a broken applicationHost.config takes the whole server offline (HTTP 503), a broken web.config fails every request below it (HTTP 500.19).\n\nExample:\n  <system.webServer>\n    <asp>\n  </system.webServer>   <!-- </asp> missing -->";
    Fragment = "IIS0002", "fragment", Info,
        "The file is a fragment: its root is a section group, a section or an element, not <configuration>.",
        "Documentation samples, snippets and files that hold one section have a place of the schema as their root instead of <configuration>. The file is checked as that place of an applicationHost.config (with the stock declarations), with the same rules and positions; when the root's name fits several places, choose one with --fragment PLACE.\n\nExample:\n  <site name=\"Shop\" id=\"2\">   <!-- checked as system.applicationHost/sites/site -->";
    NotConfiguration = "IIS0003", "not-configuration", Warning,
        "The root element is neither <configuration> nor a place of the IIS schema.",
        "An IIS configuration file has <configuration> as its root; a fragment has a section group, a section or an element of one section. A file with another root (packages.config, a project's own XML) is not read by IIS, so its content is not checked. When the root fits several places of the schema, name one with --fragment PLACE.\n\nExample:\n  <widgets><widget name=\"a\" /></widgets>";
    Transform = "IIS0004", "transform", Error,
        "An XML-Document-Transform (Web.Release.config, applicationHost.xdt) that cannot be applied as written.",
        "A transform file (its root declares the XDT namespace) is applied to the configuration beside it (Web.Release.config to Web.config) or given with --transform, and the result is linted. An unknown transform or locator, arguments a transform does not take, or an XPath that selects no element make Microsoft's engine fail the build; a transform whose locator matches nothing is a warning and changes nothing.\n\nExample:\n  <compilation xdt:Transform=\"RemoveAttribute(debug)\" />   <!-- RemoveAttributes -->";
    UnknownSection = "IIS1001", "unknown-section", Error,
        "A section is used without a declaration and without a schema.",
        "Every section must be declared in <configSections> (of applicationHost.config, machine.config or the web.config itself) and have a schema. IIS answers 500.19 with 0x8007000d for an element it does not recognise.\n\nExample:\n  <configuration>\n    <myFeature enabled=\"true\" />   <!-- no <section name=\"myFeature\"/> anywhere -->";
    MissingSchema = "IIS1002", "missing-schema", Warning,
        "A declared section has no schema loaded (its module may not be installed).",
        "The section is declared but no loaded schema file defines it, so its content cannot be checked. On a server without the module (URL Rewrite, ASP.NET Core Module…) IIS fails with 500.19. Pass --schema-dir with the server's schema folder (%windir%\\system32\\inetsrv\\config\\schema) to check it.\n\nExample:\n  <system.webServer><rewrite>…</rewrite></system.webServer>   <!-- rewrite_schema.xml not loaded -->";
    UnrecognizedElement = "IIS1003", "unrecognized-element", Error,
        "An element the section's schema does not define.",
        "IIS refuses elements its schema does not know (HTTP 500.19, 0x8007000d \"Unrecognized element\").\n\nExample:\n  <asp><sesion max=\"10\" /></asp>   <!-- session misspelled -->";
    UnrecognizedAttribute = "IIS1004", "unrecognized-attribute", Error,
        "An attribute the schema does not define.",
        "IIS refuses attributes its schema does not know (\"Unrecognized attribute\"), unless the schema allows unrecognized attributes for that element.\n\nExample:\n  <session maxSessions=\"10\" />   <!-- the attribute is max -->";
    MissingRequiredAttribute = "IIS1005", "missing-required-attribute", Error,
        "A required attribute is missing.",
        "The schema marks the attribute required=\"true\"; IIS refuses an element without it.\n\nExample:\n  <site id=\"2\" />   <!-- name is required -->";
    InvalidValue = "IIS1006", "invalid-value", Error,
        "A value that is not valid for its type or fails its validation.",
        "Values must parse as their schema type (bool, uint, int, int64, timeSpan, enum, flags) and pass the schema's validation (ranges, granularity, names). IIS reports \"The 'x' attribute is invalid\".\n\nExample:\n  <session max=\"4294967296\" timeout=\"00:00:30\" />   <!-- uint overflow; timeout must be whole minutes -->";
    DuplicateEntry = "IIS1007", "duplicate-collection-entry", Error,
        "A collection entry whose key already exists (locally or inherited).",
        "Adding an entry with a key that is already in the collection fails with 0x800700b7 \"Cannot add duplicate collection entry\" unless the collection allows duplicates. Remove the inherited entry first with <remove>, or drop the duplicate.\n\nExample:\n  <files><add value=\"index.htm\" /><add value=\"INDEX.htm\" /></files>";
    RuntimeData = "IIS1008", "runtime-data-configured", Error,
        "Runtime data (schema extension) written in a configuration file.",
        "Elements and attributes the schema marks with extension= are supplied by the server at run time (for example the live FTP sessions of a site, or a site's state); they can be read and acted on but never configured.\n\nExample:\n  <ftpServer><sessions><session sessionId=\"1\" /></sessions></ftpServer>";
    EncryptedSection = "IIS1009", "encrypted-section", Info,
        "A protected (encrypted) section: its content cannot be checked.",
        "aspnet_regiis -pe and IIS store a protected section as configProtectionProvider=\"…\" with an <EncryptedData> element in the XML Encryption namespace. IIS decrypts it with the named provider when it reads the section; its content cannot be checked, shown or edited without the key.\n\nExample:\n  <connectionStrings configProtectionProvider=\"RsaProtectedConfigurationProvider\">\n    <EncryptedData Type=\"http://www.w3.org/2001/04/xmlenc#Element\" xmlns=\"http://www.w3.org/2001/04/xmlenc#\">…</EncryptedData>\n  </connectionStrings>";
    UnknownProtectionProvider = "IIS1010", "unknown-protection-provider", Error,
        "A protected section names a provider that configProtectedData does not declare.",
        "A protected section is decrypted with the provider its configProtectionProvider names; a provider that the <configProtectedData> section of the hierarchy does not declare (nor .NET's own RsaProtectedConfigurationProvider and DataProtectionConfigurationProvider) cannot decrypt it, and IIS fails to read the section.\n\nExample:\n  <configProtectedData><providers><add name=\"AesProvider\" … /></providers></configProtectedData>\n  <system.webServer><security><authentication><anonymousAuthentication configProtectionProvider=\"MyProvider\">…";
    ConfigSource = "IIS1011", "config-source", Error,
        "A configSource that cannot be read: missing, outside the folder, beside other settings, or with another root.",
        "A section may move its content to another file with configSource=\"file.config\". IIS and .NET read the section from that file, which must be a relative path in the same folder or below (no .., no absolute path), must exist, and whose root element is the section's element; the section element that points to it carries no other attributes or children.\n\nExample:\n  <appSettings configSource=\"..\\shared\\appSettings.config\" />   <!-- outside the folder -->";
    SectionLocked = "IIS2001", "section-locked", Error,
        "A section set at a path where it is locked by a parent level.",
        "This configuration section cannot be used at this path. This happens when the section is locked at a parent level. Locking is either by default (overrideModeDefault=\"Deny\"), or set explicitly by a location tag with overrideMode=\"Deny\" or the legacy allowOverride=\"false\" (0x80070021). Set the value in applicationHost.config inside <location path=\"…\"> (appcmd /commit:apphost, iisconf set --commit apphost), or unlock the section there.\n\nExample (web.config of Default Web Site):\n  <system.webServer><asp><session max=\"1000\" /></asp></system.webServer>";
    LockViolation = "IIS2002", "lock-violation", Error,
        "An attribute, element or collection entry locked at a parent level is changed.",
        "lockAttributes, lockAllAttributesExcept, lockElements, lockAllElementsExcept and lockItem at a parent level forbid changing those parts below it (\"Lock violation\"); lockItem also forbids <remove> of the entry and <clear/> of its collection.\n\nExample:\n  applicationHost.config: <httpErrors lockAttributes=\"defaultPath\" />\n  web.config:             <httpErrors defaultPath=\"C:\\errors\" />";
    AllowDefinition = "IIS2003", "allow-definition", Error,
        "A section set at a level its allowDefinition does not permit.",
        "allowDefinition restricts where a section may be set: MachineOnly, MachineToWebRoot, AppHostOnly (applicationHost.config only), MachineToApplication (server level or an application's root web.config), Everywhere.\n\nExample:\n  a site's web.config setting system.applicationHost/sites (AppHostOnly)";
    AllowLocation = "IIS2004", "allow-location", Error,
        "A section declared allowLocation=\"false\" inside a <location> tag.",
        "Sections declared with allowLocation=\"false\" may not appear inside <location> tags.\n\nExample:\n  <location path=\"Site\"><system.web><processModel … /></system.web></location>";
    ConflictingOverride = "IIS2005", "conflicting-override-mode", Error,
        "A <location> with both overrideMode and the legacy allowOverride.",
        "A location tag may use overrideMode (Allow, Deny, Inherit) or the legacy allowOverride (true, false), not both.\n\nExample:\n  <location path=\"Site\" overrideMode=\"Allow\" allowOverride=\"false\">";
    ContradictoryLocks = "IIS2006", "contradictory-locks", Error,
        "A section set below contradictory lock settings: a parent level unlocks it for a path that a lower level locks.",
        "A location tag with overrideMode=\"Allow\" unlocks a section for a path; a lower level's web.config that locks the same path (or a parent of it) with overrideMode=\"Deny\" contradicts it. IIS treats such a conflict between locking and unlocking as illegal configuration and fails with an error where the section is set below both. Keep one of the two: lock the path where it was unlocked, or drop the lower level's Deny.\n\nExample:\n  applicationHost.config: <location path=\"Site/shop\" overrideMode=\"Allow\"><system.webServer><asp /></system.webServer></location>\n  Site's web.config:      <location path=\"shop\" overrideMode=\"Deny\"><system.webServer><asp /></system.webServer></location>\n  shop's web.config:      <system.webServer><asp enableParentPaths=\"true\" /></system.webServer>";
    DuplicateSection = "IIS3001", "duplicate-section", Error,
        "The same section appears twice for one path in one file.",
        "Config section 'x' already defined. Sections must only appear once per config file (for one path); this includes a section both at the root of a file and inside <location path=\".\"> of the same file, and two location tags with the same path that hold the same section.\n\nExample:\n  <location path=\"Site\"><system.webServer><asp/></system.webServer></location>\n  <location path=\"Site\"><system.webServer><asp/></system.webServer></location>";
    UnknownLocationPath = "IIS3002", "unknown-location-path", Warning,
        "A <location> path that matches no site or application.",
        "The location tag's path names no site (or no application or virtual directory of it), so its settings apply to nothing; the site may have been renamed.\n\nExample:\n  <location path=\"Default Web Sit\">";
    UnmappedPhysicalPath = "IIS3003", "unmapped-physical-path", Info,
        "A physical path that maps to no local folder, so its web.config files cannot be read.",
        "web.config files are found through the virtual directories' physicalPath. Map Windows prefixes to local folders with --root-map 'C:\\inetpub=./inetpub' to include them; a mapped path that escapes its root is refused.\n\nExample:\n  physicalPath=\"D:\\sites\\shop\" with no --root-map for D:\\";
    ConfigRedirected = "IIS3004", "config-redirected", Info,
        "redirection.config moves the server's configuration to another folder (shared configuration).",
        "With <configurationRedirection enabled=\"true\" path=\"\\\\server\\share\\config\" /> in redirection.config, IIS reads applicationHost.config and administration.config from that folder, not from its own. The shared folder is not there to read, so the configuration IIS really uses is not checked; lint a copy of it with --apphost.\n\nExample:\n  <configurationRedirection enabled=\"true\" path=\"\\\\fileserver\\iis-config\" userName=\"CONTOSO\\svc-iis\" />";
    PlaintextSecret = "IIS4001", "plaintext-secret", Warning,
        "An attribute the schema marks encrypted is stored in plain text.",
        "Passwords and other attributes marked encrypted=\"true\" should be stored encrypted ([enc:Provider:…:enc]); in plain text anyone who can read the file can read them.\n\nExample:\n  <virtualDirectory path=\"/\" userName=\"svc\" password=\"hunter2\" />";
    InsecureSessionId = "IIS4002", "insecure-session-id", Warning,
        "ASP session ids may be sent over plain HTTP (keepSessionIdSecure=\"false\").",
        "With keepSessionIdSecure=\"false\" the ASP session cookie of an HTTPS session is not marked secure, so the browser may send it over plain HTTP where it can be stolen.\n\nExample:\n  <asp><session keepSessionIdSecure=\"false\" /></asp>";
    RedundantValue = "IIS4003", "redundant-value", Info,
        "A value set equal to the value it would inherit anyway.",
        "The attribute repeats the value inherited from a parent level or the schema default; removing it changes nothing today but keeps the file from pinning the value if the parent changes.\n\nExample:\n  <session timeout=\"00:20:00\" />   <!-- the default -->";
    UnusedSuppression = "IIS4004", "unused-suppression", Warning,
        "An inline <!-- iisconf: ignore RULE --> that suppresses nothing.",
        "An inline suppression applies to the next element; when no finding of that rule is on that element, the suppression is stale and should be removed.\n\nExample:\n  <!-- iisconf: ignore IIS1006 -->\n  <session max=\"10\" />";
}

/// Which fix a rule's findings may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixAvailability {
    /// The rule never offers a fix.
    None,
    /// Some findings carry a fix that keeps the configuration's meaning (`--fix`).
    Safe,
    /// Some findings carry a fix that changes what the configuration means, applied only
    /// with `--unsafe-fixes`.
    Unsafe,
}

impl Rule {
    /// Which fix the rule's findings may carry (see [`Finding::fix`]); the linter's tests
    /// check that no finding carries a fix its rule does not declare here.
    pub fn fix_availability(self) -> FixAvailability {
        match self {
            Rule::NotWellFormed
            | Rule::DuplicateEntry
            | Rule::RedundantValue
            | Rule::UnknownSection
            | Rule::UnrecognizedElement
            | Rule::UnrecognizedAttribute => FixAvailability::Safe,
            Rule::MissingRequiredAttribute | Rule::SectionLocked => FixAvailability::Unsafe,
            _ => FixAvailability::None,
        }
    }

    /// Whether the linter reports the rule without being asked: IIS4003 (a value equal to
    /// what it inherits) is reported only when selected by id, name or category, since
    /// IIS Manager itself writes such values.
    pub fn enabled_by_default(self) -> bool {
        self != Rule::RedundantValue
    }

    /// Finds a rule by id (`IIS2001`) or name (`section-locked`), case-insensitively.
    pub fn find(text: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.id().eq_ignore_ascii_case(text) || r.name().eq_ignore_ascii_case(text))
    }
}

/// A place in a file: 1-based line and column of the start and end.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Place {
    /// The file, as given by the user.
    pub file: std::sync::Arc<str>,
    /// 1-based start line.
    pub line: u32,
    /// 1-based start column (characters).
    pub column: u32,
    /// 1-based end line.
    pub end_line: u32,
    /// 1-based end column (exclusive).
    pub end_column: u32,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Whether a fix keeps the configuration's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// The configuration means the same after the fix (`--fix` applies it).
    Safe,
    /// The fix changes what the configuration means (only `--unsafe-fixes` applies it).
    Unsafe,
}

/// One replacement of a byte range of a file's decoded text (an insertion when the range
/// is empty, a deletion when the new text is empty).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    /// The byte range replaced, in the file's decoded text (no byte-order mark).
    pub span: iisconf_xml::Span,
    /// Where the range is, for reports (its file names the file the edit changes).
    pub place: Place,
    /// The text written in its place.
    pub new_text: String,
}

/// A change that resolves a finding: text edits in one or more files (ruff's model: a
/// finding carries an optional fix).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    /// Whether the fix keeps the configuration's meaning.
    pub applicability: Applicability,
    /// What the fix does, in a few words (`remove the attribute`).
    pub title: String,
    /// The edits, in no particular order; they do not overlap.
    pub edits: Vec<TextEdit>,
}

impl Fix {
    /// A fix that keeps the configuration's meaning.
    pub fn safe(title: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix {
            applicability: Applicability::Safe,
            title: title.into(),
            edits,
        }
    }

    /// A fix that changes what the configuration means.
    pub fn unsafe_(title: impl Into<String>, edits: Vec<TextEdit>) -> Fix {
        Fix {
            applicability: Applicability::Unsafe,
            title: title.into(),
            edits,
        }
    }
}

/// A second place a finding points at (the first entry a duplicate repeats, …).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Related {
    /// Where.
    pub place: Place,
    /// What is there (`the first entry`).
    pub label: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Severity (the rule's default unless configured otherwise).
    pub severity: Severity,
    /// What is wrong, in IIS's words where IIS has words for it.
    pub message: String,
    /// What to do about it.
    pub help: Option<std::borrow::Cow<'static, str>>,
    /// Where.
    pub place: Place,
    /// Byte span in the file's decoded text, for source snippets.
    #[serde(skip)]
    pub span: Option<iisconf_xml::Span>,
    /// The note, related places and fix, when the finding has any (boxed: most findings
    /// have none, and a finding stays small).
    #[serde(skip)]
    pub extra: Option<Box<Extra>>,
}

/// What some findings carry besides their message and help.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extra {
    /// IIS's own longer text, shown below the headline (`= note:`).
    pub note: Option<std::borrow::Cow<'static, str>>,
    /// Other places the finding points at.
    pub related: Vec<Related>,
    /// A change that resolves the finding, when there is one.
    pub fix: Option<Fix>,
}

impl Finding {
    /// A finding of `rule` at `place` with the rule's default severity.
    pub fn new(rule: Rule, place: Place, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.default_severity(),
            message: message.into(),
            help: None,
            place,
            span: None,
            extra: None,
        }
    }

    /// The finding for a file that is not well-formed: the parser's message and help, at the
    /// character where it stopped.
    pub fn not_well_formed(file: &str, error: &iisconf_xml::ParseError) -> Finding {
        let at = error.position;
        let place = Place {
            file: file.into(),
            line: at.line,
            column: at.column,
            end_line: at.line,
            end_column: at.column + 1,
        };
        Finding {
            help: error.help.clone().map(std::borrow::Cow::Owned),
            ..Finding::new(Rule::NotWellFormed, place, error.message.clone())
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> Finding {
        self.help = Some(help.into());
        self
    }

    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// Adds IIS's longer text as a note below the headline.
    pub fn with_note(mut self, note: impl Into<std::borrow::Cow<'static, str>>) -> Finding {
        self.extra_mut().note = Some(note.into());
        self
    }

    /// Points at another place too.
    pub fn with_related(mut self, place: Place, label: impl Into<String>) -> Finding {
        self.extra_mut().related.push(Related {
            place,
            label: label.into(),
        });
        self
    }

    /// Attaches a fix (`None` leaves the finding without one).
    pub fn with_fix(mut self, fix: Option<Fix>) -> Finding {
        if let Some(fix) = fix {
            self.extra_mut().fix = Some(fix);
        } else if let Some(extra) = &mut self.extra {
            extra.fix = None;
        }
        self
    }

    /// IIS's longer text, when it is shown as a note.
    pub fn note(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|e| e.note.as_deref())
    }

    /// The other places the finding points at.
    pub fn related(&self) -> &[Related] {
        self.extra.as_ref().map_or(&[], |e| e.related.as_slice())
    }

    /// The change that resolves the finding, if there is one.
    pub fn fix(&self) -> Option<&Fix> {
        self.extra.as_ref().and_then(|e| e.fix.as_ref())
    }

    /// Attaches the byte span the finding covers.
    pub fn with_span(mut self, span: Option<iisconf_xml::Span>) -> Finding {
        self.span = span;
        self
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.place,
            self.severity.as_str(),
            self.rule.id(),
            self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_and_names_are_unique_and_well_formed() {
        let mut ids = std::collections::HashSet::new();
        let mut names = std::collections::HashSet::new();
        for rule in Rule::ALL {
            assert!(ids.insert(rule.id()), "duplicate id {}", rule.id());
            assert!(names.insert(rule.name()), "duplicate name {}", rule.name());
            assert!(rule.id().len() == 7 && rule.id().starts_with("IIS"));
            assert!(rule.id()[3..].chars().all(|c| c.is_ascii_digit()));
            assert!(rule
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(
                rule.explanation().contains("Example"),
                "{} lacks an example",
                rule.id()
            );
        }
        assert_eq!(Rule::find("iis2001"), Some(Rule::SectionLocked));
        assert_eq!(Rule::find("section-locked"), Some(Rule::SectionLocked));
    }
}
