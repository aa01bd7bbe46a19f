//! Deterministic byte strings for signatures and MACs.
//!
//! Every signed message starts with a context string naming what it is (a
//! note, a request, a roster, an enrolment), followed by length-prefixed
//! fields. The context keeps signatures from one purpose from ever verifying
//! for another; the length prefixes keep two different field lists from ever
//! producing the same bytes.

/// Builds a canonical message: a context, then length-prefixed fields.
#[derive(Debug)]
pub struct Canonical(Vec<u8>);

impl Canonical {
    pub fn new(context: &str) -> Self {
        let mut c = Canonical(Vec::with_capacity(256));
        c.bytes(context.as_bytes());
        c
    }

    pub fn bytes(&mut self, field: &[u8]) -> &mut Self {
        self.0.extend_from_slice(&(field.len() as u64).to_be_bytes());
        self.0.extend_from_slice(field);
        self
    }

    pub fn str(&mut self, field: &str) -> &mut Self {
        self.bytes(field.as_bytes())
    }

    pub fn u64(&mut self, field: u64) -> &mut Self {
        self.bytes(&field.to_be_bytes())
    }

    pub fn i64(&mut self, field: i64) -> &mut Self {
        self.bytes(&field.to_be_bytes())
    }

    pub fn finish(&self) -> Vec<u8> {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_boundaries_matter() {
        let a = Canonical::new("x").str("ab").str("c").finish();
        let b = Canonical::new("x").str("a").str("bc").finish();
        assert_ne!(a, b);
    }

    #[test]
    fn contexts_differ() {
        let a = Canonical::new("visitnotes/note/v1").str("m").finish();
        let b = Canonical::new("visitnotes/request/v1").str("m").finish();
        assert_ne!(a, b);
    }
}
