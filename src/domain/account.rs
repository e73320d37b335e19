//! People: email addresses, names, phones, passwords and roles.

use std::fmt;

use super::tidy;

/// A syntactically plausible, lower-cased email address.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses what a person typed.
    pub fn parse(s: &str) -> Result<Email, &'static str> {
        let s = s.trim().to_lowercase();
        if s.is_empty() {
            return Err("Enter your email address.");
        }
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("Enter a valid email address, like name@example.org.");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("Enter a valid email address, like name@example.org.");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.contains(['<', '>', '"', '(', ')', ',', ';', ':', '\\', '[', ']']);
        if !domain_ok || !local_ok {
            return Err("Enter a valid email address, like name@example.org.");
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's display name: 1–80 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(s: &str) -> Result<PersonName, &'static str> {
        let s = tidy(s);
        if s.is_empty() {
            return Err("Enter your name.");
        }
        if s.chars().count() > 80 {
            return Err("Keep the name under 80 characters.");
        }
        if s.chars().any(char::is_control) {
            return Err("The name has characters we can't use.");
        }
        Ok(PersonName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The first word of a name: what strangers see before a booking is accepted.
pub fn first_name(full: &str) -> &str {
    full.split_whitespace().next().unwrap_or(full)
}

/// An optional phone number: digits with the usual punctuation, 7–15 digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Empty input is `Ok(None)`: the phone is optional.
    pub fn parse_optional(s: &str) -> Result<Option<Phone>, &'static str> {
        let s = tidy(s);
        if s.is_empty() {
            return Ok(None);
        }
        let digits = s.chars().filter(char::is_ascii_digit).count();
        let allowed = s
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c));
        if !allowed || !(7..=15).contains(&digits) {
            return Err("Enter a phone number with 7 to 15 digits, like (555) 123-4567.");
        }
        Ok(Some(Phone(s)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that passed the strength rules. Never logged or displayed.
pub struct NewPassword(String);

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

const COMMON: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "1234567890",
    "12345678910",
    "qwertyuiop",
    "iloveyou12",
    "letmein123",
    "welcome123",
    "abcdefghij",
    "0987654321",
    "democracy1",
    "volunteer1",
    "trustno1234",
];

impl NewPassword {
    /// At least 10 characters, not one repeated character, not a well-known
    /// password, and not the email address.
    pub fn parse(s: &str, email: Option<&str>) -> Result<NewPassword, &'static str> {
        let n = s.chars().count();
        if n < 10 {
            return Err("Use at least 10 characters for your password.");
        }
        if n > 200 {
            return Err("Keep the password under 200 characters.");
        }
        let lower = s.to_lowercase();
        let mut chars = s.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) || COMMON.contains(&lower.as_str()) {
            return Err("That password is too easy to guess. Try a short phrase of a few words.");
        }
        if email.is_some_and(|e| lower.contains(&e.to_lowercase())) {
            return Err("Don't use your email address as your password.");
        }
        Ok(NewPassword(s.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Hashes a password with argon2 (call it off the async runtime: it is slow on purpose).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// Checks a password against a stored hash (off the async runtime too).
pub fn verify_password(password: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash)
        .map(|h| {
            argon2::Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
            "ana@exa mple.org",
            "<x>@a.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn weak_passwords_are_refused() {
        assert!(NewPassword::parse("short", None).is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaa", None).is_err());
        assert!(NewPassword::parse("Password123", None).is_err());
        assert!(NewPassword::parse("ana@example.org!", Some("ana@example.org")).is_err());
        assert!(NewPassword::parse("correct horse battery", Some("ana@example.org")).is_ok());
    }

    #[test]
    fn hashes_verify_only_the_right_password() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn phones_are_optional_but_plausible() {
        assert_eq!(Phone::parse_optional("  ").unwrap(), None);
        assert!(Phone::parse_optional("(555) 123-4567").unwrap().is_some());
        assert!(Phone::parse_optional("call me").is_err());
        assert!(Phone::parse_optional("12").is_err());
    }

    #[test]
    fn first_name_is_the_first_word() {
        assert_eq!(first_name("Ana María López"), "Ana");
        assert_eq!(first_name(""), "");
    }
}
