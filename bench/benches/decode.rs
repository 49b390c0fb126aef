//! Decoding benchmark (divan): one `messages/getAll` response of 1,000 messages, shaped like the docs'
//! example, decoded into the generated types, into a hand-written serde model of the same shape, into
//! `serde_json::Value`, and into the hand-written model with `Sender` buffered as a `Value` (how the
//! generated coproducts decoded before they read straight from the deserializer), which shows what that costs.
//! Then an amounts-heavy response (10,000 `Amount`s shaped like the docs' `orderItems/getAll` example) into
//! the generated `Amount` (exact `Decimal`s) and into a hand-written model of the same shape with `f64`s.
//!
//! Every decoder reads the body as the client does ([`mews_connector::runtime::from_body`]: one UTF-8 check,
//! then text); the amounts are also decoded from the byte slice (`serde_json::from_slice`), as many clients do.
//!
//! `cargo bench -p bench --bench decode [-- divan options]`; `cargo xtask bench` reads the table divan prints.

use std::hint::black_box;
use std::sync::LazyLock;

use bench::amounts::{
    FloatAmounts, GeneratedAmounts, amounts_response, check_amount_decoders_agree,
};
use bench::messages::{
    HandGetAllResponse, HandGetAllResponseSenderAsValue, check_decoders_agree, get_all_response,
};
use mews_connector::runtime::from_body;

/// Messages in the response.
const MESSAGES: usize = 1_000;

static BODY: LazyLock<Vec<u8>> =
    LazyLock::new(|| get_all_response(0, MESSAGES as u64).into_bytes());

/// Amounts in the amounts-heavy response.
const AMOUNTS: usize = 10_000;

static AMOUNTS_BODY: LazyLock<Vec<u8>> =
    LazyLock::new(|| amounts_response(AMOUNTS as u64).into_bytes());

fn main() {
    let body = String::from_utf8_lossy(&BODY);
    if let Err(problem) = check_decoders_agree(&body, MESSAGES) {
        eprintln!("error: the decoders disagree, so the comparison would not be fair: {problem}");
        std::process::exit(1);
    }
    let amounts = String::from_utf8_lossy(&AMOUNTS_BODY);
    if let Err(problem) = check_amount_decoders_agree(&amounts, AMOUNTS) {
        eprintln!("error: the amount decoders disagree: {problem}");
        std::process::exit(1);
    }
    eprintln!(
        "decode: one response of {MESSAGES} messages, {} bytes; {AMOUNTS} amounts, {} bytes",
        BODY.len(),
        AMOUNTS_BODY.len()
    );
    divan::main();
}

/// The generated types, as the client decodes a response body.
#[divan::bench]
fn generated() -> Option<mews_connector::MessagesGetAllResponse> {
    from_body(black_box(&BODY)).ok()
}

/// The hand-written model of the same shape.
#[divan::bench]
fn handwritten() -> Option<HandGetAllResponse> {
    from_body(black_box(&BODY)).ok()
}

/// `serde_json::Value`.
#[divan::bench]
fn value() -> Option<serde_json::Value> {
    from_body(black_box(&BODY)).ok()
}

/// The hand-written model with `Sender` buffered as a `serde_json::Value`.
#[divan::bench]
fn handwritten_sender_as_value() -> Option<HandGetAllResponseSenderAsValue> {
    from_body(black_box(&BODY)).ok()
}

/// The amounts-heavy response into the generated `Amount` (exact `Decimal`s).
#[divan::bench]
fn amounts_decimal() -> Option<GeneratedAmounts> {
    from_body(black_box(&AMOUNTS_BODY)).ok()
}

/// The same response into a hand-written model of the same shape with `f64`s.
#[divan::bench]
fn amounts_f64() -> Option<FloatAmounts> {
    from_body(black_box(&AMOUNTS_BODY)).ok()
}

/// The amounts into the generated `Amount`, from the byte slice.
#[divan::bench]
fn amounts_decimal_slice() -> Option<GeneratedAmounts> {
    serde_json::from_slice(black_box(&AMOUNTS_BODY)).ok()
}

/// The amounts into the `f64` model, from the byte slice.
#[divan::bench]
fn amounts_f64_slice() -> Option<FloatAmounts> {
    serde_json::from_slice(black_box(&AMOUNTS_BODY)).ok()
}
