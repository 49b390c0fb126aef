//! Tokens as secrets: never printed by `Debug` or `Display`, only exposed to build the request body.
//!
//! [`Secrets`] also scrubs the tokens out of any text the client keeps (error messages, response
//! bodies in errors, trace output), so even a server or proxy that echoes a token back cannot leak it
//! through the client's errors or logs.

use std::fmt;

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` prints only the type name; there is no `Display`. Use [`Self::expose`] to read it.
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(Box<str>);

        impl $name {
            /// Wraps a token.
            pub fn new(token: impl Into<String>) -> Self {
                $name(token.into().into_boxed_str())
            }

            /// The token itself. Only the request builder should need this.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }

        impl From<String> for $name {
            fn from(token: String) -> Self {
                $name::new(token)
            }
        }

        impl From<&str> for $name {
            fn from(token: &str) -> Self {
                $name::new(token)
            }
        }

        /// The token itself, as a JSON string: for a message a receiver queues and decodes later.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map($name::new)
            }
        }
    };
}

secret!(
    /// Identifies the client application (`ClientToken`).
    ClientToken
);
secret!(
    /// Grants access to one enterprise or portfolio (`AccessToken`).
    AccessToken
);
secret!(
    /// The secret token Mews puts into the webhook URL (`runtime::events::WebhookReceiver` compares it in
    /// constant time).
    WebhookSecret
);

/// What replaces a token in scrubbed text.
pub(crate) const REDACTED: &str = "<redacted>";

/// The two tokens of a client, to scrub them out of text before it is kept or traced.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secrets {
    pub(crate) client_token: ClientToken,
    pub(crate) access_token: AccessToken,
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets")
            .field("client_token", &self.client_token)
            .field("access_token", &self.access_token)
            .finish()
    }
}

impl Secrets {
    /// `text` with every occurrence of either token replaced by `<redacted>`.
    pub(crate) fn redact(&self, text: &str) -> String {
        let mut out = text.to_string();
        for token in [self.client_token.expose(), self.access_token.expose()] {
            if !token.is_empty() && out.contains(token) {
                out = out.replace(token, REDACTED);
            }
        }
        out
    }

    /// Scrubs every string (keys and values) of a JSON value in place.
    pub(crate) fn redact_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(text) if self.contains_token(text) => {
                *text = self.redact(text);
            }
            serde_json::Value::Array(items) => {
                items.iter_mut().for_each(|item| self.redact_json(item))
            }
            serde_json::Value::Object(map) => {
                if map.keys().any(|key| self.contains_token(key)) {
                    let entries = std::mem::take(map);
                    for (key, mut item) in entries {
                        self.redact_json(&mut item);
                        map.insert(self.redact(&key), item);
                    }
                } else {
                    map.values_mut().for_each(|item| self.redact_json(item));
                }
            }
            _ => {}
        }
    }

    pub(crate) fn contains_token(&self, text: &str) -> bool {
        [self.client_token.expose(), self.access_token.expose()]
            .iter()
            .any(|token| !token.is_empty() && text.contains(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = AccessToken::new("C66EF7B239D24632943D115EDE9CB810");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert_eq!(token.expose(), "C66EF7B239D24632943D115EDE9CB810");
        let client = ClientToken::from("E0D439EE");
        assert_eq!(format!("{client:?}"), "ClientToken(<redacted>)");
    }

    #[test]
    fn redaction_scrubs_both_tokens_from_text_and_json() {
        let secrets = Secrets {
            client_token: ClientToken::new("CT-123"),
            access_token: AccessToken::new("AT-456"),
        };
        assert_eq!(
            secrets.redact("bad token AT-456 for CT-123, AT-456"),
            "bad token <redacted> for <redacted>, <redacted>"
        );
        let mut json =
            serde_json::json!({"Message": "AT-456", "Details": {"AT-456": ["x CT-123"]}});
        secrets.redact_json(&mut json);
        assert_eq!(
            json,
            serde_json::json!({"Message": "<redacted>", "Details": {"<redacted>": ["x <redacted>"]}})
        );
        assert!(!format!("{secrets:?}").contains("AT-456"));
        let empty = Secrets {
            client_token: ClientToken::new(""),
            access_token: AccessToken::new(""),
        };
        assert_eq!(empty.redact("unchanged"), "unchanged");
    }
}
