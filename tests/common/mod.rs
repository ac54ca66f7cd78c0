//! Shared helpers of the real-server session tests: a minimal FTP client over
//! std::net (real control and data connections, no extra dependency), free ports,
//! servers stopped by pid in Drop guards, and running the real `iisconf` binary.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// The first existing file among `name` on PATH and `dirs`.
pub fn find_binary(name: &str, dirs: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(dirs.iter().map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Whether the tests run as root (the servers switch to the test users' uid).
pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// A server process, killed and reaped when dropped.
pub struct ServerGuard {
    pub child: Child,
    pub name: &'static str,
}

impl ServerGuard {
    /// Starts `command` (output discarded) and waits until it accepts connections on
    /// `port`.
    pub fn start(command: &mut Command, name: &'static str, port: u16) -> ServerGuard {
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {name}: {e}"));
        let mut server = ServerGuard { child, name };
        wait_for_port(port, &mut server);
        server
    }

    /// The server's pid.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        // SIGTERM to this pid only (the master ends its session children itself).
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) on the pid of our own child process.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until something accepts connections on `port`.
fn wait_for_port(port: u16, server: &mut ServerGuard) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("{} exited early: {status}", server.name);
        }
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf); // the banner
            let _ = s.write_all(b"QUIT\r\n");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{} did not listen on port {port}", server.name);
}

/// An FTP control connection.
pub struct Ftp {
    pub reader: BufReader<TcpStream>,
    pub stream: TcpStream,
    pub banner: String,
}

impl Ftp {
    /// Connects and reads the greeting.
    pub fn connect(port: u16) -> Ftp {
        let stream =
            TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("connect: {e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
        let reader = BufReader::new(stream.try_clone().unwrap_or_else(|e| panic!("{e}")));
        let mut ftp = Ftp {
            reader,
            stream,
            banner: String::new(),
        };
        let (code, text) = ftp.reply();
        assert_eq!(code, 220, "greeting: {text}");
        ftp.banner = text;
        ftp
    }

    /// Reads one (possibly multi-line) reply.
    pub fn reply(&mut self) -> (u16, String) {
        let mut all = String::new();
        let mut first_code = None;
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).unwrap_or(0);
            if n == 0 {
                return (0, all); // connection closed
            }
            all.push_str(&line);
            let code: Option<u16> = line.get(..3).and_then(|c| c.parse().ok());
            if first_code.is_none() {
                first_code = code;
            }
            if code.is_some() && code == first_code && line.as_bytes().get(3) == Some(&b' ') {
                return (code.unwrap_or(0), all);
            }
        }
    }

    /// Sends a command and reads the reply.
    pub fn cmd(&mut self, line: &str) -> (u16, String) {
        let _ = self.stream.write_all(format!("{line}\r\n").as_bytes());
        self.reply()
    }

    /// USER + PASS.
    pub fn login(&mut self, user: &str, pass: &str) {
        let (code, text) = self.cmd(&format!("USER {user}"));
        assert!(code == 331 || code == 230, "USER: {text}");
        if code == 331 {
            let (code, text) = self.cmd(&format!("PASS {pass}"));
            assert_eq!(code, 230, "PASS: {text}");
        }
    }

    /// A session logged in as `user` on `port`.
    pub fn logged_in(port: u16, user: &str, pass: &str) -> Ftp {
        let mut ftp = Ftp::connect(port);
        ftp.login(user, pass);
        ftp
    }

    /// A session logged in as `user` that has run a command and now idles.
    pub fn idle(port: u16, user: &str, pass: &str) -> Ftp {
        let mut ftp = Ftp::logged_in(port, user, pass);
        ftp.cmd("PWD");
        ftp
    }

    /// PASV, then connects the data connection.
    pub fn pasv(&mut self) -> TcpStream {
        let (code, text) = self.cmd("PASV");
        assert_eq!(code, 227, "PASV: {text}");
        let inner = text
            .split_once('(')
            .and_then(|(_, r)| r.split_once(')'))
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("PASV reply {text}"));
        let n: Vec<u16> = inner
            .split(',')
            .filter_map(|x| x.trim().parse().ok())
            .collect();
        let port = n.get(4).copied().unwrap_or(0) * 256 + n.get(5).copied().unwrap_or(0);
        TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("data connect: {e}"))
    }

    /// Whether the server has closed the control connection (within `wait`).
    pub fn is_closed(&mut self, wait: Duration) -> bool {
        let _ = self.stream.set_read_timeout(Some(wait));
        let _ = self.stream.write_all(b"NOOP\r\n");
        let mut line = String::new();
        match self.reader.read_line(&mut line) {
            Ok(0) => true,
            Ok(_) => line.starts_with("421"), // "service closing" then close
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        }
    }

    /// Whether the session still answers NOOP.
    pub fn is_alive(&mut self) -> bool {
        self.cmd("NOOP").0 == 200
    }
}

/// A transfer running in a background thread until stopped.
pub struct Transfer {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<u64>>,
    pub control: Ftp,
}

impl Transfer {
    /// RETR `file`, reading `chunk` bytes every `pause`.
    pub fn slow_download(control: Ftp, file: &str, chunk: usize, pause: Duration) -> Transfer {
        let mut buf = vec![0u8; chunk];
        Transfer::start(
            control,
            &format!("RETR {file}"),
            pause,
            move |data| match data.read(&mut buf) {
                Ok(0) | Err(_) => None,
                Ok(n) => Some(n),
            },
        )
    }

    /// STOR `file`, writing `chunk` bytes every `pause`.
    pub fn slow_upload(control: Ftp, file: &str, chunk: usize, pause: Duration) -> Transfer {
        let buf = vec![b'x'; chunk];
        Transfer::start(control, &format!("STOR {file}"), pause, move |data| {
            data.write_all(&buf).ok().map(|()| buf.len())
        })
    }

    /// Sends `command` on a passive data connection, then runs `step` (the bytes it moved,
    /// `None` at the end) every `pause` on another thread until stopped.
    fn start(
        mut control: Ftp,
        command: &str,
        pause: Duration,
        mut step: impl FnMut(&mut TcpStream) -> Option<usize> + Send + 'static,
    ) -> Transfer {
        control.cmd("TYPE I");
        let mut data = control.pasv();
        let (code, text) = control.cmd(command);
        assert!(code == 150 || code == 125, "{command}: {text}");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut total = 0u64;
            while !flag.load(Ordering::Relaxed) {
                match step(&mut data) {
                    Some(n) => total += n as u64,
                    None => break,
                }
                std::thread::sleep(pause);
            }
            let _ = data.shutdown(Shutdown::Both);
            total
        });
        Transfer {
            stop,
            handle: Some(handle),
            control,
        }
    }

    /// Stops the transfer; returns the bytes moved.
    pub fn stop(&mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.handle.take().and_then(|h| h.join().ok()).unwrap_or(0)
    }
}

impl Drop for Transfer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs the real `iisconf` binary.
pub fn iisconf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_iisconf"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run iisconf: {e}"))
}

/// Runs `iisconf sessions list … --format json` and parses the array.
pub fn list_json(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["sessions", "list", "--format", "json"];
    all.extend_from_slice(args);
    let out = iisconf(&all);
    assert!(
        out.status.success(),
        "iisconf {all:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout) {
        Ok(serde_json::Value::Array(items)) => items,
        other => panic!("not a JSON array: {other:?}"),
    }
}

/// The session of `pid`.
pub fn by_pid(sessions: &[serde_json::Value], pid: u64) -> Option<serde_json::Value> {
    sessions
        .iter()
        .find(|s| s["pid"].as_u64() == Some(pid))
        .cloned()
}

/// The first session matching `pred` (sessions are found by what they do: the server
/// pid serving a given client is not known from outside).
pub fn find(
    sessions: &[serde_json::Value],
    pred: impl Fn(&serde_json::Value) -> bool,
) -> Option<&serde_json::Value> {
    sessions.iter().find(|s| pred(s))
}

/// A file of `size` bytes (sparse where the file system allows).
pub fn big_file(path: &Path, size: u64) {
    let f = std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}"));
    f.set_len(size).unwrap_or_else(|e| panic!("{e}"));
}

/// chmod.
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{e}"));
}

/// MD5-crypt of "secret" with salt "iisconf" (`openssl passwd -1 -salt iisconf secret`):
/// a cheap hash keeps logins fast (pure-pw's default argon2 takes seconds).
pub const SECRET_HASH: &str = "$1$iisconf$ngtQPCyuRe.XFQCgyynf41";
