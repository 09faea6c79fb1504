//! The admin token: taken from the command line or the environment, or
//! generated from the OS's randomness; kept only as its SHA-256 hash.

use std::io::Read;

use sha2::{Digest, Sha256};

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
        let other = Sha256::digest(candidate.as_bytes());
        let diff = self
            .0
            .iter()
            .zip(other.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        std::hint::black_box(diff) == 0
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
    fn generated_tokens_are_long_and_differ() -> std::io::Result<()> {
        let a = generate_token()?;
        let b = generate_token()?;
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        Ok(())
    }
}
