//! The admin token: taken from the command line or the environment, or
//! generated from the OS's randomness; kept only as its SHA-256 hash. And
//! who may read a private tournament (one with a `spectator_token`).
//! Tokens are compared as hashes, in constant time (`subtle`).

use std::io::Read;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The environment variable `arena serve` reads the admin token from.
pub const ADMIN_TOKEN_ENV: &str = "ARENA_ADMIN_TOKEN";

/// A token's SHA-256 hash: what the server keeps instead of the token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TokenHash([u8; 32]);

impl std::fmt::Debug for TokenHash {
    // Never print even the hash: it is all an attacker would need to try
    // tokens offline.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

impl TokenHash {
    /// The hash of `token`.
    pub fn of(token: &str) -> TokenHash {
        TokenHash(Sha256::digest(token.as_bytes()).into())
    }

    /// The hash in hex, as the database keeps agents' tokens.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Whether `candidate` is the token, in time that does not depend on
    /// where the hashes differ.
    pub fn matches(&self, candidate: &str) -> bool {
        self.same_as(&TokenHash::of(candidate))
    }

    /// Whether both are the hash of one token, in constant time.
    pub fn same_as(&self, other: &TokenHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// Whether a reader who gave `given` (the hash of the token it sent, if
/// any) may read a tournament whose spectator token hashes to `required`
/// (`None`: a public tournament, open to everyone).
pub fn may_read(required: Option<&TokenHash>, given: Option<&TokenHash>) -> bool {
    match (required, given) {
        (None, _) => true,
        (Some(r), Some(g)) => r.same_as(g),
        (Some(_), None) => false,
    }
}

/// A new random token: 32 bytes from `/dev/urandom`, as 64 hex digits.
pub fn generate_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Where the admin token came from, so `arena serve` prints a generated
/// one (and only that one).
#[derive(Debug, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Environment,
    Generated,
}

/// The admin token: `flag`, else [`ADMIN_TOKEN_ENV`], else a new one.
pub fn admin_token(flag: Option<&str>) -> std::io::Result<(String, TokenSource)> {
    if let Some(t) = flag.filter(|t| !t.is_empty()) {
        return Ok((t.to_string(), TokenSource::Flag));
    }
    if let Ok(t) = std::env::var(ADMIN_TOKEN_ENV)
        && !t.is_empty()
    {
        return Ok((t, TokenSource::Environment));
    }
    Ok((generate_token()?, TokenSource::Generated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_matches_its_hash() {
        let h = TokenHash::of("s3cret");
        assert!(h.matches("s3cret"));
        assert!(!h.matches("s3cres"));
        assert!(!h.matches(""));
    }

    #[test]
    fn a_private_tournament_takes_only_its_token() {
        let required = TokenHash::of("view-token");
        assert!(may_read(None, None));
        assert!(may_read(None, Some(&TokenHash::of("anything"))));
        assert!(!may_read(Some(&required), None));
        assert!(!may_read(
            Some(&required),
            Some(&TokenHash::of("view-tokem"))
        ));
        assert!(may_read(
            Some(&required),
            Some(&TokenHash::of("view-token"))
        ));
    }

    #[test]
    fn generated_tokens_are_long_and_differ() -> std::io::Result<()> {
        let a = generate_token()?;
        let b = generate_token()?;
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        Ok(())
    }
}
