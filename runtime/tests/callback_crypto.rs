//! Encrypted callbacks (cargo feature `callback`): published known-answer vectors of DingTalk
//! and WeCom, ciphertexts built with `openssl` for the padding and frame checks, a round trip
//! of every message length from 0 to 300 bytes, and the error variant of each refusal.
//!
//! Every published vector below was checked on its own before it was trusted, with Python's
//! `cryptography` package (not this crate):
//!
//! ```text
//! python3 -c '
//! import base64, hashlib, struct, sys
//! from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
//! token, aes_key, owner, sig, ts, nonce, enc = sys.argv[1:]
//! key = base64.b64decode(aes_key + "=")
//! assert hashlib.sha1("".join(sorted([token, ts, nonce, enc])).encode()).hexdigest() == sig
//! d = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
//! pt = d.update(base64.b64decode(enc)) + d.finalize()
//! pad = pt[-1]; assert pt[-pad:] == bytes([pad]) * pad; body = pt[:-pad]
//! n = struct.unpack(">I", body[16:20])[0]
//! assert body[20 + n:].decode() == owner
//! print(pad, body[:16], body[20:20 + n].decode())' TOKEN AES_KEY OWNER SIGNATURE TIMESTAMP NONCE ENCRYPT
//! ```
//!
//! which printed the pad value, the random prefix and the message quoted beside each vector.

#![cfg(feature = "callback")]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use open_platform_runtime::callback::{
    message_signature, verify_message_signature, CallbackCrypto, CallbackError, CallbackQuery,
    EncodingAesKey, EncryptedBody, EncryptedReply, TimestampUnit, TimestampWindow,
};

fn at_millis(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(millis)
}

/// A published vector: the configuration, the signed query and the ciphertext, and what it
/// decrypts to.
struct Vector {
    token: &'static str,
    aes_key: &'static str,
    owner: &'static str,
    signature: &'static str,
    timestamp: &'static str,
    nonce: &'static str,
    encrypt: &'static str,
    /// The frame's random prefix (as decrypted by the Python check above).
    prefix: &'static [u8; 16],
    message: &'static str,
    /// The pad value (as decrypted by the Python check above).
    pad: usize,
}

/// DingTalk's own example (the old "钉钉开放平台加解密方案" page; the same values are in
/// `mingyoung/dingtalk` `tests/Kernel/Encryption/EncryptorTest.php` and in the Java demo
/// `CreateSuiteReceiveServlet.java` of DingTalk's ISV demo, `main`). Pad 22.
const DINGTALK_SUITE: Vector = Vector {
    token: "123456",
    aes_key: "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij",
    owner: "suite4xxxxxxxxxxxxxxx",
    signature: "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0",
    timestamp: "1445827045067",
    nonce: "nEXhMP4r",
    encrypt: "1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==",
    prefix: b"hU3bEfGZZewzhG5a",
    message: r#"{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}"#,
    pad: 22,
};

/// DingTalk's official callback library: `open-dingtalk/DingTalk-Callback-Crypto`,
/// `DingCallbackCrypto3.py`, `__main__` (the `getDecryptMsg` call). Pad 31.
const DINGTALK_CHECK_URL: Vector = Vector {
    token: "mryue",
    aes_key: "Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7",
    owner: "ding6ccabc44d2c8d38b",
    signature: "03044561471240d4a14bb09372dfcfd4fd0e40cb",
    timestamp: "1608001896814",
    nonce: "WL4PK6yA",
    encrypt: "0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3",
    prefix: b"l7Y3EcX2CU5w8av3",
    message: r#"{"EventType":"check_url"}"#,
    pad: 31,
};

/// WeCom's official sample (WXBizMsgCrypt), URL verification: `workweixin/weworkapi_golang`
/// `json_callback/sample.go` (使用示例一, the same values in every language's sample).
/// Timestamps in seconds. Pad 7.
const WECOM_VERIFY_URL: Vector = Vector {
    token: "QDG6eK",
    aes_key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    owner: "wx5823bf96d3bd56c7",
    signature: "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
    timestamp: "1409659589",
    nonce: "263014780",
    encrypt:
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==",
    prefix: b"c41b64491c2468d0",
    message: "1616140317555161061",
    pad: 7,
};

/// WeCom's official sample, a JSON message: `workweixin/weworkapi_golang`
/// `json_callback/sample.go` (使用示例二, the `reqMsgSign` and `reqData` values). Pad 22.
const WECOM_JSON: Vector = Vector {
    token: "QDG6eK",
    aes_key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    owner: "wx5823bf96d3bd56c7",
    signature: "0623cbc5a8cbee5bcc137c70de99575366fc2af3",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt: "CZWs4CWRpI4VolQlvn4dlEC1alN2MUEY2VklGehgBVLBrlVF7SyT+SV+Toj43l4ayJ9UMGKphktKKmP7B2j/P1ey67XB8PBgS7Wr5/8+w/yWriZv3Vmoo/MH3/1HsIWZrPQ3N2mJrelStIfI2Y8kLKXA7EhfZgZX4o+ffdkZDM76SEl79Ib9mw7TGjZ9Aw/x/A2VjNbV1E8BtEbRxYYcQippYNw7hr8sFfa3nW1xLdxokt8QkRX83vK3DFP2F6TQFPL2Tu98UwhcUpPvdJBuu1/yiOQIScppV3eOuLWEsko=",
    prefix: b"EDH75AiKExevY8L3",
    message: r#"{"ToUserName":"wx5823bf96d3bd56c7","FromUserName":"mycreate","CreateTime": 1409659813,"MsgType":"text","Content":"hello","MsgId":4561255354251345929,"AgentID": 218}"#,
    pad: 22,
};

/// WeCom's official sample, an XML message: `sbzhu/weworkapi_python` `callback/Sample.py`
/// (使用示例二, the request in the comment; the same in Tencent's C# `Sample.cs`). Pad 30.
const WECOM_XML: Vector = Vector {
    token: "QDG6eK",
    aes_key: "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
    owner: "wx5823bf96d3bd56c7",
    signature: "477715d11cdb4164915debcba66cb864d751f3e6",
    timestamp: "1409659813",
    nonce: "1372623149",
    encrypt: "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==",
    prefix: b"0960688932c47ef1",
    message: "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>",
    pad: 30,
};

/// WeCom's official sample with another configuration and a non-ASCII message:
/// `sbzhu/weworkapi_python` `callback/Sample.py` (使用示例二, `sReqMsgSig` and `sReqData`).
/// Pad 22.
const WECOM_XML_UTF8: Vector = Vector {
    token: "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo",
    aes_key: "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
    owner: "ww1436e0e65a779aee",
    signature: "0c3914025cb4b4d68103f6bfc8db550f79dcf48e",
    timestamp: "1476422779",
    nonce: "1597212914",
    encrypt: "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+",
    prefix: b"694ce5a83ae07fe3",
    message: "<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>",
    pad: 22,
};

const DINGTALK_VECTORS: [&Vector; 2] = [&DINGTALK_SUITE, &DINGTALK_CHECK_URL];
const WECOM_VECTORS: [&Vector; 4] = [&WECOM_VERIFY_URL, &WECOM_JSON, &WECOM_XML, &WECOM_XML_UTF8];

impl Vector {
    fn crypto(&self, window: TimestampWindow) -> CallbackCrypto {
        CallbackCrypto::new(self.token, self.aes_key, self.owner)
            .expect("a valid key")
            .with_timestamp_window(window)
    }

    fn query(&self) -> CallbackQuery {
        CallbackQuery::new(self.signature, self.timestamp, self.nonce)
    }

    /// The vector's own time, in milliseconds.
    fn sent_millis(&self, unit: TimestampUnit) -> u64 {
        let value: u64 = self.timestamp.parse().expect("a number");
        match unit {
            TimestampUnit::Millis => value,
            _ => value * 1000,
        }
    }
}

fn check_vector(vector: &Vector, window: TimestampWindow) {
    let crypto = vector.crypto(window);
    // Received 59 s after it was sent.
    let now = at_millis(vector.sent_millis(window.unit()) + 59_000);
    let message = crypto
        .decrypt(&vector.query(), vector.encrypt, now)
        .unwrap_or_else(|err| panic!("{}: {err}", vector.signature));
    assert_eq!(message, vector.message, "{}", vector.signature);

    // The published signature is the one computed here.
    assert_eq!(
        message_signature(vector.token, vector.timestamp, vector.nonce, vector.encrypt),
        vector.signature
    );

    // Encrypting the message behind the same prefix gives the published ciphertext back,
    // byte for byte, so the frame, the padding to 32 bytes (pad `vector.pad`) and the
    // base64 are those of the platform's own code.
    let reply = crypto
        .encrypt_with_prefix(
            vector.prefix,
            vector.message,
            vector.timestamp,
            vector.nonce,
        )
        .expect("encrypted");
    assert_eq!(reply.encrypt, vector.encrypt, "pad {}", vector.pad);
    assert_eq!(reply.signature, vector.signature);
}

#[test]
fn dingtalk_published_vectors_decrypt_and_reencrypt() {
    for vector in DINGTALK_VECTORS {
        check_vector(vector, TimestampWindow::DINGTALK);
    }
}

#[test]
fn wecom_published_vectors_decrypt_and_reencrypt_with_seconds() {
    for vector in WECOM_VECTORS {
        check_vector(vector, TimestampWindow::WECOM);
    }
}

#[test]
fn published_vectors_cover_pads_above_16() {
    let pads: Vec<usize> = DINGTALK_VECTORS
        .iter()
        .chain(WECOM_VECTORS.iter())
        .map(|vector| vector.pad)
        .collect();
    assert!(pads.iter().any(|&pad| pad > 16 && pad < 32), "{pads:?}");
    assert!(pads.iter().any(|&pad| pad <= 16), "{pads:?}");
}

#[test]
fn wecom_seconds_read_as_milliseconds_are_stale() {
    // A WeCom timestamp (seconds) checked as DingTalk's (milliseconds) reads as January 1970.
    let crypto = WECOM_JSON.crypto(TimestampWindow::DINGTALK);
    let now = at_millis(WECOM_JSON.sent_millis(TimestampUnit::Seconds));
    let err = crypto
        .decrypt(&WECOM_JSON.query(), WECOM_JSON.encrypt, now)
        .unwrap_err();
    assert!(
        matches!(err, CallbackError::StaleTimestamp { .. }),
        "{err:?}"
    );
}

#[test]
fn json_body_and_query_pairs() {
    let crypto = DINGTALK_SUITE.crypto(TimestampWindow::DINGTALK);
    // DingTalk's query as it arrives, with the older `signature` name and an extra parameter.
    let query = CallbackQuery::from_pairs([
        ("signature", DINGTALK_SUITE.signature),
        ("timestamp", DINGTALK_SUITE.timestamp),
        ("nonce", DINGTALK_SUITE.nonce),
        ("other", "x"),
    ])
    .expect("complete");
    assert_eq!(query, DINGTALK_SUITE.query());
    let body = format!(r#"{{"encrypt":"{}","extra":1}}"#, DINGTALK_SUITE.encrypt);
    let now = at_millis(DINGTALK_SUITE.sent_millis(TimestampUnit::Millis));
    let message = crypto
        .decrypt_body(&query, body.as_bytes(), now)
        .expect("decrypted");
    assert_eq!(message, DINGTALK_SUITE.message);

    // `msg_signature` and `timeStamp` are read too, `msg_signature` before `signature`.
    let query = CallbackQuery::from_pairs([
        ("signature", "wrong"),
        ("msg_signature", "right"),
        ("timeStamp", "1"),
        ("nonce", "n"),
    ])
    .expect("complete");
    assert_eq!(query, CallbackQuery::new("right", "1", "n"));

    assert_eq!(
        CallbackQuery::from_pairs([("timestamp", "1"), ("nonce", "n")]),
        Err(CallbackError::MissingParameter {
            name: "msg_signature"
        })
    );
    assert_eq!(
        CallbackQuery::from_pairs([("signature", "s"), ("nonce", "n")]),
        Err(CallbackError::MissingParameter { name: "timestamp" })
    );
    assert_eq!(
        CallbackQuery::from_pairs([("signature", "s"), ("timestamp", "1")]),
        Err(CallbackError::MissingParameter { name: "nonce" })
    );

    for body in [
        &b""[..],
        b"{}",
        b"[]",
        br#"{"encrypt":1}"#,
        br#"{"encrypt":null}"#,
        b"\xff\xfe",
        br#"{"encrypt":"abc""#,
    ] {
        let err = crypto.decrypt_body(&query, body, now).unwrap_err();
        assert!(matches!(err, CallbackError::BadBody { .. }), "{err:?}");
        assert!(EncryptedBody::from_json(body).is_err());
    }
}

/// The key of [`DINGTALK_SUITE`], for the ciphertexts built with `openssl` below:
/// `python3 -c "import base64; print(base64.b64decode('4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij=').hex())"`
/// gives `e20e63eb8aa5ca5df3bdeb6ac73e638a871daf9f3a7e7db3be3a5af3396cde28`, the IV its first
/// half; each frame below was written with `printf` and encrypted with
/// `openssl enc -aes-256-cbc -nopad -K e20e63eb…cde28 -iv e20e63eb8aa5ca5df3bdeb6ac73e638a -in FRAME | base64 -w0`.
fn openssl_crypto() -> CallbackCrypto {
    DINGTALK_SUITE.crypto(TimestampWindow::DINGTALK)
}

/// Decrypts a ciphertext built with `openssl`, signed here so that only the frame is tested.
fn decrypt_built(encrypt: &str) -> Result<String, CallbackError> {
    let crypto = openssl_crypto();
    let timestamp = "1700000000000";
    let query = CallbackQuery::new(
        crypto.signature(timestamp, "nonce", encrypt),
        timestamp,
        "nonce",
    );
    crypto.decrypt(&query, encrypt, at_millis(1_700_000_000_000))
}

#[test]
fn padding_of_17_and_32_is_accepted() {
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x06hello!suite4xxxxxxxxxxxxxxx'` then
    // `head -c 17 /dev/zero | tr '\0' '\021'`: a 47-byte frame and 17 bytes of 0x11.
    let pad_17 =
        "t5BhzMl4vwWDGqbT+PBJEcqbj7dmqsk5sVSnTdr6CN4LsfdlL2lhWfSFSHHhS99gux8kRt/FeE8rPAJipfXf7A==";
    assert_eq!(decrypt_built(pad_17).as_deref(), Ok("hello!"));
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x17abcdefghijklmnopqrstuvwsuite4xxxxxxxxxxxxxxx'`
    // then `head -c 32 /dev/zero | tr '\0' '\040'`: a 64-byte frame and a whole block of 0x20.
    let pad_32 = "t5BhzMl4vwWDGqbT+PBJETiUDDM9TjV3j3I/LKwpRdfng+/MEvWW5sUUV1/Ks2geBuyFaZWLcSo0PqEvTdwjjCbqOs76ZxMkrshUmwdgGTfVVklS2e4GXD/ffV1L1eJp";
    assert_eq!(
        decrypt_built(pad_32).as_deref(),
        Ok("abcdefghijklmnopqrstuvw")
    );
    // The same frames encrypted here give the same ciphertexts.
    let crypto = openssl_crypto();
    for (message, expected) in [("hello!", pad_17), ("abcdefghijklmnopqrstuvw", pad_32)] {
        let reply = crypto
            .encrypt_with_prefix(b"aaaabbbbccccdddd", message, "1", "n")
            .expect("encrypted");
        assert_eq!(reply.encrypt, expected);
    }
}

#[test]
fn padding_of_0_33_or_unequal_bytes_is_refused() {
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x07hello12suite4xxxxxxxxxxxxxxx'` then
    // `head -c 16 /dev/zero`: the last byte is 0.
    let pad_0 =
        "t5BhzMl4vwWDGqbT+PBJEcc+063UTiEyazaa5kPskuSLTl6VgeDnblHPVuQyDwfyRzqa6Q8Q4uazSbzoVF7KKA==";
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x16abcdefghijklmnopqrstuvsuite4xxxxxxxxxxxxxxx'` then
    // `head -c 33 /dev/zero | tr '\0' '\041'`: 33 bytes of 33.
    let pad_33 = "t5BhzMl4vwWDGqbT+PBJESuH9duz2xkFN+tun2xoKBrTJ/NmboCudpJ0q3Ad1mTX4pgDh64mqIhfehq+kqKtJaJRQ8sCUZk6edDocZfOTUNwTsrFvHbRVeN413GJf0uA";
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x05hellosuite4xxxxxxxxxxxxxxx\x11'` then
    // `head -c 17 /dev/zero | tr '\0' '\022'`: 18 claimed by the last byte, the first 0x11.
    let pad_unequal =
        "t5BhzMl4vwWDGqbT+PBJEY45ZXyrwZYJO0OLjyd/iiJh5PHaJv8M6HpwISGSou0vYxu9EnZ9nEch9b0hj+y/WA==";
    for encrypt in [pad_0, pad_33, pad_unequal] {
        assert_eq!(
            decrypt_built(encrypt),
            Err(CallbackError::BadPadding),
            "{encrypt}"
        );
    }
}

#[test]
fn frames_whose_length_field_does_not_fit_are_refused() {
    // `printf 'aaaabbbbccccdddd\xff\xff\xff\xffhellosuite4xxxxxxxxxxxxxxx'` then
    // `head -c 18 /dev/zero | tr '\0' '\022'`: it declares 4 GiB and holds 26 bytes.
    let too_large =
        "t5BhzMl4vwWDGqbT+PBJEWwthkqkRNDvX2tpXx7MQ8F9SsgeGhJaB3Icf00crERDu/sOdiVAWHLVhKyznyR/OQ==";
    assert_eq!(
        decrypt_built(too_large),
        Err(CallbackError::BadFrame {
            declared: 0xffff_ffff,
            available: 26
        })
    );
    // `printf 'aaaabbbbccccdddd\x00\x00'` then `head -c 14 /dev/zero | tr '\0' '\016'`: the
    // header itself is cut short.
    let short = "t5BhzMl4vwWDGqbT+PBJEYSjDpPO3mA4Un7voUlbVmA=";
    assert_eq!(
        decrypt_built(short),
        Err(CallbackError::BadFrame {
            declared: 0,
            available: 0
        })
    );
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x02hellosuite4xxxxxxxxxxxxxxx'` then
    // `head -c 18 /dev/zero | tr '\0' '\022'`: it declares 2 bytes, so "llo" joins the owner
    // id, which then is not the configured one.
    let too_small =
        "t5BhzMl4vwWDGqbT+PBJEZRVVehfJm5cdvCfXEEVlDydbK8PDFXJxd0Naab/2/qxAJDZEFn1aBgbFhBCHpg6Wg==";
    assert_eq!(
        decrypt_built(too_small),
        Err(CallbackError::WrongOwner {
            expected: "suite4xxxxxxxxxxxxxxx".to_owned(),
            received: "llosuite4xxxxxxxxxxxxxxx".to_owned(),
        })
    );
}

#[test]
fn a_message_that_is_not_utf8_is_refused() {
    // `printf 'aaaabbbbccccdddd\x00\x00\x00\x05\xff\xfeABCsuite4xxxxxxxxxxxxxxx'` then
    // `head -c 18 /dev/zero | tr '\0' '\022'`.
    let not_utf8 =
        "t5BhzMl4vwWDGqbT+PBJEUtTLsSmr9qoPlMG2KlDLRUvGQtrXU7cZMIxckwjx+yNuXHMUS6zQRwV8hsoFqdcSA==";
    assert_eq!(decrypt_built(not_utf8), Err(CallbackError::NotUtf8));
}

#[test]
fn a_wrong_owner_id_has_its_own_error() {
    // DingTalk's example, configured with the corp id of another app.
    let crypto = CallbackCrypto::new(
        DINGTALK_SUITE.token,
        DINGTALK_SUITE.aes_key,
        "suite4xxxxxxxxxxxxxxy",
    )
    .expect("a valid key");
    let now = at_millis(DINGTALK_SUITE.sent_millis(TimestampUnit::Millis));
    assert_eq!(
        crypto.decrypt(&DINGTALK_SUITE.query(), DINGTALK_SUITE.encrypt, now),
        Err(CallbackError::WrongOwner {
            expected: "suite4xxxxxxxxxxxxxxy".to_owned(),
            received: "suite4xxxxxxxxxxxxxxx".to_owned(),
        })
    );
    // An empty owner id, and a prefix of the real one, are no match either.
    for owner in ["", "suite4"] {
        let crypto = CallbackCrypto::new(DINGTALK_SUITE.token, DINGTALK_SUITE.aes_key, owner)
            .expect("a valid key");
        let err = crypto
            .decrypt(&DINGTALK_SUITE.query(), DINGTALK_SUITE.encrypt, now)
            .unwrap_err();
        assert!(matches!(err, CallbackError::WrongOwner { .. }), "{err:?}");
    }
}

#[test]
fn a_bad_signature_has_its_own_error() {
    let crypto = DINGTALK_SUITE.crypto(TimestampWindow::DINGTALK);
    let now = at_millis(DINGTALK_SUITE.sent_millis(TimestampUnit::Millis));
    let good = DINGTALK_SUITE.query();
    let cases = [
        // One hex digit changed, upper case, cut short, extended, empty.
        CallbackQuery {
            signature: "5a65ceeef9aab2d149439f82dc191dd6c5cbe2c1".to_owned(),
            ..good.clone()
        },
        CallbackQuery {
            signature: good.signature.to_uppercase(),
            ..good.clone()
        },
        CallbackQuery {
            signature: good.signature[..39].to_owned(),
            ..good.clone()
        },
        CallbackQuery {
            signature: format!("{}0", good.signature),
            ..good.clone()
        },
        CallbackQuery {
            signature: String::new(),
            ..good.clone()
        },
        // The signature covers the timestamp and the nonce.
        CallbackQuery {
            timestamp: "1445827045068".to_owned(),
            ..good.clone()
        },
        CallbackQuery {
            nonce: "nEXhMP4s".to_owned(),
            ..good.clone()
        },
    ];
    for query in cases {
        assert_eq!(
            crypto.decrypt(&query, DINGTALK_SUITE.encrypt, now),
            Err(CallbackError::BadSignature),
            "{query:?}"
        );
    }
    // ... and the ciphertext, and the token.
    let mut tampered = DINGTALK_SUITE.encrypt.to_owned();
    tampered.replace_range(0..1, "2");
    assert_eq!(
        crypto.decrypt(&good, &tampered, now),
        Err(CallbackError::BadSignature)
    );
    let other_token = CallbackCrypto::new("654321", DINGTALK_SUITE.aes_key, DINGTALK_SUITE.owner)
        .expect("a valid key");
    assert_eq!(
        other_token.decrypt(&good, DINGTALK_SUITE.encrypt, now),
        Err(CallbackError::BadSignature)
    );
    assert_eq!(
        verify_message_signature(
            &good.signature,
            DINGTALK_SUITE.token,
            &good.timestamp,
            &good.nonce,
            DINGTALK_SUITE.encrypt
        ),
        Ok(())
    );
}

#[test]
fn stale_and_future_timestamps_have_their_own_errors() {
    let crypto = DINGTALK_SUITE.crypto(TimestampWindow::DINGTALK);
    let sent = DINGTALK_SUITE.sent_millis(TimestampUnit::Millis);
    let hour = 3_600_000;
    let query = DINGTALK_SUITE.query();
    let decrypt = |now| crypto.decrypt(&query, DINGTALK_SUITE.encrypt, at_millis(now));
    // Exactly an hour either way is accepted, a millisecond more is not.
    assert!(decrypt(sent + hour).is_ok());
    assert!(decrypt(sent - hour).is_ok());
    assert_eq!(
        decrypt(sent + hour + 1),
        Err(CallbackError::StaleTimestamp {
            age: Duration::from_millis(hour + 1),
            tolerance: Duration::from_secs(3600)
        })
    );
    assert_eq!(
        decrypt(sent - hour - 1),
        Err(CallbackError::FutureTimestamp {
            ahead: Duration::from_millis(hour + 1),
            tolerance: Duration::from_secs(3600)
        })
    );
    // A clock before 1970 sees every timestamp in the future.
    let err = crypto
        .decrypt(
            &query,
            DINGTALK_SUITE.encrypt,
            UNIX_EPOCH - Duration::from_secs(1),
        )
        .unwrap_err();
    assert!(
        matches!(err, CallbackError::FutureTimestamp { .. }),
        "{err:?}"
    );

    // The window is configurable.
    let narrow = crypto.clone().with_timestamp_window(TimestampWindow::new(
        TimestampUnit::Millis,
        Duration::from_secs(5),
    ));
    assert!(narrow
        .decrypt(&query, DINGTALK_SUITE.encrypt, at_millis(sent + 5_000))
        .is_ok());
    let err = narrow
        .decrypt(&query, DINGTALK_SUITE.encrypt, at_millis(sent + 5_001))
        .unwrap_err();
    assert!(
        matches!(err, CallbackError::StaleTimestamp { .. }),
        "{err:?}"
    );

    // WeCom's seconds: the window is counted in milliseconds all the same.
    let wecom = WECOM_JSON.crypto(TimestampWindow::WECOM);
    let sent = WECOM_JSON.sent_millis(TimestampUnit::Seconds);
    let query = WECOM_JSON.query();
    assert!(wecom
        .decrypt(&query, WECOM_JSON.encrypt, at_millis(sent + hour))
        .is_ok());
    let err = wecom
        .decrypt(&query, WECOM_JSON.encrypt, at_millis(sent + hour + 1))
        .unwrap_err();
    assert!(
        matches!(err, CallbackError::StaleTimestamp { .. }),
        "{err:?}"
    );
}

#[test]
fn timestamps_that_are_not_numbers_are_refused() {
    let crypto = openssl_crypto();
    let now = at_millis(1_700_000_000_000);
    let reply_for = |timestamp: &str| {
        crypto
            .encrypt("hello", timestamp, "nonce")
            .expect("encrypted")
    };
    for timestamp in [
        "",
        "+1700000000000",
        "-1",
        " 1700000000000",
        "17e11",
        "1.5",
        "99999999999999999999999",
        "１７",
    ] {
        let reply = reply_for(timestamp);
        assert_eq!(
            crypto.decrypt(&reply.query(), &reply.encrypt, now),
            Err(CallbackError::BadTimestamp {
                value: timestamp.to_owned()
            }),
            "{timestamp:?}"
        );
    }
}

#[test]
fn round_trip_of_every_length_from_0_to_300() {
    let crypto = CallbackCrypto::new(
        "token",
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
        "dingowner",
    )
    .expect("a valid key");
    let now = at_millis(1_700_000_000_000);
    let alphabet = "aé中😀";
    for length in 0..=300 {
        // Multi-byte characters where they fit, then ASCII up to the length.
        let mut message = String::new();
        for c in alphabet.chars().cycle() {
            if message.len() + c.len_utf8() > length {
                break;
            }
            message.push(c);
        }
        while message.len() < length {
            message.push('x');
        }
        assert_eq!(message.len(), length);
        let reply = crypto
            .encrypt(&message, "1700000000000", "nonce123nonce123")
            .expect("encrypted");
        // Whole AES blocks, padded to 32 bytes: 20 + length + 9 rounded up past a multiple.
        let ciphertext_length = base64_decoded_length(&reply.encrypt);
        assert_eq!(ciphertext_length % 32, 0, "{length}");
        assert_eq!(
            ciphertext_length,
            (20 + length + 9) / 32 * 32 + 32,
            "{length}"
        );
        let decrypted = crypto
            .decrypt(&reply.query(), &reply.encrypt, now)
            .expect("decrypted");
        assert_eq!(decrypted, message, "{length}");
    }
}

/// The decoded length of padded standard base64.
fn base64_decoded_length(text: &str) -> usize {
    text.len() / 4 * 3 - text.bytes().rev().take_while(|&b| b == b'=').count()
}

#[test]
fn encryption_uses_a_fresh_prefix_each_time() {
    let crypto = openssl_crypto();
    let first = crypto.encrypt("same", "1", "n").expect("encrypted");
    let second = crypto.encrypt("same", "1", "n").expect("encrypted");
    assert_ne!(first.encrypt, second.encrypt);
}

#[test]
fn success_reply_is_signed_and_decrypts_to_success() {
    let crypto = DINGTALK_SUITE.crypto(TimestampWindow::DINGTALK);
    let now = at_millis(1_700_000_000_123);
    let reply = crypto.success_reply(now).expect("a reply");
    assert_eq!(reply.timestamp, "1700000000123");
    assert_eq!(reply.nonce.len(), 16);
    assert!(reply.nonce.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(
        reply.signature,
        message_signature(
            DINGTALK_SUITE.token,
            &reply.timestamp,
            &reply.nonce,
            &reply.encrypt
        )
    );
    assert_eq!(
        crypto
            .decrypt(&reply.query(), &reply.encrypt, now)
            .as_deref(),
        Ok("success")
    );

    // The JSON DingTalk reads, with its field names.
    let json: serde_json::Value = serde_json::from_str(&reply.to_json()).expect("JSON");
    assert_eq!(json["msg_signature"], reply.signature.as_str());
    assert_eq!(json["timeStamp"], reply.timestamp.as_str());
    assert_eq!(json["nonce"], reply.nonce.as_str());
    assert_eq!(json["encrypt"], reply.encrypt.as_str());
    assert_eq!(json.as_object().map(|o| o.len()), Some(4));
    let back: EncryptedReply = serde_json::from_value(json).expect("the same fields");
    assert_eq!(back, reply);

    // WeCom's replies are stamped in seconds.
    let wecom = WECOM_JSON.crypto(TimestampWindow::WECOM);
    let reply = wecom.success_reply(now).expect("a reply");
    assert_eq!(reply.timestamp, "1700000000");
}

#[test]
fn keys_must_be_43_characters_of_base64() {
    assert!(EncodingAesKey::new(DINGTALK_SUITE.aes_key).is_ok());
    // The decoded key of DINGTALK_SUITE, as Python's base64 gives it (see openssl_crypto).
    let key: EncodingAesKey = DINGTALK_SUITE.aes_key.parse().expect("a valid key");
    assert_eq!(key.as_bytes()[..4], [0xe2, 0x0e, 0x63, 0xeb], "e20e63eb…");
    assert_eq!(key.as_bytes()[28..], [0x39, 0x6c, 0xde, 0x28], "…396cde28");
    assert_eq!(format!("{key:?}"), "EncodingAesKey(***)");

    for (encoded, expected) in [
        ("", CallbackError::BadKeyLength { length: 0 }),
        (
            "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3i",
            CallbackError::BadKeyLength { length: 42 },
        ),
        (
            "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij=",
            CallbackError::BadKeyLength { length: 44 },
        ),
        // 43 characters (counted as characters, not bytes), but not base64.
        (
            "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3i中",
            CallbackError::BadKey,
        ),
        (
            "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3i!",
            CallbackError::BadKey,
        ),
        (
            "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3i=",
            CallbackError::BadKey,
        ),
        (
            "4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls-ij",
            CallbackError::BadKey,
        ),
    ] {
        assert_eq!(EncodingAesKey::new(encoded), Err(expected), "{encoded:?}");
        assert!(CallbackCrypto::new("t", encoded, "o").is_err());
    }
}

#[test]
fn bad_base64_and_ciphertext_lengths_have_their_own_errors() {
    for (encrypt, expected) in [
        ("", CallbackError::BadCiphertextLength { length: 0 }),
        ("not base64!", CallbackError::BadBase64),
        ("AAAA AAAA", CallbackError::BadBase64),
        // Missing padding is refused: DingTalk and WeCom send it.
        (
            "t5BhzMl4vwWDGqbT+PBJEYSjDpPO3mA4Un7voUlbVmA",
            CallbackError::BadBase64,
        ),
        ("AAAA", CallbackError::BadCiphertextLength { length: 3 }),
        // 17 bytes.
        (
            "AAAAAAAAAAAAAAAAAAAAAAA=",
            CallbackError::BadCiphertextLength { length: 17 },
        ),
    ] {
        assert_eq!(decrypt_built(encrypt), Err(expected), "{encrypt:?}");
    }
}

/// Property tests: whatever a sender controls gives a typed error (or, where a mutation
/// happens to leave a valid frame, a message whose owner id was checked), never a panic.
mod properties {
    use aes::Aes256;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;
    use cbc::cipher::block_padding::NoPadding;
    use cbc::cipher::{BlockEncryptMut, KeyIvInit};
    use proptest::prelude::*;

    use super::*;

    const OWNER: &str = "dingowner";
    const TIMESTAMP: &str = "1700000000000";

    fn crypto() -> CallbackCrypto {
        CallbackCrypto::new("token", DINGTALK_SUITE.aes_key, OWNER).expect("a valid key")
    }

    fn now() -> SystemTime {
        at_millis(1_700_000_000_000)
    }

    /// Signs `encrypt` correctly and decrypts it, so that only the ciphertext is tested.
    fn decrypt_signed(crypto: &CallbackCrypto, encrypt: &str) -> Result<String, CallbackError> {
        let query = CallbackQuery::new(crypto.signature(TIMESTAMP, "n", encrypt), TIMESTAMP, "n");
        crypto.decrypt(&query, encrypt, now())
    }

    /// Encrypts raw bytes (a whole number of AES blocks) with AES-256-CBC and no padding,
    /// under the test key, so that frames and paddings of any shape can be built.
    fn raw_encrypt(plain: &[u8]) -> String {
        let key = EncodingAesKey::new(DINGTALK_SUITE.aes_key).expect("a valid key");
        let key = key.as_bytes();
        let mut iv = [0; 16];
        iv.copy_from_slice(&key[..16]);
        let mut buffer = plain.to_vec();
        let length = buffer.len();
        let ciphertext = cbc::Encryptor::<Aes256>::new(key.into(), &iv.into())
            .encrypt_padded_mut::<NoPadding>(&mut buffer, length)
            .expect("whole blocks");
        STANDARD.encode(ciphertext)
    }

    /// What the scheme says a decrypted plaintext yields for `owner`, written out
    /// independently of the library: the padding, then the frame, the owner id, the UTF-8.
    fn model(plain: &[u8], owner: &str) -> Result<String, CallbackError> {
        let pad = usize::from(*plain.last().ok_or(CallbackError::BadPadding)?);
        if !(1..=32).contains(&pad)
            || pad > plain.len()
            || plain[plain.len() - pad..]
                .iter()
                .any(|&b| usize::from(b) != pad)
        {
            return Err(CallbackError::BadPadding);
        }
        let body = &plain[..plain.len() - pad];
        if body.len() < 20 {
            return Err(CallbackError::BadFrame {
                declared: 0,
                available: 0,
            });
        }
        let declared = u64::from(u32::from_be_bytes([body[16], body[17], body[18], body[19]]));
        let rest = &body[20..];
        if declared > rest.len() as u64 {
            return Err(CallbackError::BadFrame {
                declared,
                available: rest.len(),
            });
        }
        let (message, received) = rest.split_at(declared as usize);
        if received != owner.as_bytes() {
            return Err(CallbackError::WrongOwner {
                expected: owner.to_owned(),
                received: String::from_utf8_lossy(received).chars().take(64).collect(),
            });
        }
        String::from_utf8(message.to_vec()).map_err(|_| CallbackError::NotUtf8)
    }

    /// A frame with a chosen length field, padded as the scheme pads.
    fn frame(declared: u32, message: &[u8], owner: &[u8]) -> Vec<u8> {
        let mut plain = b"0123456789abcdef".to_vec();
        plain.extend_from_slice(&declared.to_be_bytes());
        plain.extend_from_slice(message);
        plain.extend_from_slice(owner);
        let pad = 32 - plain.len() % 32;
        plain.resize(plain.len() + pad, pad as u8);
        plain
    }

    fn is_decryption_error(err: &CallbackError) -> bool {
        matches!(
            err,
            CallbackError::BadBase64
                | CallbackError::BadCiphertextLength { .. }
                | CallbackError::BadPadding
                | CallbackError::BadFrame { .. }
                | CallbackError::WrongOwner { .. }
                | CallbackError::NotUtf8
        )
    }

    /// Decodes a ciphertext that this crate wrote.
    fn decode(encrypt: &str) -> Vec<u8> {
        STANDARD.decode(encrypt).expect("valid base64")
    }

    proptest! {
        #[test]
        fn flipped_bits_give_a_frame_error_or_a_checked_message(
            message in ".{0,80}",
            flips in prop::collection::vec((any::<prop::sample::Index>(), 0..8_u8), 1..4),
        ) {
            let crypto = crypto();
            let reply = crypto.encrypt(&message, TIMESTAMP, "n").expect("encrypted");
            let mut bytes = decode(&reply.encrypt);
            for (index, bit) in &flips {
                let at = index.index(bytes.len());
                bytes[at] ^= 1 << bit;
            }
            match decrypt_signed(&crypto, &STANDARD.encode(&bytes)) {
                // Only a frame that still ends in this owner id decrypts.
                Ok(_) => {}
                Err(err) => prop_assert!(is_decryption_error(&err), "{err:?}"),
            }
        }

        #[test]
        fn truncated_or_extended_ciphertexts_are_refused(
            message in ".{0,80}",
            cut in 1..64_usize,
            extra in prop::collection::vec(any::<u8>(), 1..64),
        ) {
            let crypto = crypto();
            let reply = crypto.encrypt(&message, TIMESTAMP, "n").expect("encrypted");
            let bytes = decode(&reply.encrypt);
            let truncated = &bytes[..bytes.len().saturating_sub(cut)];
            let mut extended = bytes.clone();
            extended.extend_from_slice(&extra);
            for mutated in [truncated, &extended[..]] {
                let result = decrypt_signed(&crypto, &STANDARD.encode(mutated));
                match result {
                    Ok(text) => {
                        // Dropping or adding whole blocks can leave a valid frame only if
                        // it still ends in this owner id, which `decrypt` checked; its
                        // message is then a prefix of the original's.
                        prop_assert!(message.as_bytes().starts_with(text.as_bytes())
                            || text.as_bytes().starts_with(message.as_bytes()));
                    }
                    Err(err) => prop_assert!(is_decryption_error(&err), "{err:?}"),
                }
                if mutated.len() % 16 != 0 || mutated.is_empty() {
                    prop_assert_eq!(
                        decrypt_signed(&crypto, &STANDARD.encode(mutated)),
                        Err(CallbackError::BadCiphertextLength { length: mutated.len() })
                    );
                }
            }
        }

        #[test]
        fn random_ciphertexts_follow_the_model(
            blocks in prop::collection::vec(any::<[u8; 16]>(), 1..8),
        ) {
            // Random plaintext blocks: the library agrees with the model on every one.
            let plain: Vec<u8> = blocks.concat();
            let encrypt = raw_encrypt(&plain);
            prop_assert_eq!(decrypt_signed(&crypto(), &encrypt), model(&plain, OWNER));
        }

        #[test]
        fn random_paddings_follow_the_model(
            head in prop::collection::vec(any::<u8>(), 0..64),
            pad_value in 0..=40_u8,
            pad_length in 0..=40_usize,
        ) {
            // A frame-like text ending in `pad_length` bytes of `pad_value`, cut to whole
            // blocks from the front so that the tail stays.
            let mut plain = head;
            plain.extend(std::iter::repeat_n(pad_value, pad_length));
            let keep = plain.len() / 16 * 16;
            let plain = plain.split_off(plain.len() - keep);
            prop_assume!(!plain.is_empty());
            prop_assert_eq!(decrypt_signed(&crypto(), &raw_encrypt(&plain)), model(&plain, OWNER));
        }

        #[test]
        fn length_fields_too_large_or_too_small_follow_the_model(
            message in prop::collection::vec(any::<u8>(), 0..80),
            owner_matches in any::<bool>(),
            delta in -100_i64..100,
            huge in any::<u32>(),
            use_huge in any::<bool>(),
        ) {
            let owner: &[u8] = if owner_matches { OWNER.as_bytes() } else { b"other" };
            let declared = if use_huge {
                huge
            } else {
                u32::try_from((message.len() as i64 + delta).max(0)).expect("small")
            };
            let plain = frame(declared, &message, owner);
            let result = decrypt_signed(&crypto(), &raw_encrypt(&plain));
            prop_assert_eq!(&result, &model(&plain, OWNER));
            if declared as usize > message.len() + owner.len() {
                let is_bad_frame = matches!(result, Err(CallbackError::BadFrame { .. }));
                prop_assert!(is_bad_frame);
            }
            if let Ok(text) = result {
                // Accepted only with the exact length and this owner id.
                prop_assert!(owner_matches);
                prop_assert_eq!(declared as usize, message.len());
                prop_assert_eq!(text.as_bytes(), &message[..]);
            }
        }

        #[test]
        fn random_encrypt_text_and_signatures_are_refused(
            encrypt in "[A-Za-z0-9+/=!. ]{0,120}",
            signature in "[0-9a-fA-F]{0,41}",
        ) {
            let crypto = crypto();
            // Unsigned: the signature is checked first.
            let query = CallbackQuery::new(signature.clone(), TIMESTAMP, "n");
            let result = crypto.decrypt(&query, &encrypt, now());
            if signature != crypto.signature(TIMESTAMP, "n", &encrypt) {
                prop_assert_eq!(result, Err(CallbackError::BadSignature));
            }
            // Signed: a decryption error, or a message for this owner.
            if let Err(err) = decrypt_signed(&crypto, &encrypt) {
                prop_assert!(is_decryption_error(&err), "{err:?}");
            }
        }

        #[test]
        fn random_keys_are_accepted_only_as_43_characters_of_base64(key in ".{0,50}") {
            match EncodingAesKey::new(&key) {
                Ok(_) => {
                    prop_assert_eq!(key.chars().count(), 43);
                    prop_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/'));
                }
                Err(CallbackError::BadKeyLength { length }) => {
                    prop_assert_ne!(length, 43);
                    prop_assert_eq!(length, key.chars().count());
                }
                Err(err) => prop_assert_eq!(err, CallbackError::BadKey),
            }
        }

        #[test]
        fn keys_of_43_base64_characters_are_accepted(key in "[A-Za-z0-9+/]{43}") {
            let crypto = CallbackCrypto::new("t", &key, OWNER).expect("a valid key");
            let reply = crypto.encrypt("hi", TIMESTAMP, "n").expect("encrypted");
            prop_assert_eq!(crypto.decrypt(&reply.query(), &reply.encrypt, now()), Ok("hi".to_owned()));
        }

        #[test]
        fn only_the_configured_owner_id_decrypts(owner in ".{0,30}", message in ".{0,40}") {
            let sender = crypto();
            let receiver = CallbackCrypto::new("token", DINGTALK_SUITE.aes_key, owner.clone())
                .expect("a valid key");
            let reply = sender.encrypt(&message, TIMESTAMP, "n").expect("encrypted");
            let result = receiver.decrypt(&reply.query(), &reply.encrypt, now());
            if owner == OWNER {
                prop_assert_eq!(result, Ok(message));
            } else {
                prop_assert_eq!(result, Err(CallbackError::WrongOwner {
                    expected: owner,
                    received: OWNER.to_owned(),
                }));
            }
        }

        #[test]
        fn random_bodies_are_refused_as_json_or_as_ciphertexts(
            body in prop_oneof![
                prop::collection::vec(any::<u8>(), 0..80),
                "[ -~]{0,80}".prop_map(String::into_bytes),
                ".{0,40}".prop_map(|s| serde_json::json!({ "encrypt": s }).to_string().into_bytes()),
                any::<i64>().prop_map(|n| format!(r#"{{"encrypt":{n}}}"#).into_bytes()),
            ],
        ) {
            let crypto = crypto();
            let query = CallbackQuery::new("0".repeat(40), TIMESTAMP, "n");
            match crypto.decrypt_body(&query, &body, now()) {
                Err(CallbackError::BadBody { .. }) => {
                    prop_assert!(EncryptedBody::from_json(&body).is_err());
                }
                Err(CallbackError::BadSignature) => {
                    prop_assert!(EncryptedBody::from_json(&body).is_ok());
                }
                other => prop_assert!(false, "{other:?}"),
            }
        }

        #[test]
        fn random_timestamps_are_numbers_in_the_window_or_refused(
            timestamp in prop_oneof!["[0-9]{0,22}", ".{0,22}"],
        ) {
            let window = TimestampWindow::DINGTALK;
            match window.check(&timestamp, now()) {
                Ok(()) => {
                    let value: u64 = timestamp.parse().expect("a number");
                    prop_assert!(value.abs_diff(1_700_000_000_000) <= 3_600_000);
                }
                Err(CallbackError::BadTimestamp { .. }) => {
                    prop_assert!(timestamp.parse::<u64>().is_err()
                        || !timestamp.bytes().all(|b| b.is_ascii_digit()));
                }
                Err(CallbackError::StaleTimestamp { .. } | CallbackError::FutureTimestamp { .. }) => {
                    let value: u64 = timestamp.parse().expect("a number");
                    prop_assert!(value.abs_diff(1_700_000_000_000) > 3_600_000);
                }
                Err(other) => prop_assert!(false, "{other:?}"),
            }
        }
    }
}
