//! A real `redis-server` for the Redis tests (token store, rate budgets, benchmarks): started from PATH on a free
//! loopback port without persistence, stopped when its handle is dropped, and also when the
//! test process ends in any way (a shell watchdog kills it when the process's end of a pipe
//! closes). When `redis-server` is missing the tests are skipped with the command that
//! installs it, or fail if `OPC_REQUIRE_REDIS=1` (as in CI).
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The command that installs the server on Debian and Ubuntu.
pub const INSTALL: &str = "apt-get install -y redis-server";

/// A running `redis-server`.
pub struct RedisServer {
    /// The watchdog shell, which started the server and kills it when its stdin closes.
    watchdog: Child,
    stdin: Option<ChildStdin>,
    port: u16,
}

impl RedisServer {
    /// Starts a server, or `None` (after saying so on stderr) when `redis-server` is not
    /// installed and `OPC_REQUIRE_REDIS` is not `1`.
    pub fn start() -> Option<Self> {
        if find_on_path("redis-server").is_none() {
            if std::env::var("OPC_REQUIRE_REDIS").as_deref() == Ok("1") {
                panic!(
                    "redis-server is not on PATH and OPC_REQUIRE_REDIS=1 requires the Redis tests: install it with `{INSTALL}`"
                );
            }
            eprintln!(
                "the Redis tests of this binary were skipped: redis-server is not on PATH (install it with `{INSTALL}`)"
            );
            return None;
        }
        let port = free_port();
        // The server runs in the background of a shell that waits for its stdin to close
        // (this process ended or dropped the handle) and then stops it.
        let script = r#"redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --logfile '' >/dev/null &
pid=$!
read _
kill "$pid"
wait "$pid""#;
        let mut watchdog = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("redis-watchdog")
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("sh starts redis-server");
        let stdin = watchdog.stdin.take();
        let server = Self {
            watchdog,
            stdin,
            port,
        };
        server.wait_until_ready();
        Some(server)
    }

    /// The one server of this test binary, started on first use (or `None`, see
    /// [`start`](Self::start)).
    pub fn shared() -> Option<&'static Self> {
        static SERVER: OnceLock<Option<RedisServer>> = OnceLock::new();
        SERVER.get_or_init(Self::start).as_ref()
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Stops the server and waits until it has exited.
    pub fn stop(&mut self) {
        // Closing the pipe ends the watchdog's `read`: it kills the server and waits for it.
        drop(self.stdin.take());
        let _ = self.watchdog.wait();
    }

    /// Waits (at most 10 s) until the server answers `PING`.
    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.pong() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {} within 10 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn pong(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
        let mut answer = [0u8; 7];
        stream.write_all(b"PING\r\n").is_ok()
            && stream.read_exact(&mut answer).is_ok()
            && &answer == b"+PONG\r\n"
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A loopback port nothing listens on now (the OS picks it; the server binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}
