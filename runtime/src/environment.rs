//! Where the API lives: the demo and production environments, or any other base address; and where its
//! WebSocket events are served, a different address (`guidelines/environments.md`).

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
    /// The base address requests are sent to (the operation's path is appended).
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Demo => "https://api.mews-demo.com",
            Environment::Production => "https://api.mews.com",
            Environment::Custom(url) => url.trim_end_matches('/'),
        }
    }

    /// The WebSocket address (`WebSocketAddress` in the docs; the event stream connects to its
    /// `/ws/connector`): `wss://ws.mews-demo.com` for [`Demo`](Self::Demo), `wss://ws.mews.com` for
    /// [`Production`](Self::Production). For [`Custom`](Self::Custom) it is the base address with its scheme
    /// turned to the WebSocket one (`http` to `ws`, `https` to `wss`, anything else kept), which fits a test
    /// server serving both; the event stream's builder takes any other address.
    pub fn websocket_address(&self) -> String {
        match self {
            Environment::Demo => "wss://ws.mews-demo.com".to_string(),
            Environment::Production => "wss://ws.mews.com".to_string(),
            Environment::Custom(_) => {
                let base = self.base_url();
                match base.split_once("://") {
                    Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => {
                        format!("wss://{rest}")
                    }
                    Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => {
                        format!("ws://{rest}")
                    }
                    _ => base.to_string(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_custom_base_address_loses_its_trailing_slash() {
        assert_eq!(
            Environment::Custom("http://x/".into()).base_url(),
            "http://x"
        );
    }

    #[test]
    fn websocket_addresses_differ_from_the_platform_addresses() {
        assert_eq!(
            Environment::Demo.websocket_address(),
            "wss://ws.mews-demo.com"
        );
        assert_eq!(
            Environment::Production.websocket_address(),
            "wss://ws.mews.com"
        );
        let custom = |url: &str| Environment::Custom(url.into()).websocket_address();
        assert_eq!(custom("http://127.0.0.1:8080/"), "ws://127.0.0.1:8080");
        assert_eq!(
            custom("HTTPS://proxy.example/mews"),
            "wss://proxy.example/mews"
        );
        assert_eq!(custom("ws://127.0.0.1:1"), "ws://127.0.0.1:1");
        assert_eq!(custom("not a url"), "not a url");
    }
}
