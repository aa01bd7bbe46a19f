//! `visitnotes:` links: what the desktop entry (`Exec=visitnotes %u`, the
//! handler of the `visitnotes` URL scheme) hands over when someone opens an
//! invite link. Two forms are accepted, and nothing else:
//!
//! - `visitnotes:VN1-…`: the invite right after the scheme;
//! - `visitnotes://enrol?invite=VN1-…` (or `enroll`): the invite in the
//!   query, percent-decoded.
//!
//! The invite must read as one (`Invite::decode`: prefix and checksum), so
//! that a damaged or foreign link is refused at once, with what to do,
//! rather than on the enrolment page.

use visitnotes_shared::invite::{Invite, InviteError};

pub const SCHEME: &str = "visitnotes:";

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("`{0}` is neither a command nor a `visitnotes:` link: see `visitnotes --help` for the commands; a link reads `visitnotes:VN1-…` or `visitnotes://enrol?invite=VN1-…`")]
    NotALink(String),
    #[error("this `visitnotes:` link holds no invite: it should read `visitnotes:VN1-…` or `visitnotes://enrol?invite=VN1-…`; ask for the link again")]
    NoInvite,
    #[error("the invite in this `visitnotes:` link does not read (copied only in part?): ask for the link again")]
    BadInvite(#[source] InviteError),
}

/// The invite of a `visitnotes:` link, as its text (`VN1-…`), checked.
pub fn invite_of(link: &str) -> Result<String, LinkError> {
    let link = link.trim();
    let Some(rest) = strip_scheme(link) else { return Err(LinkError::NotALink(link.to_owned())) };
    let invite = match rest.strip_prefix("//") {
        Some(rest) => {
            let (place, query) = rest.split_once('?').ok_or(LinkError::NoInvite)?;
            if !matches!(place.trim_end_matches('/'), "enrol" | "enroll") {
                return Err(LinkError::NoInvite);
            }
            url::form_urlencoded::parse(query.as_bytes())
                .find_map(|(name, value)| (name == "invite").then(|| value.into_owned()))
                .ok_or(LinkError::NoInvite)?
        }
        None => rest.to_owned(),
    };
    if invite.trim().is_empty() {
        return Err(LinkError::NoInvite);
    }
    Invite::decode(&invite).map_err(LinkError::BadInvite)?;
    Ok(invite.trim().to_owned())
}

/// What follows `visitnotes:`, the scheme's case ignored (as URL schemes
/// are).
fn strip_scheme(link: &str) -> Option<&str> {
    let head = link.get(..SCHEME.len())?;
    head.eq_ignore_ascii_case(SCHEME).then(|| &link[SCHEME.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite() -> String {
        Invite::generate("https://notes.example.org", None).encode()
    }

    #[test]
    fn both_forms_give_the_invite() {
        let code = invite();
        assert_eq!(invite_of(&format!("visitnotes:{code}")).unwrap(), code);
        assert_eq!(invite_of(&format!("VISITNOTES:{code}")).unwrap(), code);
        assert_eq!(invite_of(&format!("visitnotes://enrol?invite={code}")).unwrap(), code);
        assert_eq!(invite_of(&format!("visitnotes://enroll/?x=1&invite={code}")).unwrap(), code);
    }

    #[test]
    fn anything_else_is_refused_with_what_to_do() {
        let code = invite();
        assert!(matches!(invite_of("note"), Err(LinkError::NotALink(_))));
        assert!(matches!(invite_of(&format!("https://example.org/?invite={code}")), Err(LinkError::NotALink(_))));
        assert!(matches!(invite_of("visitnotes:"), Err(LinkError::NoInvite)));
        assert!(matches!(invite_of(&format!("visitnotes://other?invite={code}")), Err(LinkError::NoInvite)));
        assert!(matches!(invite_of("visitnotes://enrol?token=x"), Err(LinkError::NoInvite)));
        assert!(matches!(invite_of("visitnotes:VN1-AAAA"), Err(LinkError::BadInvite(_))));
        assert!(matches!(invite_of(&format!("visitnotes:{}", &code[..code.len() - 2])), Err(LinkError::BadInvite(_))));
        let said = LinkError::NotALink("nte".into()).to_string();
        assert!(said.contains("visitnotes --help"), "{said}");
    }
}
