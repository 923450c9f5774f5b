//! A throwaway `redis-server` on a free loopback port for one test, killed when dropped.
//!
//! When the program is missing the test is skipped with a note saying how to install it,
//! unless `OPC_REQUIRE_REDIS=1` is set (CI), where a missing server fails the test.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server`.
pub struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// Starts one, or returns `None` (after saying so) when `redis-server` is not installed
    /// and `OPC_REQUIRE_REDIS=1` is not set.
    pub fn start() -> Option<Self> {
        let required = std::env::var("OPC_REQUIRE_REDIS").is_ok_and(|v| v == "1");
        // A port the system just handed out and that nobody holds now.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let spawned = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match spawned {
            Ok(child) => child,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound && !required => {
                eprintln!(
                    "skipped: redis-server is not installed (apt-get install -y redis-server); \
                     set OPC_REQUIRE_REDIS=1 to make this a failure"
                );
                return None;
            }
            Err(error) => {
                panic!("cannot start redis-server (apt-get install -y redis-server): {error}")
            }
        };
        let server = Self { child, port };
        server.wait_until_listening();
        Some(server)
    }

    /// Polls the port until the server accepts connections (its start, not a time behaviour
    /// under test).
    fn wait_until_listening(&self) {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let give_up = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect_timeout(&address, Duration::from_millis(100)).is_err() {
            assert!(
                Instant::now() < give_up,
                "redis-server did not start listening on {address}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The `redis://` URL of the server.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
