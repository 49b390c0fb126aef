//! The client: environment, credentials and HTTP settings, built once and cloned freely; sends operations.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::{ApiError, Error, Result};
use super::operation::Operation;
use super::pagination::{Items, PagedItems, PagedRequest, PagedResponse, Pages};
use super::secret::{AccessToken, ClientToken};

/// Where the API lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Environment {
    /// `https://api.mews-demo.com`, for development and certification.
    Demo,
    /// `https://api.mews.com`.
    Production,
    /// Any other base address (tests, proxies), without a trailing slash.
    Custom(String),
}

impl Environment {
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Demo => "https://api.mews-demo.com",
            Environment::Production => "https://api.mews.com",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }
}

/// Per-call choices that differ from the client's defaults.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Send even if the request breaks the documented contracts.
    pub skip_validation: bool,
}

impl CallOptions {
    pub fn skip_validation(mut self) -> Self {
        self.skip_validation = true;
        self
    }
}

/// Builds a [`Client`].
#[derive(Clone)]
pub struct ClientBuilder {
    environment: Environment,
    client_token: ClientToken,
    access_token: AccessToken,
    client_name: String,
    language: Option<(String, String)>,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_body_bytes: usize,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("environment", &self.environment)
            .field("client_token", &self.client_token)
            .field("access_token", &self.access_token)
            .field("client_name", &self.client_name)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// `client_name` is sent as `Client`: the name and version of your application (`MyApp 1.0.0`).
    pub fn new(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
        client_name: impl Into<String>,
    ) -> Self {
        ClientBuilder {
            environment,
            client_token: client_token.into(),
            access_token: access_token.into(),
            client_name: client_name.into(),
            language: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            max_body_bytes: 64 * 1024 * 1024,
        }
    }

    /// Sends `LanguageCode` and `CultureCode` (the API uses them only when both are given).
    pub fn language(
        mut self,
        language_code: impl Into<String>,
        culture_code: impl Into<String>,
    ) -> Self {
        self.language = Some((language_code.into(), culture_code.into()));
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the end of the body.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Largest response body read; larger bodies fail with [`Error::BodyTooLarge`].
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// Builds the client (and its connection pool). `C` is the runtime client or a generated wrapper.
    pub fn build<C: From<Client>>(self) -> Result<C> {
        let tls = tls_config()?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("mews-connector-rust/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                settings: self,
                http,
            }),
        }))
    }
}

fn tls_config() -> Result<rustls::ClientConfig> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .with_platform_verifier()
        .map_err(|e| Error::Config(format!("TLS certificate verifier: {e}")))
        .map(|builder| builder.with_no_client_auth())
}

struct Inner {
    settings: ClientBuilder,
    http: reqwest::Client,
}

/// A Mews Connector API client. Cheap to clone; clones share the connection pool.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("settings", &self.inner.settings)
            .finish()
    }
}

impl Client {
    pub fn builder(
        environment: Environment,
        client_token: impl Into<ClientToken>,
        access_token: impl Into<AccessToken>,
        client_name: impl Into<String>,
    ) -> ClientBuilder {
        ClientBuilder::new(environment, client_token, access_token, client_name)
    }

    pub fn environment(&self) -> &Environment {
        &self.inner.settings.environment
    }

    /// Sends one request and decodes its response.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Response> {
        self.send_with(request, &CallOptions::default()).await
    }

    pub async fn send_with<O: Operation>(
        &self,
        request: &O,
        options: &CallOptions,
    ) -> Result<O::Response> {
        let operation = O::INFO.id;
        if !options.skip_validation {
            super::validate::validate(request).map_err(|violations| Error::Validation {
                operation,
                violations,
            })?;
        }
        let body = self
            .body(request)
            .map_err(|e| Error::Config(format!("`{operation}`: cannot encode request: {e}")))?;
        let url = format!(
            "{}{}",
            self.inner.settings.environment.base_url(),
            O::INFO.path
        );
        let response = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .timeout(self.inner.settings.request_timeout)
            .body(body)
            .send()
            .await
            .map_err(|e| transport_error(operation, &e))?;
        let status = response.status().as_u16();
        let request_id = header(&response, "request-id");
        let retry_after = header(&response, "retry-after").and_then(|v| parse_retry_after(&v));
        let bytes = response
            .bytes()
            .await
            .map_err(|e| transport_error(operation, &e))?;
        if bytes.len() > self.inner.settings.max_body_bytes {
            return Err(Error::BodyTooLarge {
                operation,
                limit: self.inner.settings.max_body_bytes,
            });
        }
        if (200..300).contains(&status) {
            return decode::<O::Response>(operation, &bytes);
        }
        let error = ApiError::from_response(status, &bytes, request_id, retry_after);
        Err(match status {
            408 => Error::RequestTooHeavy { operation, error },
            409 => Error::Conflict { operation, error },
            429 => Error::RateLimited { operation, error },
            _ => Error::Api { operation, error },
        })
    }

    /// The pages of a paginated operation, as a stream.
    pub fn pages<R>(&self, request: R) -> Pages<R>
    where
        R: PagedRequest,
        R::Response: PagedResponse,
    {
        Pages::new(self.clone(), request)
    }

    /// The items of a paginated operation, page after page, as a stream.
    pub fn items<R>(&self, request: R) -> Items<<R::Response as PagedItems>::Item>
    where
        R: PagedRequest,
        R::Response: PagedItems,
    {
        Items::new(self.pages(request))
    }

    /// The request body: the credentials, then the request's own properties.
    fn body<O: Operation>(&self, request: &O) -> serde_json::Result<Vec<u8>> {
        let settings = &self.inner.settings;
        let mut out = Vec::with_capacity(256);
        out.push(b'{');
        let entry = |out: &mut Vec<u8>, key: &str, value: &str| -> serde_json::Result<()> {
            serde_json::to_writer(&mut *out, key)?;
            out.push(b':');
            serde_json::to_writer(&mut *out, value)?;
            out.push(b',');
            Ok(())
        };
        entry(&mut out, "ClientToken", settings.client_token.expose())?;
        entry(&mut out, "AccessToken", settings.access_token.expose())?;
        entry(&mut out, "Client", &settings.client_name)?;
        if let Some((language, culture)) = &settings.language {
            entry(&mut out, "LanguageCode", language)?;
            entry(&mut out, "CultureCode", culture)?;
        }
        let own = serde_json::to_vec(request)?;
        match own.as_slice() {
            [b'{', b'}'] => {
                out.pop();
                out.push(b'}');
            }
            [b'{', rest @ ..] => out.extend_from_slice(rest),
            _ => {
                return Err(serde::ser::Error::custom(
                    "a request body must be a JSON object",
                ));
            }
        }
        Ok(out)
    }
}

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `Retry-After` in seconds or as an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

fn transport_error(operation: &'static str, error: &reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            operation,
            after: Duration::ZERO,
        };
    }
    // reqwest errors name the URL (never tokens: they travel in the body).
    Error::Transport {
        operation,
        message: error.to_string(),
    }
}

/// Decodes a success body; on failure decodes again to report the JSON path (no cost on success).
pub(crate) fn decode<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    bytes: &[u8],
) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|first| {
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(error) => Error::Decode {
                operation,
                path: error.path().to_string(),
                message: error.inner().to_string(),
            },
            Ok(_) => Error::Decode {
                operation,
                path: ".".to_string(),
                message: first.to_string(),
            },
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_and_http_dates() {
        assert_eq!(parse_retry_after("1"), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn decode_errors_carry_the_json_path() {
        #[derive(serde::Deserialize, Debug)]
        struct Page {
            #[serde(rename = "Items")]
            _items: Vec<Item>,
        }
        #[derive(serde::Deserialize, Debug)]
        struct Item {
            #[serde(rename = "Count")]
            _count: u32,
        }
        let error =
            decode::<Page>("x/getAll", br#"{"Items":[{"Count":1},{"Count":"two"}]}"#).unwrap_err();
        let Error::Decode { path, .. } = error else {
            panic!("{error:?}")
        };
        assert_eq!(path, "Items[1].Count");
    }
}
