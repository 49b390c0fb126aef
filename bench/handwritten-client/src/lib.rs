//! A hand-written Mews Connector client for the four seed operations (`messages/add`, `messages/getAll`,
//! `messageThreads/add`, `messageThreads/getAll`): what a person would write with reqwest, serde and tokio.
//! `cargo xtask bench` compares its compile time with the generated client's; it is not used otherwise.
//!
//! Comparable on purpose: typed requests and responses with the documented names, a client holding the
//! tokens, rustls with the platform's certificates (as the generated runtime), API errors with their message,
//! a retry after `429 Too Many Requests`, and a loop that follows the pagination cursor.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Where the API lives.
pub const DEMO: &str = "https://api.mews-demo.com";

/// What can go wrong with a call.
#[derive(Debug)]
pub enum Error {
    /// The client could not be built.
    Config(String),
    /// The request could not be sent or the response not read.
    Http(reqwest::Error),
    /// The API answered with an error status.
    Api {
        /// The HTTP status.
        status: u16,
        /// The API's `Message`, or the body.
        message: String,
    },
    /// The response did not decode.
    Decode(serde_json::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(message) => write!(f, "configuration: {message}"),
            Error::Http(error) => write!(f, "HTTP: {error}"),
            Error::Api { status, message } => write!(f, "API error {status}: {message}"),
            Error::Decode(error) => write!(f, "cannot decode the response: {error}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

/// The result of a call.
pub type Result<T> = std::result::Result<T, Error>;

/// A client for one `AccessToken`. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    client_token: String,
    access_token: String,
    client_name: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("client_name", &self.client_name)
            .finish_non_exhaustive()
    }
}

/// The body of every request: the credentials, then the request's own properties.
#[derive(Serialize)]
struct Envelope<'a, T> {
    #[serde(rename = "ClientToken")]
    client_token: &'a str,
    #[serde(rename = "AccessToken")]
    access_token: &'a str,
    #[serde(rename = "Client")]
    client: &'a str,
    #[serde(flatten)]
    request: &'a T,
}

#[derive(Deserialize)]
struct ApiMessage {
    #[serde(rename = "Message")]
    message: Option<String>,
}

impl Client {
    /// A client for `base_url` (for example [`DEMO`]); `client_name` is the application's name and version.
    pub fn new(
        base_url: &str,
        client_token: &str,
        access_token: &str,
        client_name: &str,
    ) -> Result<Client> {
        use rustls_platform_verifier::BuilderVerifierExt;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(e.to_string()))?
            .with_platform_verifier()
            .map_err(|e| Error::Config(e.to_string()))?
            .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Client {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            client_token: client_token.to_string(),
            access_token: access_token.to_string(),
            client_name: client_name.to_string(),
        })
    }

    /// Posts `request` to `path` and decodes the response; waits and tries again (up to 3 times) when the
    /// API says `429 Too Many Requests`.
    async fn post<Q: Serialize, R: DeserializeOwned>(&self, path: &str, request: &Q) -> Result<R> {
        let body = Envelope {
            client_token: &self.client_token,
            access_token: &self.access_token,
            client: &self.client_name,
            request,
        };
        let body = serde_json::to_vec(&body).map_err(|e| Error::Config(e.to_string()))?;
        let url = format!("{}/api/connector/v1/{path}", self.base_url);
        let mut attempt = 1;
        loop {
            let response = self
                .http
                .post(&url)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await?;
            let status = response.status().as_u16();
            if status == 429 && attempt < 3 {
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                tokio::time::sleep(Duration::from_secs(wait)).await;
                attempt += 1;
                continue;
            }
            let bytes = response.bytes().await?;
            if !(200..300).contains(&status) {
                let message = serde_json::from_slice::<ApiMessage>(&bytes)
                    .ok()
                    .and_then(|m| m.message)
                    .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
                return Err(Error::Api { status, message });
            }
            return serde_json::from_slice(&bytes).map_err(Error::Decode);
        }
    }

    /// `messages/add`.
    pub async fn add_messages(&self, request: &MessagesAddRequest) -> Result<MessagesAddResponse> {
        self.post("messages/add", request).await
    }

    /// `messages/getAll`: one page.
    pub async fn get_all_messages(
        &self,
        request: &MessagesGetAllRequest,
    ) -> Result<MessagesGetAllResponse> {
        self.post("messages/getAll", request).await
    }

    /// `messages/getAll`: every page, following the cursor until a short page.
    pub async fn get_every_message(
        &self,
        mut request: MessagesGetAllRequest,
    ) -> Result<Vec<Message>> {
        let mut all = Vec::new();
        loop {
            let page = self.get_all_messages(&request).await?;
            let full = page.messages.len() as i64 >= request.limitation.count;
            all.extend(page.messages);
            match page.cursor {
                Some(cursor) if full => request.limitation.cursor = Some(cursor),
                _ => return Ok(all),
            }
        }
    }

    /// `messageThreads/add`.
    pub async fn add_message_thread(
        &self,
        request: &MessageThreadsAddRequest,
    ) -> Result<MessageThreadsAddResponse> {
        self.post("messageThreads/add", request).await
    }

    /// `messageThreads/getAll`: one page.
    pub async fn get_all_message_threads(
        &self,
        request: &MessageThreadsGetAllRequest,
    ) -> Result<MessageThreadsGetAllResponse> {
        self.post("messageThreads/getAll", request).await
    }
}

/// `Limitation`: page size and where to continue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Limitation {
    /// Items to return, 1 to 1000.
    #[serde(rename = "Count")]
    pub count: i64,
    /// Where the previous page ended.
    #[serde(rename = "Cursor", skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// `TimeInterval`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeInterval {
    /// Start, ISO 8601.
    #[serde(rename = "StartUtc", skip_serializing_if = "Option::is_none")]
    pub start_utc: Option<String>,
    /// End, ISO 8601.
    #[serde(rename = "EndUtc", skip_serializing_if = "Option::is_none")]
    pub end_utc: Option<String>,
}

/// `messages/getAll` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessagesGetAllRequest {
    /// Enterprises to return data for.
    #[serde(rename = "EnterpriseIds", skip_serializing_if = "Option::is_none")]
    pub enterprise_ids: Option<Vec<String>>,
    /// Threads to return messages of.
    #[serde(rename = "MessageThreadIds")]
    pub message_thread_ids: Vec<String>,
    /// When the messages were created.
    #[serde(rename = "CreatedUtc", skip_serializing_if = "Option::is_none")]
    pub created_utc: Option<TimeInterval>,
    /// Paging.
    #[serde(rename = "Limitation")]
    pub limitation: Limitation,
}

/// `messages/getAll` response.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessagesGetAllResponse {
    /// The messages.
    #[serde(rename = "Messages")]
    pub messages: Vec<Message>,
    /// Where this page ended.
    #[serde(rename = "Cursor")]
    pub cursor: Option<String>,
}

/// A message.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Message {
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
    pub sender: Sender,
    /// `CreatedUtc`, ISO 8601.
    #[serde(rename = "CreatedUtc")]
    pub created_utc: String,
}

/// Who sent a message.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Sender {
    /// `Discriminator`.
    #[serde(rename = "Discriminator")]
    pub discriminator: SenderDiscriminator,
    /// `Value`, always `null` so far.
    #[serde(rename = "Value", default)]
    pub value: Option<serde_json::Value>,
}

/// `Sender` discriminator.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub enum SenderDiscriminator {
    /// An employee of the enterprise.
    Enterprise,
    /// The third-party application.
    Application,
    /// A value added after this client was written.
    #[serde(other)]
    Other,
}

/// `messages/add` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessagesAddRequest {
    /// Messages to add, at most 1000.
    #[serde(rename = "Messages")]
    pub messages: Vec<MessageParameters>,
}

/// A message to add.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageParameters {
    /// The thread.
    #[serde(rename = "MessageThreadId")]
    pub message_thread_id: String,
    /// The text.
    #[serde(rename = "Text")]
    pub text: String,
    /// The client's own identifier of the message.
    #[serde(rename = "Identifier", skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

/// `messages/add` response.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessagesAddResponse {
    /// The messages added.
    #[serde(rename = "Messages")]
    pub messages: Vec<AddedMessage>,
}

/// A message added.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AddedMessage {
    /// The client's identifier.
    #[serde(rename = "Identifier")]
    pub identifier: Option<String>,
    /// The message (the API sends `Sender` as a bare string here).
    #[serde(rename = "Message")]
    pub message: AddedMessageBody,
}

/// A message as `messages/add` returns it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AddedMessageBody {
    /// `Id`.
    #[serde(rename = "Id")]
    pub id: String,
    /// `MessageThreadId`.
    #[serde(rename = "MessageThreadId")]
    pub message_thread_id: String,
    /// `Text`.
    #[serde(rename = "Text")]
    pub text: String,
    /// `Sender`, as the bare discriminator.
    #[serde(rename = "Sender")]
    pub sender: SenderDiscriminator,
    /// `CreatedUtc`, ISO 8601.
    #[serde(rename = "CreatedUtc")]
    pub created_utc: String,
}

/// `messageThreads/getAll` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageThreadsGetAllRequest {
    /// Enterprises to return data for.
    #[serde(rename = "EnterpriseIds", skip_serializing_if = "Option::is_none")]
    pub enterprise_ids: Option<Vec<String>>,
    /// Threads to return.
    #[serde(rename = "MessageThreadIds", skip_serializing_if = "Option::is_none")]
    pub message_thread_ids: Option<Vec<String>>,
    /// When the threads were created.
    #[serde(rename = "CreatedUtc", skip_serializing_if = "Option::is_none")]
    pub created_utc: Option<TimeInterval>,
    /// When the threads were updated.
    #[serde(rename = "UpdatedUtc", skip_serializing_if = "Option::is_none")]
    pub updated_utc: Option<TimeInterval>,
    /// Paging.
    #[serde(rename = "Limitation")]
    pub limitation: Limitation,
}

/// `messageThreads/getAll` response.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessageThreadsGetAllResponse {
    /// The threads.
    #[serde(rename = "MessageThreads")]
    pub message_threads: Vec<MessageThread>,
    /// Where this page ended.
    #[serde(rename = "Cursor")]
    pub cursor: Option<String>,
}

/// A message thread.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessageThread {
    /// `Id`.
    #[serde(rename = "Id")]
    pub id: String,
    /// `OriginalSender`.
    #[serde(rename = "OriginalSender")]
    pub original_sender: String,
    /// `Subject`.
    #[serde(rename = "Subject")]
    pub subject: String,
    /// `CreatedUtc`, ISO 8601.
    #[serde(rename = "CreatedUtc")]
    pub created_utc: String,
    /// `UpdatedUtc`, ISO 8601.
    #[serde(rename = "UpdatedUtc")]
    pub updated_utc: String,
}

/// `messageThreads/add` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageThreadsAddRequest {
    /// The sender of the first message.
    #[serde(rename = "OriginalSender")]
    pub original_sender: String,
    /// The subject.
    #[serde(rename = "Subject")]
    pub subject: String,
}

/// `messageThreads/add` response.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct MessageThreadsAddResponse {
    /// The threads created.
    #[serde(rename = "MessageThreads")]
    pub message_threads: Vec<MessageThread>,
}
