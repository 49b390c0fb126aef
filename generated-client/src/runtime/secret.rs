//! Tokens as secrets: never printed by `Debug` or `Display`, only exposed to build the request body.

use std::fmt;

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(Box<str>);

        impl $name {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let token = AccessToken::new("C66EF7B239D24632943D115EDE9CB810");
        assert_eq!(format!("{token:?}"), "AccessToken(<redacted>)");
        assert_eq!(token.expose(), "C66EF7B239D24632943D115EDE9CB810");
    }
}
