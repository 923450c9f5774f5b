//! The `timestamp` and `sign` headers of a message DingTalk posts to a robot (cargo feature
//! `callback`): known answers computed with `openssl` (the command beside each), DingTalk's
//! one-hour window both ways, and bad signs.
//!
//! DingTalk's rule ("企业内部开发机器人 / 接收消息"): `sign` is the base64 of
//! HMAC-SHA256 keyed with the robot's app secret over `timestamp + "\n" + app secret`, and a
//! `timestamp` more than an hour from the receiver's clock is refused.

#![cfg(feature = "callback")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use open_platform_runtime::callback::{CallbackError, RobotVerifier, TimestampWindow};
use proptest::prelude::*;

fn at_millis(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(millis)
}

const HOUR: u64 = 3_600_000;

/// `(app secret, timestamp header, sign header)`.
const KNOWN_ANSWERS: [(&str, &str, &str); 3] = [
    // The secret of DingTalk's own signing example ("this is secret") and the timestamp of
    // its example request headers ("1577262236757"):
    // printf '%s\n%s' 1577262236757 'this is secret' \
    //   | openssl dgst -sha256 -hmac 'this is secret' -binary | base64
    (
        "this is secret",
        "1577262236757",
        "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=",
    ),
    // printf '%s\n%s' 1577808000000 SEC000example \
    //   | openssl dgst -sha256 -hmac SEC000example -binary | base64
    // (the same vector as the sending side's in tests/signing.rs).
    (
        "SEC000example",
        "1577808000000",
        "dsdxUQENzowaJzB4GevwFv5/Gg+bFsHcHdCHfHCiUGo=",
    ),
    // A secret in UTF-8:
    // printf '%s\n%s' 1577262236757 '钉钉appSecret' \
    //   | openssl dgst -sha256 -hmac '钉钉appSecret' -binary | base64
    (
        "钉钉appSecret",
        "1577262236757",
        "eRKkgrpVeNKOj//eRbH7KYnJoO3FAzL9LNwW5RWiKSA=",
    ),
];

#[test]
fn known_answers_verify() {
    for (secret, timestamp, sign) in KNOWN_ANSWERS {
        let verifier = RobotVerifier::new(secret);
        assert_eq!(verifier.sign(timestamp), sign, "{secret}");
        let sent: u64 = timestamp.parse().expect("a number");
        assert_eq!(
            verifier.verify(timestamp, sign, at_millis(sent + 1_000)),
            Ok(()),
            "{secret}"
        );
    }
}

#[test]
fn the_window_is_one_hour_both_ways() {
    let (secret, timestamp, sign) = KNOWN_ANSWERS[0];
    let verifier = RobotVerifier::new(secret);
    let sent: u64 = timestamp.parse().expect("a number");
    let verify = |now| verifier.verify(timestamp, sign, at_millis(now));
    assert_eq!(verify(sent), Ok(()));
    assert_eq!(verify(sent + HOUR), Ok(()));
    assert_eq!(verify(sent - HOUR), Ok(()));
    assert_eq!(
        verify(sent + HOUR + 1),
        Err(CallbackError::StaleTimestamp {
            age: Duration::from_millis(HOUR + 1),
            tolerance: Duration::from_secs(3600),
        })
    );
    assert_eq!(
        verify(sent - HOUR - 1),
        Err(CallbackError::FutureTimestamp {
            ahead: Duration::from_millis(HOUR + 1),
            tolerance: Duration::from_secs(3600),
        })
    );
    assert_eq!(RobotVerifier::WINDOW, TimestampWindow::DINGTALK);
}

#[test]
fn bad_signs_are_refused() {
    let (secret, timestamp, sign) = KNOWN_ANSWERS[0];
    let verifier = RobotVerifier::new(secret);
    let now = at_millis(timestamp.parse::<u64>().expect("a number"));
    let percent_encoded = sign.replace('+', "%2B").replace('=', "%3D");
    let mut flipped = sign.to_owned();
    flipped.replace_range(0..1, "i");
    for bad in [
        "",
        &sign[..sign.len() - 1],
        &format!("{sign}="),
        &flipped,
        &percent_encoded,
        &sign.to_lowercase(),
        // Another timestamp's sign.
        "dsdxUQENzowaJzB4GevwFv5/Gg+bFsHcHdCHfHCiUGo=",
    ] {
        assert_eq!(
            verifier.verify(timestamp, bad, now),
            Err(CallbackError::BadRobotSign),
            "{bad:?}"
        );
    }
    // The right sign for another secret.
    assert_eq!(
        RobotVerifier::new("another secret").verify(timestamp, sign, now),
        Err(CallbackError::BadRobotSign)
    );
    // The sign covers the timestamp: the next millisecond's is refused.
    assert_eq!(
        verifier.verify("1577262236758", sign, now),
        Err(CallbackError::BadRobotSign)
    );
}

#[test]
fn a_signed_timestamp_that_is_not_a_number_is_refused() {
    let verifier = RobotVerifier::new("this is secret");
    let timestamp = "1577262236757.0";
    let sign = verifier.sign(timestamp);
    assert_eq!(
        verifier.verify(timestamp, &sign, at_millis(1_577_262_236_757)),
        Err(CallbackError::BadTimestamp {
            value: timestamp.to_owned()
        })
    );
}

#[test]
fn debug_hides_the_secret() {
    let text = format!("{:?}", RobotVerifier::new("this is secret"));
    assert!(!text.contains("this is secret"), "{text}");
}

proptest! {
    #[test]
    fn random_headers_are_refused_without_panic(timestamp in ".{0,30}", sign in ".{0,60}") {
        let verifier = RobotVerifier::new("this is secret");
        let result = verifier.verify(&timestamp, &sign, at_millis(1_577_262_236_757));
        if sign != verifier.sign(&timestamp) {
            prop_assert_eq!(result, Err(CallbackError::BadRobotSign));
        }
    }

    #[test]
    fn signed_timestamps_pass_only_within_the_hour(offset in -2 * HOUR as i64..2 * HOUR as i64) {
        let verifier = RobotVerifier::new("this is secret");
        let now = 1_577_262_236_757_u64;
        let sent = now.checked_add_signed(offset).expect("in range");
        let timestamp = sent.to_string();
        let result = verifier.verify(&timestamp, &verifier.sign(&timestamp), at_millis(now));
        prop_assert_eq!(result.is_ok(), offset.unsigned_abs() <= HOUR);
    }
}
