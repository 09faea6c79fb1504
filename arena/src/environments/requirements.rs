//! A codebase's `requirements.txt`, read as a list of packages and
//! nothing else.
//!
//! The installer runs outside the sandbox, so a requirements file may not
//! steer it: no options (`-r`, `-e`, `--index-url`, ...), no URLs or paths
//! (which would install from anywhere, or run a local `setup.py`); and the
//! installer takes wheels only, so installing runs no package's code.

use std::fmt;

/// The most lines a requirements file may hold.
const MAX_LINES: usize = 200;

/// The longest requirement line.
const MAX_LINE: usize = 300;

/// One package requirement (`flask==3.0.3`, `numpy>=2; python_version >= "3.10"`),
/// checked to start with a package name and to be no direct reference.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Requirement(String);

impl Requirement {
    /// The text as the installer reads it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A requirement written by the arena itself (a game's base set).
    pub fn base(text: &'static str) -> Requirement {
        Requirement(text.to_string())
    }

    /// One line of a requirements file (comments and blanks already
    /// removed); `Err` says what is wrong and what is allowed.
    fn parse(line: &str) -> Result<Requirement, String> {
        if line.len() > MAX_LINE {
            return Err(format!("longer than {MAX_LINE} characters"));
        }
        if line.starts_with('-') {
            return Err(
                "installer options (-r, -e, --index-url, ...) are not allowed: list packages, one a line"
                    .into(),
            );
        }
        let name_end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .unwrap_or(line.len());
        let name = &line[..name_end];
        if name.is_empty()
            || !name.starts_with(|c: char| c.is_ascii_alphanumeric())
            || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
        {
            return Err("does not start with a package name".into());
        }
        let rest = &line[name_end..];
        if rest.contains(" -") || rest.contains("\t-") {
            return Err(
                "options after a requirement (--hash, ...) are not allowed: a name, extras, a version and markers only"
                    .into(),
            );
        }
        let spec = rest.split(';').next().unwrap_or("");
        if spec.contains('@') || spec.contains("://") || rest.starts_with([':', '/']) {
            return Err(
                "direct references (URLs, paths, `name @ url`) are not allowed: name a package on the index"
                    .into(),
            );
        }
        Ok(Requirement(line.to_string()))
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a requirements file's requirements; `Err` names the file's line
/// and says what to change.
pub fn parse(file: &str, bytes: &[u8]) -> Result<Vec<Requirement>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{file} is not UTF-8 text"))?;
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        // A comment starts at `#` at the start of a line or after a space.
        let line = match raw.find(" #").or_else(|| raw.find("\t#")) {
            Some(at) => &raw[..at],
            None if raw.trim_start().starts_with('#') => "",
            None => raw,
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.ends_with('\\') {
            return Err(format!(
                "{file} line {}: line continuations are not allowed; write each requirement on one line",
                i + 1
            ));
        }
        let r = Requirement::parse(line)
            .map_err(|why| format!("{file} line {}: `{line}`: {why}", i + 1))?;
        out.push(r);
        if out.len() > MAX_LINES {
            return Err(format!("{file} has more than {MAX_LINES} requirements"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_are_read_and_the_rest_refused() {
        let ok = parse(
            "requirements.txt",
            b"# a comment\nFlask==2.3.2\n\nnumpy>=1.26 ; python_version >= \"3.9\"  # fast\nrequests[socks]~=2.32\n",
        )
        .expect("valid");
        let ok: Vec<&str> = ok.iter().map(Requirement::as_str).collect();
        assert_eq!(
            ok,
            [
                "Flask==2.3.2",
                "numpy>=1.26 ; python_version >= \"3.9\"",
                "requests[socks]~=2.32"
            ]
        );
        for (bad, says) in [
            ("-r other.txt", "options"),
            ("--index-url http://evil/simple", "options"),
            ("-e .", "options"),
            ("flask --hash=sha256:00", "options"),
            ("flask -i http://evil/simple", "options"),
            ("pkg @ https://example.com/pkg.whl", "direct references"),
            ("https://example.com/pkg.tar.gz", "direct references"),
            ("./local", "package name"),
            ("/etc/passwd", "package name"),
        ] {
            let err = parse("requirements.txt", bad.as_bytes()).expect_err(bad);
            assert!(err.contains("requirements.txt line 1"), "{err}");
            assert!(err.contains(says), "{bad}: {err}");
        }
        assert!(parse("r.txt", b"\xff").is_err());
    }
}
