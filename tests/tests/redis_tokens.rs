//! Tokens shared by a fleet of processes through `RedisTokenStore` on a real `redis-server`:
//! one token fetch for four processes making 50 concurrent calls each on a cold cache; a lock
//! holder killed in the middle of its fetch costs one more fetch and no call of the others;
//! a process rejected with an old token does not remove the new one another process stored.
//!
//! The processes are this test binary run again with `OPC_REDIS_TEST_ROLE` naming a role
//! (see [`child_process`]); they reach the parent's Redis server and token server by URL.
//! Each scenario keeps its Redis keys apart with its own prefix.

mod redis_support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use open_platform_clients::dingtalk::{self, auth, report};
use open_platform_clients::runtime::{
    FetchedToken, RedisTokenStore, RetryPolicy, TokenRequest, TokenSource,
};
use redis_support::RedisServer;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ROLE: &str = "OPC_REDIS_TEST_ROLE";
const REDIS_URL: &str = "OPC_REDIS_TEST_URL";
const PREFIX: &str = "OPC_REDIS_TEST_PREFIX";
const TOKEN_SERVER: &str = "OPC_REDIS_TEST_TOKEN_SERVER";
const APPKEY: &str = "fleet-app";
const APPSECRET: &str = "fleet-secret";
const UNREAD_PATH: &str = "/topapi/report/getunreadcount";
/// The calls each process makes at once.
const CALLS: usize = 50;
/// The fleet-wide fetch lock's time to live in the child processes.
const LOCK_TTL: Duration = Duration::from_secs(2);

// ---------------------------------------------------------------------------------------------
// the child processes
// ---------------------------------------------------------------------------------------------

/// A child process's role, when the parent runs this binary again with `OPC_REDIS_TEST_ROLE`
/// set; in an ordinary test run it does nothing. A child prints `READY` when set up, waits for
/// a line on stdin, does its part and prints what it saw on `@@` lines the parent reads.
#[test]
fn child_process() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        match role.as_str() {
            "calls" => calls_role().await,
            "late" => late_role().await,
            "renew" => renew_role().await,
            other => panic!("unknown role {other}"),
        }
    });
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set for a child process"))
}

/// The token source every process builds alike: `gettoken` cached in the shared Redis.
fn fleet_source() -> FetchedToken {
    let store = RedisTokenStore::open(&env(REDIS_URL))
        .expect("a Redis URL")
        .prefix(env(PREFIX));
    auth::GetTokenRequest::new(APPKEY, APPSECRET)
        .into_token_source()
        .store(Arc::new(store))
        .fetch_lock_ttl(LOCK_TTL)
}

fn client_builder() -> open_platform_clients::runtime::ClientBuilder<dingtalk::Client> {
    dingtalk::Client::builder()
        .retry(RetryPolicy::none())
        .server(env(TOKEN_SERVER))
        // 50 concurrent calls of one API: DingTalk's documented 20 a second would spread them
        // over seconds of a test about tokens.
        .without_rate_limits()
}

/// Waits for the parent's go.
fn ready() {
    println!("@@READY");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).expect("stdin");
}

/// 50 concurrent calls with the fleet's token; prints how many succeeded.
async fn calls_role() {
    let dt = client_builder()
        .token(fleet_source())
        .build()
        .expect("client");
    ready();
    let calls = (0..CALLS).map(|_| {
        dt.report()
            .get_unread_count(report::GetUnreadCountRequest::new("user123"))
    });
    let results = join_all(calls).await;
    let ok = results.iter().filter(|result| result.is_ok()).count();
    for error in results.iter().filter_map(|result| result.as_ref().err()) {
        println!("@@ERROR {error}");
    }
    println!("@@OK {ok}");
}

/// Gets the token, waits for the go, then is told (late) that the platform rejected it:
/// invalidates it and gets the token again.
async fn late_role() {
    let dt = client_builder().build().expect("client");
    let source = fleet_source();
    let token = source.token(dt.runtime()).await.expect("a token");
    println!("@@TOKEN {}", token.expose());
    ready();
    source.invalidate(dt.runtime(), &token).await;
    let after = source.token(dt.runtime()).await.expect("a token");
    println!("@@AFTER {}", after.expose());
}

/// Gets the token, has it rejected at once, invalidates it and gets a new one.
async fn renew_role() {
    let dt = client_builder().build().expect("client");
    let source = fleet_source();
    let token = source.token(dt.runtime()).await.expect("a token");
    println!("@@TOKEN {}", token.expose());
    source.invalidate(dt.runtime(), &token).await;
    let after = source.token(dt.runtime()).await.expect("a token");
    println!("@@AFTER {}", after.expose());
}

// ---------------------------------------------------------------------------------------------
// the parent's side
// ---------------------------------------------------------------------------------------------

/// A child process and the lines it printed so far.
struct Process {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Process {
    fn spawn(role: &str, redis: &RedisServer, prefix: &str, tokens: &MockServer) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "--exact",
                "child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(ROLE, role)
            .env(REDIS_URL, redis.url())
            .env(PREFIX, prefix)
            .env(TOKEN_SERVER, tokens.uri())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the test binary runs again");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (at most 30 s) for the child's `@@<prefix>` line (the test harness may print
    /// before it on the same line); returns the rest of it.
    fn expect_line(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let marker = format!("@@{prefix}");
        loop {
            let found = self.seen.iter().find_map(|line| line.split_once(&marker));
            if let Some((_, rest)) = found {
                return rest.trim().to_owned();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!(
                    "no `{prefix}` line from the child; it printed {:?}",
                    self.seen
                ),
            }
        }
    }

    fn go(&mut self) {
        let mut stdin = self.stdin.take().expect("go once");
        stdin.write_all(b"go\n").expect("the child reads stdin");
    }

    /// Waits for the child to exit; its remaining lines are read.
    fn wait(&mut self) -> ExitStatus {
        let status = self.child.wait().expect("the child exits");
        // The reader thread ends with the child's stdout.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.seen.push(line);
        }
        status
    }
}

impl Drop for Process {
    /// A child left behind by a failing test is ended (one that exited is only reaped).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn token(value: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"errcode": 0, "access_token": value, "expires_in": 7200}))
}

async fn token_fetches(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("requests are recorded")
        .iter()
        .filter(|request| request.url.path() == "/gettoken")
        .count()
}

async fn mount_unread_ok(server: &MockServer) {
    Mock::given(method("POST"))
        .and(path(UNREAD_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "count": 3})))
        .mount(server)
        .await;
}

/// A Redis connection of the parent's own, to look at what the processes left.
fn redis_connection(redis: &RedisServer) -> redis::Connection {
    redis::Client::open(redis.url())
        .and_then(|client| client.get_connection())
        .expect("the parent reaches Redis")
}

/// The Redis keys under `prefix`.
fn keys(connection: &mut redis::Connection, prefix: &str) -> Vec<String> {
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query(connection)
        .expect("KEYS");
    keys.sort();
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_of_fifty_concurrent_calls_fetch_one_token() {
    let Some(redis) = RedisServer::shared() else {
        return;
    };
    let tokens = MockServer::start().await;
    // The answer takes a while, so that the other processes ask while it is being fetched.
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(token("fleet-token").set_delay(Duration::from_millis(300)))
        .mount(&tokens)
        .await;
    mount_unread_ok(&tokens).await;
    let prefix = "one-fetch:";

    let mut processes: Vec<Process> = (0..4)
        .map(|_| Process::spawn("calls", redis, prefix, &tokens))
        .collect();
    for process in &mut processes {
        process.expect_line("READY");
    }
    for process in &mut processes {
        process.go();
    }
    for process in &mut processes {
        let status = process.wait();
        assert!(status.success(), "{status}: {:?}", process.seen);
        assert_eq!(
            process.expect_line("OK "),
            CALLS.to_string(),
            "{:?}",
            process.seen
        );
    }

    assert_eq!(token_fetches(&tokens).await, 1);
    let requests = tokens.received_requests().await.expect("recorded");
    let calls: Vec<_> = requests
        .iter()
        .filter(|request| request.url.path() == UNREAD_PATH)
        .collect();
    assert_eq!(calls.len(), 4 * CALLS);
    assert!(calls.iter().all(|request| request
        .url
        .query_pairs()
        .any(|(name, value)| name == "access_token" && value == "fleet-token")));
    // The token is in Redis under the documented key; the lock was released.
    let mut connection = redis_connection(redis);
    let keys = keys(&mut connection, prefix);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(
        keys[0].starts_with("one-fetch:opc:v1:dingtalk:app:fleet-app:-:"),
        "{keys:?}"
    );
    let stored: BTreeMap<String, String> = redis::cmd("HGETALL")
        .arg(&keys[0])
        .query(&mut connection)
        .expect("HGETALL");
    assert_eq!(stored.get("token").map(String::as_str), Some("fleet-token"));
    let ttl_ms: i64 = redis::cmd("PTTL")
        .arg(&keys[0])
        .query(&mut connection)
        .expect("PTTL");
    assert!((7_100_000..=7_200_000).contains(&ttl_ms), "{ttl_ms}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_holder_killed_mid_fetch_costs_one_more_fetch_and_no_other_call() {
    let Some(redis) = RedisServer::shared() else {
        return;
    };
    let tokens = MockServer::start().await;
    // The first fetch never answers in time: its process is killed while it waits.
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(token("never-delivered").set_delay(Duration::from_secs(20)))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&tokens)
        .await;
    Mock::given(method("GET"))
        .and(path("/gettoken"))
        .respond_with(token("second-token"))
        .mount(&tokens)
        .await;
    mount_unread_ok(&tokens).await;
    let prefix = "killed-holder:";

    let mut processes: Vec<Process> = (0..4)
        .map(|_| Process::spawn("calls", redis, prefix, &tokens))
        .collect();
    for process in &mut processes {
        process.expect_line("READY");
    }
    for process in &mut processes {
        process.go();
    }
    // Once the first fetch is under way, the lock names its holder's process.
    let deadline = Instant::now() + Duration::from_secs(30);
    while token_fetches(&tokens).await == 0 {
        assert!(Instant::now() < deadline, "no token fetch within 30 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut connection = redis_connection(redis);
    let lock_key = keys(&mut connection, prefix)
        .into_iter()
        .find(|key| key.ends_with(":lock"))
        .expect("the fetch lock is held");
    let owner: String = redis::cmd("GET")
        .arg(&lock_key)
        .query(&mut connection)
        .expect("GET");
    let pid: u32 = owner
        .split(':')
        .nth(1)
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("the owner value names a process: {owner}"));
    let holder = processes
        .iter()
        .position(|process| process.child.id() == pid)
        .expect("a child holds the lock");
    processes[holder]
        .child
        .kill()
        .expect("the holder is killed");

    for (index, process) in processes.iter_mut().enumerate() {
        let status = process.wait();
        if index == holder {
            assert!(!status.success());
            continue;
        }
        assert!(status.success(), "{status}: {:?}", process.seen);
        assert_eq!(
            process.expect_line("OK "),
            CALLS.to_string(),
            "{:?}",
            process.seen
        );
    }
    let fetches = token_fetches(&tokens).await;
    assert!(fetches <= 2, "{fetches} token fetches");
    // The holder died without a token, so one survivor fetched.
    assert_eq!(fetches, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_rejected_with_an_old_token_leaves_the_new_one() {
    let Some(redis) = RedisServer::shared() else {
        return;
    };
    let tokens = MockServer::start().await;
    for (priority, value) in [(1, "token-1"), (2, "token-2"), (3, "token-3")] {
        Mock::given(method("GET"))
            .and(path("/gettoken"))
            .respond_with(token(value))
            .up_to_n_times(1)
            .with_priority(priority)
            .mount(&tokens)
            .await;
    }
    let prefix = "compare-and-delete:";

    // The late process holds token-1.
    let mut late = Process::spawn("late", redis, prefix, &tokens);
    assert_eq!(late.expect_line("TOKEN "), "token-1");
    late.expect_line("READY");
    // Another process has token-1 rejected, removes it and stores token-2.
    let mut renew = Process::spawn("renew", redis, prefix, &tokens);
    let status = renew.wait();
    assert!(status.success(), "{status}: {:?}", renew.seen);
    assert_eq!(renew.expect_line("TOKEN "), "token-1");
    assert_eq!(renew.expect_line("AFTER "), "token-2");
    // Now the late process learns that token-1 was rejected: token-2 stays, and it uses it.
    late.go();
    let status = late.wait();
    assert!(status.success(), "{status}: {:?}", late.seen);
    assert_eq!(late.expect_line("AFTER "), "token-2");

    assert_eq!(token_fetches(&tokens).await, 2);
    let mut connection = redis_connection(redis);
    let keys = keys(&mut connection, prefix);
    assert_eq!(keys.len(), 1, "{keys:?}");
    let stored: Option<String> = redis::cmd("HGET")
        .arg(&keys[0])
        .arg("token")
        .query(&mut connection)
        .expect("HGET");
    assert_eq!(stored.as_deref(), Some("token-2"));
}
