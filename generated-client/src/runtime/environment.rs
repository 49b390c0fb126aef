//! Where the API lives: the demo and production environments, or any other base address.

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
}
