//! QR codes as SVG: the one maker for the invite code the web app shows and
//! the organisation key's shares printed on paper (`ops::org_key`).
//!
//! Error correction M (15% of the code may be smudged), at least 240 by 240
//! pixels with the quiet zone around it that scanners need.

pub use qrcode::types::QrError;

/// Where the SVG goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Svg {
    /// A file of its own (`share-N-of-M.svg`): the XML declaration and the
    /// SVG namespace, which image viewers need.
    File,
    /// Inside an HTML page: the `<svg>` element alone. HTML needs neither
    /// the declaration nor the namespace, and the page then names no
    /// foreign URL (the namespace is one, though never fetched).
    Inline,
}

/// `text` as a QR code, an SVG that scales to its container.
pub fn svg(text: &str, form: Svg) -> Result<String, QrError> {
    let qr = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)?;
    let file = qr.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).quiet_zone(true).build();
    Ok(match form {
        Svg::File => file,
        Svg::Inline => {
            let element = file.find("<svg").map_or(file.as_str(), |at| &file[at..]);
            element.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_a_whole_svg_document_and_inline_is_the_element_alone() {
        let file = svg("VN1-ABCD", Svg::File).unwrap();
        assert!(file.starts_with("<?xml") && file.contains("xmlns=\"http://www.w3.org/2000/svg\""), "{file}");
        assert!(file.trim_end().ends_with("</svg>"));
        let inline = svg("VN1-ABCD", Svg::Inline).unwrap();
        assert!(inline.starts_with("<svg") && inline.trim_end().ends_with("</svg>"), "{inline}");
        assert!(!inline.contains("<?xml") && !inline.contains("http://"), "{inline}");
        // The same code in both: everything after the opening tag is alike.
        assert!(file.contains(&inline[inline.find('>').unwrap()..]));
    }
}
