//! XMP tag naming: namespace URIs to their usual prefixes, and property paths to the flat
//! tag names ExifTool prints without `-struct`.
//!
//! The rule is "capitalised local names, concatenated along the structure path", with the
//! exceptions below. The exceptions were observed in ExifTool's output (`exiftool -v2`
//! prints the property path next to each tag name); they are facts about its naming, not
//! a copy of its tables.

/// Usual prefixes of well-known namespaces (from the XMP, IPTC, PLUS and MWG specs).
const NAMESPACES: &[(&str, &str)] = &[
    ("http://purl.org/dc/elements/1.1/", "dc"),
    ("http://ns.adobe.com/xap/1.0/", "xmp"),
    ("http://ns.adobe.com/xap/1.0/mm/", "xmpMM"),
    ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights"),
    ("http://ns.adobe.com/xap/1.0/bj/", "xmpBJ"),
    ("http://ns.adobe.com/xap/1.0/t/pg/", "xmpTPg"),
    ("http://ns.adobe.com/xap/1.0/g/img/", "xmpGImg"),
    ("http://ns.adobe.com/xap/1.0/g/", "xmpG"),
    ("http://ns.adobe.com/xmp/1.0/DynamicMedia/", "xmpDM"),
    ("http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "stRef"),
    ("http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "stEvt"),
    ("http://ns.adobe.com/xap/1.0/sType/Font#", "stFnt"),
    ("http://ns.adobe.com/xap/1.0/sType/Dimensions#", "stDim"),
    ("http://ns.adobe.com/xap/1.0/sType/Job#", "stJob"),
    ("http://ns.adobe.com/xap/1.0/sType/Version#", "stVer"),
    ("http://ns.adobe.com/xmp/sType/Area#", "stArea"),
    ("http://ns.adobe.com/exif/1.0/", "exif"),
    ("http://ns.adobe.com/exif/1.0/aux/", "aux"),
    ("http://cipa.jp/exif/1.0/", "exifEX"),
    ("http://ns.adobe.com/tiff/1.0/", "tiff"),
    ("http://ns.adobe.com/photoshop/1.0/", "photoshop"),
    ("http://ns.adobe.com/camera-raw-settings/1.0/", "crs"),
    ("http://ns.adobe.com/pdf/1.3/", "pdf"),
    ("http://ns.adobe.com/pdfx/1.3/", "pdfx"),
    ("http://ns.adobe.com/lightroom/1.0/", "lr"),
    ("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Iptc4xmpCore"),
    ("http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt"),
    ("http://ns.useplus.org/ldf/xmp/1.0/", "plus"),
    ("http://www.metadataworkinggroup.com/schemas/regions/", "mwg-rs"),
    ("http://www.metadataworkinggroup.com/schemas/keywords/", "mwg-kw"),
    ("http://www.metadataworkinggroup.com/schemas/collections/", "mwg-coll"),
    ("http://ns.google.com/photos/1.0/camera/", "GCamera"),
    ("http://ns.google.com/photos/1.0/image/", "GImage"),
    ("http://ns.google.com/photos/1.0/container/", "Container"),
    ("http://ns.google.com/photos/1.0/container/item/", "Item"),
    ("http://ns.google.com/photos/1.0/panorama/", "GPano"),
    ("http://ns.microsoft.com/photo/1.0/", "MicrosoftPhoto"),
    ("http://ns.microsoft.com/photo/1.2/", "MP"),
    ("http://ns.adobe.com/xmp/Identifier/qual/1.0/", "xmpidq"),
];

/// The usual prefix of a namespace URI, if it is a well-known one.
pub(super) fn known_prefix(uri: &[u8]) -> Option<&'static str> {
    NAMESPACES.iter().find(|(u, _)| u.as_bytes() == uri).map(|(_, p)| *p)
}

/// Properties whose tag name is not their capitalised local name.
const RENAMED: &[(&str, &str, &str)] = &[
    ("exif", "ExposureBiasValue", "ExposureCompensation"),
    ("exif", "ISOSpeedRatings", "ISO"),
    ("exif", "PixelXDimension", "ExifImageWidth"),
    ("exif", "PixelYDimension", "ExifImageHeight"),
    ("tiff", "ImageLength", "ImageHeight"),
    ("photoshop", "ICCProfile", "ICCProfileName"),
    ("plus", "Version", "PLUSVersion"),
    ("stFnt", "versionString", "Version"),
    ("xmp", "Thumbnails", "Thumbnail"),
    ("xmpTPg", "Colorants", "Colorant"),
    ("xmpTPg", "Fonts", "Font"),
    ("xmpTPg", "SwatchGroups", "SwatchGroup"),
    ("mwg-rs", "Regions", "Region"),
    ("mwg-rs", "RegionList", ""),
    ("mwg-kw", "Keywords", ""),
    ("Iptc4xmpExt", "ArtworkOrObject", "Artwork"),
];

/// Appends the name part for property `prefix:local` under the flat name `parent`.
pub(super) fn push_segment(parent: &str, prefix: &str, local: &str, out: &mut String) {
    out.clear();
    out.push_str(parent);
    // MWG hierarchical keywords: one tag per level.
    if prefix == "mwg-kw" {
        match local {
            "Hierarchy" if parent.is_empty() => {
                out.push_str("HierarchicalKeywords1");
                return;
            }
            "Children" => {
                if let Some(n) =
                    parent.strip_prefix("HierarchicalKeywords").and_then(|n| n.parse::<u32>().ok())
                {
                    out.clear();
                    out.push_str("HierarchicalKeywords");
                    out.push_str(&(n.saturating_add(1)).to_string());
                    return;
                }
            }
            "Keyword" if parent.starts_with("HierarchicalKeywords") => return,
            _ => {}
        }
    }
    let mut seg = RENAMED.iter().find(|(p, l, _)| *p == prefix && *l == local).map_or(local, |(_, _, n)| *n);
    if prefix == "Iptc4xmpExt" && parent.ends_with("Artwork") {
        if let Some(rest) = seg.strip_prefix("AO").filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            seg = rest;
        }
    }
    let mut clean: String =
        seg.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    if let Some(first) = clean.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    if clean.is_empty() {
        return;
    }
    // A field that repeats the end of its structure's name is not repeated
    // (ImageCreator/ImageCreatorName -> ImageCreatorName).
    let overlap = overlap_len(parent, &clean);
    out.push_str(clean.get(overlap..).unwrap_or_default());
}

/// Length of the longest prefix of `child` (ending at a word boundary, at least two
/// characters, starting at a capital in `parent`) that `parent` ends with.
fn overlap_len(parent: &str, child: &str) -> usize {
    let cb = child.as_bytes();
    let mut best = 0;
    for k in 2..=child.len().min(parent.len()) {
        let boundary =
            k == cb.len() || cb.get(k).is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !boundary || !cb.first().is_some_and(u8::is_ascii_uppercase) {
            continue;
        }
        if parent.as_bytes().ends_with(&cb[..k]) {
            best = k;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(path: &[(&str, &str)]) -> String {
        let mut cur = String::new();
        let mut next = String::new();
        for (p, l) in path {
            push_segment(&cur, p, l, &mut next);
            std::mem::swap(&mut cur, &mut next);
        }
        cur
    }

    #[test]
    fn flattening() {
        assert_eq!(name(&[("dc", "title")]), "Title");
        assert_eq!(name(&[("exif", "Flash"), ("exif", "Fired")]), "FlashFired");
        assert_eq!(name(&[("plus", "ImageCreator"), ("plus", "ImageCreatorName")]), "ImageCreatorName");
        assert_eq!(name(&[("Iptc4xmpExt", "AboutCvTerm"), ("Iptc4xmpExt", "CvTermName")]), "AboutCvTermName");
        assert_eq!(name(&[("Iptc4xmpExt", "AboutCvTerm"), ("Iptc4xmpExt", "CvId")]), "AboutCvTermCvId");
        assert_eq!(name(&[("Iptc4xmpExt", "ArtworkOrObject"), ("Iptc4xmpExt", "AOTitle")]), "ArtworkTitle");
        assert_eq!(
            name(&[("mwg-rs", "Regions"), ("mwg-rs", "RegionList"), ("mwg-rs", "Area"), ("stArea", "x")]),
            "RegionAreaX"
        );
        assert_eq!(name(&[("xmpTPg", "Fonts"), ("stFnt", "fontName")]), "FontName");
        assert_eq!(name(&[("xmpTPg", "Fonts"), ("stFnt", "versionString")]), "FontVersion");
        assert_eq!(
            name(&[
                ("mwg-kw", "Keywords"),
                ("mwg-kw", "Hierarchy"),
                ("mwg-kw", "Children"),
                ("mwg-kw", "Keyword")
            ]),
            "HierarchicalKeywords2"
        );
        assert_eq!(name(&[("pdfx", "Custom\u{2182}0020Property")]), "Custom0020Property");
        assert_eq!(name(&[("meta", "creation-date")]), "Creation-date");
    }
}
