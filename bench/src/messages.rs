//! `messages/getAll` responses synthesised from the shape of the docs' example (`spec/operations/messages.md`,
//! "Get all messages"), and a hand-written serde model of the same shape to compare the generated types with.
//!
//! Message `i` is the same in every page and every process: its identifier encodes `i`, so a server can turn
//! a cursor back into a position without holding the messages.

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// The identifier of message `index` (a UUID whose last group is the index).
pub fn message_id(index: u64) -> String {
    format!("4bfe4675-98a9-4428-9ea9-{index:012x}")
}

/// The index encoded in a [`message_id`], if `id` is one.
pub fn message_index(id: &str) -> Option<u64> {
    let hex = id.strip_prefix("4bfe4675-98a9-4428-9ea9-")?;
    u64::from_str_radix(hex, 16).ok()
}

/// Texts of varying length, with characters JSON escapes, as messages from guests and staff have.
const TEXTS: [&str; 4] = [
    "Text of the message",
    "Could you prepare the room before 3 pm? We arrive early.",
    "Guest asked for a \"quiet room\" away from the lift; café voucher given at check-in.",
    "OK",
];

/// Appends message `index` as the docs' example shows it: `Id`, `MessageThreadId`, `Text`,
/// `Sender` as `{ "Discriminator": … }` and `CreatedUtc`.
fn write_message(out: &mut String, index: u64) {
    let sender = if index.is_multiple_of(3) {
        "Enterprise"
    } else {
        "Application"
    };
    let text = TEXTS[(index % TEXTS.len() as u64) as usize];
    let text = serde_json::to_string(text).unwrap_or_default();
    let seconds = index % 86_400;
    out.push_str(&format!(
        r#"{{"Id":"{}","MessageThreadId":"8d02142f-31cf-4115-90bf-{:012x}","Text":{text},"Sender":{{"Discriminator":"{sender}"}},"CreatedUtc":"2022-03-{:02}T{:02}:{:02}:{:02}Z"}}"#,
        message_id(index),
        index % 50,
        1 + (index / 86_400) % 28,
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
    ));
}

/// A `messages/getAll` response holding messages `start..start + count`, with the last one's identifier as
/// `Cursor` (`null` for an empty page), as the API pages.
pub fn get_all_response(start: u64, count: u64) -> String {
    let mut out = String::with_capacity(count as usize * 240 + 64);
    out.push_str(r#"{"Messages":["#);
    for index in start..start + count {
        if index > start {
            out.push(',');
        }
        write_message(&mut out, index);
    }
    out.push_str(r#"],"Cursor":"#);
    match count {
        0 => out.push_str("null"),
        _ => out.push_str(&format!(r#""{}""#, message_id(start + count - 1))),
    }
    out.push('}');
    out
}

/// What a person would write by hand for the same response: plain `String`s, a closed enum for the
/// discriminator, serde derives.
#[derive(Debug, Deserialize)]
pub struct HandGetAllResponse {
    /// The messages.
    #[serde(rename = "Messages")]
    pub messages: Vec<HandMessage>,
    /// The cursor of the next page.
    #[serde(rename = "Cursor", default)]
    pub cursor: Option<String>,
}

/// A message, by hand.
#[derive(Debug, Deserialize)]
pub struct HandMessage {
    /// `Id`.
    #[serde(rename = "Id")]
    pub id: String,
    /// `MessageThreadId`.
    #[serde(rename = "MessageThreadId")]
    pub message_thread_id: String,
    /// `Text`.
    #[serde(rename = "Text")]
    pub text: String,
    /// `Sender`.
    #[serde(rename = "Sender")]
    pub sender: HandSender,
    /// `CreatedUtc`, kept as text.
    #[serde(rename = "CreatedUtc")]
    pub created_utc: String,
}

/// The sender, by hand: the discriminator and the (always `null`) value the table lists.
#[derive(Debug, Deserialize)]
pub struct HandSender {
    /// `Discriminator`.
    #[serde(rename = "Discriminator")]
    pub discriminator: HandSenderKind,
    /// `Value`.
    #[serde(rename = "Value", default)]
    pub value: Option<serde_json::Value>,
}

/// The documented discriminator values, as a closed enum.
#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum HandSenderKind {
    /// `Enterprise`.
    Enterprise,
    /// `Application`.
    Application,
}

/// The hand-written model with `Sender` buffered as a `serde_json::Value`, as the generated coproducts
/// decoded it before they read straight from the deserializer: isolates what buffering costs.
#[derive(Debug, Deserialize)]
pub struct HandGetAllResponseSenderAsValue {
    /// The messages.
    #[serde(rename = "Messages")]
    pub messages: Vec<HandMessageSenderAsValue>,
    /// The cursor of the next page.
    #[serde(rename = "Cursor", default)]
    pub cursor: Option<String>,
}

/// [`HandMessage`] with `Sender` as a `serde_json::Value`.
#[derive(Debug, Deserialize)]
pub struct HandMessageSenderAsValue {
    /// `Id`.
    #[serde(rename = "Id")]
    pub id: String,
    /// `MessageThreadId`.
    #[serde(rename = "MessageThreadId")]
    pub message_thread_id: String,
    /// `Text`.
    #[serde(rename = "Text")]
    pub text: String,
    /// `Sender`, buffered.
    #[serde(rename = "Sender")]
    pub sender: serde_json::Value,
    /// `CreatedUtc`, kept as text.
    #[serde(rename = "CreatedUtc")]
    pub created_utc: String,
}

/// Checks that the three decoders see the same page (`messages` messages, the same identifiers and
/// senders), so the benchmark compares equal work. Returns what differs.
pub fn check_decoders_agree(body: &str, messages: usize) -> Result<()> {
    let generated: mews_connector::MessagesGetAllResponse =
        serde_json::from_str(body).context("generated types")?;
    let hand: HandGetAllResponse = serde_json::from_str(body).context("hand-written types")?;
    let value: serde_json::Value = serde_json::from_str(body).context("serde_json::Value")?;
    let in_value = value["Messages"].as_array().map_or(0, Vec::len);
    if generated.messages.len() != messages
        || hand.messages.len() != messages
        || in_value != messages
    {
        bail!(
            "expected {messages} messages, decoded {} (generated), {} (hand-written), {in_value} (Value)",
            generated.messages.len(),
            hand.messages.len()
        );
    }
    for (g, h) in generated.messages.iter().zip(&hand.messages) {
        let same_sender = matches!(
            (&g.sender, &h.sender.discriminator),
            (
                mews_connector::Sender::Enterprise,
                HandSenderKind::Enterprise
            ) | (
                mews_connector::Sender::Application,
                HandSenderKind::Application
            )
        );
        if g.id.as_str() != h.id
            || g.text != h.text
            || g.created_utc.as_str() != h.created_utc
            || !same_sender
        {
            bail!("message `{}` decodes differently", h.id);
        }
    }
    if generated.cursor != hand.cursor {
        bail!("the cursor decodes differently");
    }
    Ok(())
}
