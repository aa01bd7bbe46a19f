//! Size buckets, so that a ciphertext's length says little about the note.
//!
//! A padded plaintext is a 4-byte little-endian length, the content, and
//! zeros up to the next bucket: powers of two from 2 KiB to 1 MiB. Almost
//! every visit note lands in the 2 or 4 KiB bucket.

pub const MIN_BUCKET: usize = 2 * 1024;
pub const MAX_BUCKET: usize = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PaddingError {
    #[error("the note is {0} bytes, more than the {MAX_BUCKET}-byte limit")]
    TooLarge(usize),
    #[error("the padded plaintext is malformed")]
    Malformed,
}

/// The bucket that holds `len` bytes of content.
pub fn bucket_for(len: usize) -> Result<usize, PaddingError> {
    // Checked: `len` may come from a length prefix, and near `usize::MAX`
    // both the `+ 4` and the rounding up would overflow.
    len.checked_add(4)
        .and_then(|needed| needed.max(MIN_BUCKET).checked_next_power_of_two())
        .filter(|&bucket| bucket <= MAX_BUCKET)
        .ok_or(PaddingError::TooLarge(len))
}

pub fn pad(content: &[u8]) -> Result<Vec<u8>, PaddingError> {
    let bucket = bucket_for(content.len())?;
    let mut out = Vec::with_capacity(bucket);
    out.extend_from_slice(&(content.len() as u32).to_le_bytes());
    out.extend_from_slice(content);
    out.resize(bucket, 0);
    Ok(out)
}

/// Strips the padding, refusing anything `pad` would not have produced.
pub fn unpad(padded: &[u8]) -> Result<&[u8], PaddingError> {
    let total = padded.len();
    if !(MIN_BUCKET..=MAX_BUCKET).contains(&total) || !total.is_power_of_two() {
        return Err(PaddingError::Malformed);
    }
    let len = u32::from_le_bytes(padded[..4].try_into().expect("4 bytes")) as usize;
    if len > total - 4 || bucket_for(len) != Ok(total) {
        return Err(PaddingError::Malformed);
    }
    let (content, zeros) = padded[4..].split_at(len);
    if zeros.iter().any(|&b| b != 0) {
        return Err(PaddingError::Malformed);
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn small_notes_share_a_bucket() {
        assert_eq!(pad(&[1; 100]).unwrap().len(), pad(&[1; 900]).unwrap().len());
        assert_eq!(pad(&[]).unwrap().len(), MIN_BUCKET);
        assert_eq!(pad(&[1; MIN_BUCKET - 4]).unwrap().len(), MIN_BUCKET);
        assert_eq!(pad(&[1; MIN_BUCKET - 3]).unwrap().len(), 2 * MIN_BUCKET);
        assert_eq!(pad(&vec![0; MAX_BUCKET]), Err(PaddingError::TooLarge(MAX_BUCKET)));
    }

    /// `unpad` takes what `pad` makes, also a note that fills its bucket
    /// exactly, and refuses lengths that are no bucket (too small to hold
    /// the length prefix, too large, not a power of two) without a panic.
    /// (Found by cargo-mutants.)
    #[test]
    fn unpad_takes_a_full_bucket_and_refuses_lengths_that_are_no_bucket() {
        let full = pad(&[1; MIN_BUCKET - 4]).unwrap();
        assert_eq!(unpad(&full), Ok(&[1; MIN_BUCKET - 4][..]));
        for len in [0, 2, 4, MIN_BUCKET / 2, MIN_BUCKET + 1, 3 * MIN_BUCKET, 2 * MAX_BUCKET] {
            assert_eq!(unpad(&vec![0; len]), Err(PaddingError::Malformed), "{len} bytes");
        }
    }

    #[test]
    fn huge_lengths_are_too_large_not_an_overflow() {
        for len in [MAX_BUCKET - 3, usize::MAX / 2 + 1, usize::MAX - 4, usize::MAX - 3, usize::MAX] {
            assert_eq!(bucket_for(len), Err(PaddingError::TooLarge(len)), "{len}");
        }
        assert_eq!(bucket_for(MAX_BUCKET - 4), Ok(MAX_BUCKET));
    }

    #[test]
    fn unpad_refuses_tampering() {
        let mut padded = pad(b"hello").unwrap();
        padded[100] = 1;
        assert_eq!(unpad(&padded), Err(PaddingError::Malformed));
        let mut padded = pad(b"hello").unwrap();
        padded[3] = 0xff;
        assert_eq!(unpad(&padded), Err(PaddingError::Malformed));
        assert_eq!(unpad(&[0; 10]), Err(PaddingError::Malformed));
    }

    proptest! {
        #[test]
        fn round_trip(content in proptest::collection::vec(any::<u8>(), 0..10_000)) {
            let padded = pad(&content).unwrap();
            prop_assert!(padded.len().is_power_of_two());
            prop_assert_eq!(unpad(&padded).unwrap(), &content[..]);
        }
    }
}
