//! Synthetic applicationHost.config generator, shared by `examples/synth_apphost.rs`,
//! `examples/parse_figures.rs` and `benches/parse.rs` (each includes this file with
//! `#[path = …] mod synth;`).
//!
//! The output looks like a busy IIS 10 server's file as IIS itself writes it: CRLF line
//! endings, 4-space indentation, ` />` on empty elements, an XML declaration and comments,
//! the stock `<configSections>` (from `schema/stock_sections.xml`), application pools,
//! tens of thousands of sites with bindings, applications, virtual directories and FTP
//! settings, the global `<system.webServer>` sections, and `<location>` blocks that set
//! `asp/session`, default documents and authentication per site and per application.
//!
//! It is deterministic: a fixed seed and a tiny inline PRNG (no `rand` crate), so the same
//! arguments always give the same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Bump when the output changes, so cached files in target/bench-data are regenerated.
pub const VERSION: u32 = 1;

/// The stock `<configSections>` block, re-indented the way IIS writes it.
const STOCK_SECTIONS: &str = include_str!("../../schema/stock_sections.xml");

/// splitmix64: tiny, fast, good enough for picking shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Writes lines with IIS's indentation (4 spaces a level) and CRLF endings.
struct Out {
    s: String,
}

impl Out {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.s.push_str("    ");
        }
        self.s.push_str(text);
        self.s.push_str("\r\n");
    }

    fn blank(&mut self) {
        self.s.push_str("\r\n");
    }
}

const APP_NAMES: &[&str] = &[
    "api", "admin", "shop", "blog", "portal", "reports", "legacy", "cms", "static", "auth",
];
const VDIR_NAMES: &[&str] = &["images", "scripts", "uploads", "media", "docs", "downloads"];
const DEFAULT_DOCS: &[&str] = &[
    "Default.htm",
    "Default.asp",
    "index.htm",
    "index.html",
    "iisstart.htm",
    "default.aspx",
    "index.php",
];

/// Number of application pools in the generated file.
const POOLS: usize = 64;

/// Generates a file with `sites` sites (at least 1; site 1 is "Default Web Site").
pub fn generate(sites: usize) -> String {
    let sites = sites.max(1);
    let mut rng = Rng(0x1155_C0F1_2024_0001);
    let mut out = Out {
        s: String::with_capacity(sites * 3200 + 64 * 1024),
    };
    header(&mut out);
    config_sections(&mut out);
    out.blank();
    out.line(1, "<system.applicationHost>");
    out.blank();
    application_pools(&mut out);
    out.blank();
    out.line(2, "<!--");
    out.line(
        3,
        "The <sites> section controls settings for sites and their applications.",
    );
    out.line(2, "-->");
    out.blank();
    out.line(2, "<sites>");
    for id in 1..=sites {
        site(&mut out, &mut rng, id);
    }
    site_defaults(&mut out);
    out.line(2, "</sites>");
    out.blank();
    out.line(2, "<webLimits />");
    out.blank();
    out.line(1, "</system.applicationHost>");
    out.blank();
    web_server(&mut out);
    out.blank();
    out.line(1, "<location path=\"\" overrideMode=\"Allow\">");
    out.line(2, "<system.webServer>");
    out.line(3, "<modules>");
    out.line(
        4,
        "<add name=\"StaticCompressionModule\" lockItem=\"true\" />",
    );
    out.line(
        4,
        "<add name=\"DefaultDocumentModule\" lockItem=\"true\" />",
    );
    out.line(4, "<add name=\"StaticFileModule\" lockItem=\"true\" />");
    out.line(3, "</modules>");
    out.line(2, "</system.webServer>");
    out.line(1, "</location>");
    for id in 1..=sites {
        locations(&mut out, &mut rng, id);
    }
    out.blank();
    out.line(0, "</configuration>");
    out.s
}

/// Generates a file of about `mb` megabytes (10^6 bytes), returning it with its site count.
pub fn generate_mb(mb: f64) -> (String, usize) {
    let target = (mb * 1_000_000.0).max(1.0);
    // Size is linear in the site count; fit it from two small samples.
    let a = generate(500).len() as f64;
    let b = generate(1500).len() as f64;
    let per_site = (b - a) / 1000.0;
    let fixed = a - 500.0 * per_site;
    let sites = ((target - fixed) / per_site).round().max(1.0) as usize;
    (generate(sites), sites)
}

/// The folder benchmark data is cached in: `$CARGO_TARGET_DIR/bench-data`, or
/// `target/bench-data` beside Cargo.toml.
pub fn data_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("bench-data")
}

/// Returns the path of a cached `mb`-megabyte file, generating it first if needed.
pub fn cached_file(mb: u32) -> std::io::Result<PathBuf> {
    let dir = data_dir();
    let path = dir.join(format!("applicationHost-{mb}mb-v{VERSION}.config"));
    if !path.is_file() {
        std::fs::create_dir_all(&dir)?;
        let (text, _) = generate_mb(mb as f64);
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(path)
}

fn header(out: &mut Out) {
    out.line(0, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.line(0, "<!--");
    out.blank();
    out.line(1, "IIS configuration sections.");
    out.blank();
    out.line(1, "For schema documentation, see");
    out.line(
        1,
        "%windir%\\system32\\inetsrv\\config\\schema\\IIS_schema.xml.",
    );
    out.line(1, "");
    out.line(
        1,
        "Please make a backup of this file before making any changes to it.",
    );
    out.blank();
    out.line(
        1,
        "NOTE: synthetic file written by iisconf's synth_apphost generator.",
    );
    out.blank();
    out.line(0, "-->");
    out.blank();
    out.line(0, "<configuration>");
    out.blank();
    out.line(1, "<!--");
    out.blank();
    out.line(
        2,
        "The <configSections> section controls the registration of sections.",
    );
    out.line(
        2,
        "Section is the basic unit of deployment, locking, searching and",
    );
    out.line(2, "containment for configuration settings.");
    out.blank();
    out.line(1, "-->");
    out.blank();
}

/// The `<configSections>` block of `schema/stock_sections.xml`, re-indented from 2 to 4
/// spaces a level and nested one level under `<configuration>`.
fn config_sections(out: &mut Out) {
    let mut inside = false;
    for line in STOCK_SECTIONS.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("<configSections>") {
            inside = true;
        }
        if inside && !trimmed.is_empty() {
            let depth = (line.len() - trimmed.len()) / 2;
            out.line(depth + 1, trimmed.trim_end());
        }
        if trimmed.starts_with("</configSections>") {
            break;
        }
    }
}

fn application_pools(out: &mut Out) {
    out.line(2, "<applicationPools>");
    out.line(
        3,
        "<add name=\"DefaultAppPool\" managedRuntimeVersion=\"v4.0\" />",
    );
    for p in 1..POOLS {
        let mut l = format!("<add name=\"Pool{p}\"");
        if p % 3 == 0 {
            l.push_str(" managedRuntimeVersion=\"\"");
        } else {
            l.push_str(" managedRuntimeVersion=\"v4.0\"");
        }
        if p % 4 == 0 {
            l.push_str(" managedPipelineMode=\"Classic\"");
        }
        if p % 5 == 0 {
            l.push_str(" autoStart=\"false\"");
        }
        if p % 2 == 0 {
            l.push('>');
            out.line(3, &l);
            out.line(
                4,
                &format!(
                    "<processModel identityType=\"ApplicationPoolIdentity\" idleTimeout=\"00:{:02}:00\" />",
                    (p % 6) * 10 + 5
                ),
            );
            out.line(
                4,
                "<recycling logEventOnRecycle=\"Time, Memory, PrivateMemory\">",
            );
            out.line(5, "<periodicRestart time=\"1.05:00:00\" />");
            out.line(4, "</recycling>");
            out.line(3, "</add>");
        } else {
            l.push_str(" />");
            out.line(3, &l);
        }
    }
    out.line(
        3,
        "<applicationPoolDefaults managedRuntimeVersion=\"v4.0\">",
    );
    out.line(
        4,
        "<processModel identityType=\"ApplicationPoolIdentity\" />",
    );
    out.line(3, "</applicationPoolDefaults>");
    out.line(2, "</applicationPools>");
}

fn site(out: &mut Out, rng: &mut Rng, id: usize) {
    let (name, root) = if id == 1 {
        (
            "Default Web Site".to_string(),
            "%SystemDrive%\\inetpub\\wwwroot".to_string(),
        )
    } else {
        (
            format!("Site{id}"),
            format!("%SystemDrive%\\inetpub\\site{id}\\wwwroot"),
        )
    };
    let ftp = id > 1 && rng.chance(25);
    let mut l = String::with_capacity(96);
    let _ = write!(l, "<site name=\"{name}\" id=\"{id}\"");
    if rng.chance(30) {
        l.push_str(" serverAutoStart=\"true\"");
    }
    l.push('>');
    out.line(3, &l);

    // The root application, then a few more, each with virtual directories.
    let pool = if id == 1 {
        "DefaultAppPool".to_string()
    } else {
        format!("Pool{}", rng.below(POOLS as u64 - 1) + 1)
    };
    out.line(
        4,
        &format!("<application path=\"/\" applicationPool=\"{pool}\">"),
    );
    out.line(
        5,
        &format!("<virtualDirectory path=\"/\" physicalPath=\"{root}\" />"),
    );
    let vdirs = rng.below(3);
    for v in 0..vdirs {
        let vname = VDIR_NAMES[((id as u64 + v) % VDIR_NAMES.len() as u64) as usize];
        out.line(
            5,
            &format!(
                "<virtualDirectory path=\"/{vname}\" physicalPath=\"%SystemDrive%\\inetpub\\site{id}\\{vname}\" />"
            ),
        );
    }
    out.line(4, "</application>");
    for app in app_names(id) {
        let mut l = format!(
            "<application path=\"/{app}\" applicationPool=\"Pool{}\"",
            rng.below(POOLS as u64 - 1) + 1
        );
        if rng.chance(20) {
            l.push_str(" preloadEnabled=\"true\"");
        }
        if rng.chance(10) {
            l.push_str(" enabledProtocols=\"http,net.tcp\"");
        }
        l.push('>');
        out.line(4, &l);
        out.line(
            5,
            &format!(
                "<virtualDirectory path=\"/\" physicalPath=\"%SystemDrive%\\inetpub\\site{id}\\{app}\" />"
            ),
        );
        if rng.chance(40) {
            out.line(
                5,
                &format!(
                    "<virtualDirectory path=\"/content\" physicalPath=\"\\\\fileserver{}\\share\\site{id}\\{app}\" userName=\"CONTOSO\\svc-web\" password=\"[enc:IISCngProvider:{:016x}:enc]\" />",
                    id % 8,
                    rng.next()
                ),
            );
        }
        out.line(4, "</application>");
    }

    out.line(4, "<bindings>");
    let host = if id == 1 {
        String::new()
    } else {
        format!("site{id}.example.com")
    };
    out.line(
        5,
        &format!("<binding protocol=\"http\" bindingInformation=\"*:80:{host}\" />"),
    );
    if id > 1 && rng.chance(70) {
        out.line(
            5,
            &format!("<binding protocol=\"http\" bindingInformation=\"*:80:www.{host}\" />"),
        );
    }
    if id > 1 && rng.chance(60) {
        out.line(
            5,
            &format!(
                "<binding protocol=\"https\" bindingInformation=\"*:443:{host}\" sslFlags=\"1\" />"
            ),
        );
    }
    if ftp {
        out.line(
            5,
            &format!("<binding protocol=\"ftp\" bindingInformation=\"*:21:ftp.{host}\" />"),
        );
    }
    out.line(4, "</bindings>");

    if ftp {
        let policy = rng.pick(&["SslAllow", "SslRequire", "SslRequireCredentialsOnly"]);
        // The data channel has no credentials-only policy.
        let data_policy = if policy == "SslRequireCredentialsOnly" {
            "SslRequire"
        } else {
            policy
        };
        out.line(4, "<ftpServer>");
        out.line(5, "<security>");
        out.line(
            6,
            &format!(
                "<ssl serverCertHash=\"{:016X}{:016X}{:08X}\" controlChannelPolicy=\"{policy}\" dataChannelPolicy=\"{data_policy}\" />",
                rng.next(),
                rng.next(),
                rng.next() as u32
            ),
        );
        out.line(6, "<authentication>");
        out.line(
            7,
            &format!(
                "<basicAuthentication enabled=\"{}\" />",
                if rng.chance(80) { "true" } else { "false" }
            ),
        );
        out.line(7, "<anonymousAuthentication enabled=\"false\" />");
        out.line(6, "</authentication>");
        out.line(5, "</security>");
        if rng.chance(50) {
            out.line(5, "<userIsolation mode=\"IsolateAllDirectories\" />");
        }
        out.line(4, "</ftpServer>");
    }
    if rng.chance(30) {
        out.line(
            4,
            &format!(
                "<logFile directory=\"D:\\Logs\\site{id}\" period=\"{}\" />",
                rng.pick(&["Daily", "Hourly", "Weekly"])
            ),
        );
    }
    if rng.chance(15) {
        out.line(
            4,
            &format!(
                "<limits connectionTimeout=\"00:0{}:00\" maxBandwidth=\"{}\" />",
                rng.below(9) + 1,
                (rng.below(100) + 1) * 1_048_576
            ),
        );
    }
    out.line(3, "</site>");
}

/// The non-root applications of site `id` (0 to 3 of them, fixed by the id).
fn app_names(id: usize) -> impl Iterator<Item = &'static str> {
    let count = if id == 1 { 0 } else { id % 4 };
    (0..count).map(move |k| APP_NAMES[(id * 7 + k * 3) % APP_NAMES.len()])
}

fn site_defaults(out: &mut Out) {
    out.line(3, "<siteDefaults>");
    out.line(
        4,
        "<logFile logFormat=\"W3C\" directory=\"%SystemDrive%\\inetpub\\logs\\LogFiles\" />",
    );
    out.line(
        4,
        "<traceFailedRequestsLogging directory=\"%SystemDrive%\\inetpub\\logs\\FailedReqLogFiles\" />",
    );
    out.line(4, "<ftpServer>");
    out.line(5, "<security>");
    out.line(6, "<authentication>");
    out.line(7, "<anonymousAuthentication enabled=\"false\" />");
    out.line(7, "<basicAuthentication enabled=\"true\" />");
    out.line(6, "</authentication>");
    out.line(5, "</security>");
    out.line(4, "</ftpServer>");
    out.line(3, "</siteDefaults>");
    out.line(
        3,
        "<applicationDefaults applicationPool=\"DefaultAppPool\" />",
    );
    out.line(3, "<virtualDirectoryDefaults allowSubDirConfig=\"true\" />");
}

fn web_server(out: &mut Out) {
    out.line(1, "<system.webServer>");
    out.blank();
    out.line(2, "<asp>");
    out.line(
        3,
        "<session allowSessionState=\"true\" timeout=\"00:20:00\" />",
    );
    out.line(2, "</asp>");
    out.blank();
    out.line(2, "<caching enabled=\"true\" enableKernelCache=\"true\">");
    out.line(2, "</caching>");
    out.blank();
    out.line(2, "<defaultDocument enabled=\"true\">");
    out.line(3, "<files>");
    for d in DEFAULT_DOCS {
        out.line(4, &format!("<add value=\"{d}\" />"));
    }
    out.line(3, "</files>");
    out.line(2, "</defaultDocument>");
    out.blank();
    out.line(2, "<directoryBrowse enabled=\"false\" />");
    out.blank();
    out.line(2, "<globalModules>");
    for (name, dll) in [
        ("UriCacheModule", "cachuri.dll"),
        ("FileCacheModule", "cachfile.dll"),
        ("TokenCacheModule", "cachtokn.dll"),
        ("HttpCacheModule", "cachhttp.dll"),
        ("StaticCompressionModule", "compstat.dll"),
        ("DefaultDocumentModule", "defdoc.dll"),
        ("DirectoryListingModule", "dirlist.dll"),
        ("ProtocolSupportModule", "protsup.dll"),
        ("StaticFileModule", "static.dll"),
        ("AnonymousAuthenticationModule", "authanon.dll"),
        ("RequestFilteringModule", "modrqflt.dll"),
        ("CustomErrorModule", "custerr.dll"),
        ("HttpLoggingModule", "loghttp.dll"),
        ("IsapiModule", "isapi.dll"),
    ] {
        out.line(
            3,
            &format!("<add name=\"{name}\" image=\"%windir%\\System32\\inetsrv\\{dll}\" />"),
        );
    }
    out.line(2, "</globalModules>");
    out.blank();
    out.line(2, "<handlers accessPolicy=\"Read, Script\">");
    out.line(
        3,
        "<add name=\"ASPClassic\" path=\"*.asp\" verb=\"GET,HEAD,POST\" modules=\"IsapiModule\" scriptProcessor=\"%windir%\\system32\\inetsrv\\asp.dll\" resourceType=\"File\" />",
    );
    out.line(
        3,
        "<add name=\"StaticFile\" path=\"*\" verb=\"*\" modules=\"StaticFileModule,DefaultDocumentModule,DirectoryListingModule\" resourceType=\"Either\" requireAccess=\"Read\" />",
    );
    out.line(2, "</handlers>");
    out.blank();
    out.line(
        2,
        "<httpErrors lockAttributes=\"allowAbsolutePathsWhenDelegated,defaultPath\">",
    );
    for (code, file) in [
        (401, "401.htm"),
        (403, "403.htm"),
        (404, "404.htm"),
        (405, "405.htm"),
        (406, "406.htm"),
        (412, "412.htm"),
        (500, "500.htm"),
        (501, "501.htm"),
        (502, "502.htm"),
    ] {
        out.line(
            3,
            &format!(
                "<error statusCode=\"{code}\" prefixLanguageFilePath=\"%SystemDrive%\\inetpub\\custerr\" path=\"{file}\" />"
            ),
        );
    }
    out.line(2, "</httpErrors>");
    out.blank();
    out.line(2, "<httpLogging dontLog=\"false\" />");
    out.blank();
    out.line(2, "<httpProtocol>");
    out.line(3, "<customHeaders>");
    out.line(4, "<clear />");
    out.line(4, "<add name=\"X-Powered-By\" value=\"ASP.NET\" />");
    out.line(3, "</customHeaders>");
    out.line(3, "<redirectHeaders>");
    out.line(4, "<clear />");
    out.line(3, "</redirectHeaders>");
    out.line(2, "</httpProtocol>");
    out.blank();
    out.line(2, "<security>");
    out.line(3, "<access sslFlags=\"None\" />");
    out.line(3, "<authentication>");
    out.line(
        4,
        "<anonymousAuthentication enabled=\"true\" userName=\"IUSR\" />",
    );
    out.line(4, "<basicAuthentication />");
    out.line(4, "<windowsAuthentication />");
    out.line(3, "</authentication>");
    out.line(3, "<requestFiltering>");
    out.line(
        4,
        "<fileExtensions allowUnlisted=\"true\" applyToWebDAV=\"true\">",
    );
    for ext in [".asa", ".asax", ".ascx", ".config", ".cs", ".mdb", ".vb"] {
        out.line(
            5,
            &format!("<add fileExtension=\"{ext}\" allowed=\"false\" />"),
        );
    }
    out.line(4, "</fileExtensions>");
    out.line(3, "</requestFiltering>");
    out.line(2, "</security>");
    out.blank();
    out.line(2, "<staticContent lockAttributes=\"isDocFooterFileName\">");
    for (ext, mime) in [
        (".css", "text/css"),
        (".htm", "text/html"),
        (".html", "text/html"),
        (".js", "application/javascript"),
        (".json", "application/json"),
        (".png", "image/png"),
        (".svg", "image/svg+xml"),
        (".xml", "text/xml"),
    ] {
        out.line(
            3,
            &format!("<mimeMap fileExtension=\"{ext}\" mimeType=\"{mime}\" />"),
        );
    }
    out.line(2, "</staticContent>");
    out.blank();
    out.line(1, "</system.webServer>");
}

/// `<location>` blocks for site `id` and some of its applications.
fn locations(out: &mut Out, rng: &mut Rng, id: usize) {
    let site = if id == 1 {
        "Default Web Site".to_string()
    } else {
        format!("Site{id}")
    };
    if rng.chance(85) {
        location(out, rng, &site, id.is_multiple_of(50));
    }
    for app in app_names(id) {
        if rng.chance(50) {
            location(out, rng, &format!("{site}/{app}"), false);
        }
    }
}

fn location(out: &mut Out, rng: &mut Rng, path: &str, comment: bool) {
    if comment {
        out.line(
            1,
            &format!(
                "<!-- {path}: settings requested in ticket #{} -->",
                rng.below(90000) + 10000
            ),
        );
    }
    if rng.chance(20) {
        out.line(
            1,
            &format!("<location path=\"{path}\" overrideMode=\"Allow\">"),
        );
    } else {
        out.line(1, &format!("<location path=\"{path}\">"));
    }
    out.line(2, "<system.webServer>");
    out.line(3, "<asp>");
    let minutes = (rng.below(60) + 1) * 5;
    out.line(
        4,
        &format!(
            "<session allowSessionState=\"{}\" timeout=\"{:02}:{:02}:00\" max=\"{}\" />",
            if rng.chance(80) { "true" } else { "false" },
            minutes / 60,
            minutes % 60,
            (rng.below(100) + 1) * 100
        ),
    );
    out.line(3, "</asp>");
    if rng.chance(60) {
        out.line(3, "<defaultDocument>");
        out.line(4, "<files>");
        let clear = rng.chance(50);
        if clear {
            out.line(5, "<clear />");
        }
        // Distinct documents: a run of one to three from a random start. The server level
        // already lists them, so without <clear /> each is removed before it is re-added
        // (adding it again would be a duplicate entry).
        let first = rng.below(DEFAULT_DOCS.len() as u64) as usize;
        for k in 0..=rng.below(3) as usize {
            let doc = DEFAULT_DOCS[(first + k) % DEFAULT_DOCS.len()];
            if !clear {
                out.line(5, &format!("<remove value=\"{doc}\" />"));
            }
            out.line(5, &format!("<add value=\"{doc}\" />"));
        }
        out.line(4, "</files>");
        out.line(3, "</defaultDocument>");
    }
    if rng.chance(40) {
        out.line(3, "<security>");
        out.line(4, "<authentication>");
        out.line(5, "<anonymousAuthentication enabled=\"false\" />");
        out.line(5, "<windowsAuthentication enabled=\"true\" />");
        out.line(4, "</authentication>");
        out.line(3, "</security>");
    }
    if rng.chance(20) {
        out.line(
            3,
            &format!(
                "<httpErrors errorMode=\"{}\" />",
                rng.pick(&["Custom", "Detailed", "DetailedLocalOnly"])
            ),
        );
    }
    out.line(2, "</system.webServer>");
    out.line(1, "</location>");
}
