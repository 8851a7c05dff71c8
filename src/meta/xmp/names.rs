//! XMP tag naming: namespace URIs to their usual prefixes, and property paths to the flat
//! tag names ExifTool prints without `-struct`.
//!
//! The rule is "capitalised local names, concatenated along the structure path", with the
//! exceptions below. The exceptions were observed in ExifTool's output (`exiftool -v2`
//! prints the property path next to each tag name); they are facts about its naming, not
//! a copy of its tables.

/// Usual prefixes of well-known namespaces (from the XMP, IPTC, PLUS and MWG specs).
const NAMESPACES: &[(&str, &str, &str)] = &[
    ("http://purl.org/dc/elements/1.1/", "dc", "XMP-dc"),
    ("http://ns.adobe.com/xap/1.0/", "xmp", "XMP-xmp"),
    ("http://ns.adobe.com/xap/1.0/mm/", "xmpMM", "XMP-xmpMM"),
    ("http://ns.adobe.com/xap/1.0/rights/", "xmpRights", "XMP-xmpRights"),
    ("http://ns.adobe.com/xap/1.0/bj/", "xmpBJ", "XMP-xmpBJ"),
    ("http://ns.adobe.com/xap/1.0/t/pg/", "xmpTPg", "XMP-xmpTPg"),
    ("http://ns.adobe.com/xap/1.0/g/img/", "xmpGImg", "XMP-xmpGImg"),
    ("http://ns.adobe.com/xap/1.0/g/", "xmpG", "XMP-xmpG"),
    ("http://ns.adobe.com/xmp/1.0/DynamicMedia/", "xmpDM", "XMP-xmpDM"),
    ("http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "stRef", "XMP-stRef"),
    ("http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "stEvt", "XMP-stEvt"),
    ("http://ns.adobe.com/xap/1.0/sType/Font#", "stFnt", "XMP-stFnt"),
    ("http://ns.adobe.com/xap/1.0/sType/Dimensions#", "stDim", "XMP-stDim"),
    ("http://ns.adobe.com/xap/1.0/sType/Job#", "stJob", "XMP-stJob"),
    ("http://ns.adobe.com/xap/1.0/sType/Version#", "stVer", "XMP-stVer"),
    ("http://ns.adobe.com/xmp/sType/Area#", "stArea", "XMP-stArea"),
    ("http://ns.adobe.com/exif/1.0/", "exif", "XMP-exif"),
    ("http://ns.adobe.com/exif/1.0/aux/", "aux", "XMP-aux"),
    ("http://cipa.jp/exif/1.0/", "exifEX", "XMP-exifEX"),
    ("http://ns.adobe.com/tiff/1.0/", "tiff", "XMP-tiff"),
    ("http://ns.adobe.com/photoshop/1.0/", "photoshop", "XMP-photoshop"),
    ("http://ns.adobe.com/camera-raw-settings/1.0/", "crs", "XMP-crs"),
    ("http://ns.adobe.com/pdf/1.3/", "pdf", "XMP-pdf"),
    ("http://ns.adobe.com/pdfx/1.3/", "pdfx", "XMP-pdfx"),
    ("http://ns.adobe.com/lightroom/1.0/", "lr", "XMP-lr"),
    ("http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Iptc4xmpCore", "XMP-iptcCore"),
    ("http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt", "XMP-iptcExt"),
    ("http://ns.useplus.org/ldf/xmp/1.0/", "plus", "XMP-plus"),
    ("http://www.metadataworkinggroup.com/schemas/regions/", "mwg-rs", "XMP-mwg-rs"),
    ("http://www.metadataworkinggroup.com/schemas/keywords/", "mwg-kw", "XMP-mwg-kw"),
    ("http://www.metadataworkinggroup.com/schemas/collections/", "mwg-coll", "XMP-mwg-coll"),
    ("http://ns.google.com/photos/1.0/camera/", "GCamera", "XMP-GCamera"),
    ("http://ns.google.com/photos/1.0/image/", "GImage", "XMP-GImage"),
    ("http://ns.google.com/photos/1.0/container/", "Container", "XMP-Container"),
    ("http://ns.google.com/photos/1.0/container/item/", "Item", "XMP-Item"),
    ("http://ns.google.com/photos/1.0/panorama/", "GPano", "XMP-GPano"),
    ("http://ns.microsoft.com/photo/1.0/", "MicrosoftPhoto", "XMP-MicrosoftPhoto"),
    ("http://ns.microsoft.com/photo/1.2/", "MP", "XMP-MP"),
    ("http://ns.microsoft.com/photo/1.2/t/RegionInfo#", "MPRI", "XMP-MP"),
    ("http://ns.microsoft.com/photo/1.2/t/Region#", "MPReg", "XMP-MP"),
    ("http://ns.adobe.com/xmp/Identifier/qual/1.0/", "xmpidq", "XMP-xmpidq"),
];

/// The usual prefix of a namespace URI, if it is a well-known one.
pub(super) fn known_prefix(uri: &[u8]) -> Option<&'static str> {
    // Only the namespaces whose URI has this length are compared.
    let mut mask = NAMESPACES_BY_LEN.get(uri.len()).copied().unwrap_or(0);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if let Some((u, p, _)) = NAMESPACES.get(i) {
            if u.as_bytes() == uri {
                return Some(p);
            }
        }
    }
    None
}

/// For each URI length, a bit set of the NAMESPACES entries with that length.
const NAMESPACES_BY_LEN: [u64; 128] = {
    assert!(NAMESPACES.len() <= 64);
    let mut out = [0u64; 128];
    let mut i = 0;
    while i < NAMESPACES.len() {
        let len = NAMESPACES[i].0.len();
        assert!(len < 128);
        out[len] |= 1 << i;
        i += 1;
    }
    out
};

/// The usual prefix (as a static string) and ExifTool's family-1 group of `prefix`, when
/// it is a well-known one.
pub(super) fn known_groups(prefix: &str) -> Option<(&'static str, &'static str)> {
    // Only the namespaces whose prefix has this length are compared.
    let mut mask = PREFIXES_BY_LEN.get(prefix.len()).copied().unwrap_or(0);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if let Some(&(_, p, g)) = NAMESPACES.get(i) {
            if p == prefix {
                return Some((p, g));
            }
        }
    }
    None
}

/// For each prefix length, a bit set of the NAMESPACES entries whose prefix has it.
const PREFIXES_BY_LEN: [u64; 32] = {
    let mut out = [0u64; 32];
    let mut i = 0;
    while i < NAMESPACES.len() {
        out[NAMESPACES[i].1.len()] |= 1 << i;
        i += 1;
    }
    out
};

/// ExifTool's family-1 group for a prefix ("XMP-dc"), given its [`known_groups`].
pub(super) fn subgroup(
    prefix: &str,
    known: Option<(&'static str, &'static str)>,
) -> std::borrow::Cow<'static, str> {
    match known {
        Some((_, g)) => std::borrow::Cow::Borrowed(g),
        None if prefix == "x" => std::borrow::Cow::Borrowed("XMP-x"),
        None if prefix == "rdf" => std::borrow::Cow::Borrowed("XMP-rdf"),
        None => std::borrow::Cow::Owned(format!("XMP-{prefix}")),
    }
}

/// Namespaces of ExifTool's own RDF/XML output (`exiftool -X`).
const EXIFTOOL_NS: &[u8] = b"http://ns.exiftool.org/";

/// The family-0 group of an `exiftool -X` namespace (`http://ns.exiftool.org/EXIF/IFD0/1.0/`
/// -> "EXIF"); "" for the ones ExifTool does not report back (file system, toolkit);
/// None for other namespaces under ns.exiftool.org (ordinary XMP).
pub(super) fn exiftool_group(uri: &[u8]) -> Option<&'static str> {
    let rest = uri.get(EXIFTOOL_NS.len()..).unwrap_or_default();
    let mut segs = rest.split(|c| *c == b'/');
    Some(match (segs.next().unwrap_or_default(), segs.next().unwrap_or_default()) {
        (b"File", b"System") | (b"1.0", _) => "",
        (b"EXIF", _) => "EXIF",
        (b"MakerNotes", _) => "MakerNotes",
        (b"PrintIM", _) => "PrintIM",
        (b"IPTC", _) => "IPTC",
        (b"ICC_Profile", _) => "ICC_Profile",
        (b"Photoshop", _) => "Photoshop",
        (b"File" | b"ExifTool" | b"Composite", _) => "XML",
        _ => return None,
    })
}

const RDF_NS: &[u8] = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const XML_NS: &[u8] = b"http://www.w3.org/XML/1998/namespace";

/// What kind of namespace a name is bound to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Ns {
    None,
    Rdf,
    Xml,
    Known,
    Other,
    /// ExifTool's own RDF/XML (`exiftool -X`) namespaces: the family-0 group the
    /// property belongs to ("" to skip it).
    Et(&'static str),
}

/// What a namespace URI is, and its usual prefix when it is a well-known one.
pub(super) fn classify(uri: &[u8]) -> (Ns, Option<&'static str>) {
    match known_prefix(uri) {
        Some(p) => (Ns::Known, Some(p)),
        None if uri == RDF_NS => (Ns::Rdf, None),
        None if uri.starts_with(EXIFTOOL_NS) => {
            exiftool_group(uri).map_or((Ns::Other, None), |g| (Ns::Et(g), None))
        }
        None if uri == XML_NS => (Ns::Xml, None),
        None => (Ns::Other, None),
    }
}

/// Tag name of an `exiftool -X` property: its local name, with all-capital names
/// capitalised ("ISO" -> "Iso").
pub(super) fn exiftool_name(parent: &str, local: &str, out: &mut String) {
    out.clear();
    out.push_str(parent);
    let caps = local.len() > 1 && local.bytes().all(|c| c.is_ascii_uppercase());
    for (i, c) in local.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').enumerate() {
        out.push(if caps && i > 0 { c.to_ascii_lowercase() } else { c });
    }
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
    ("Iptc4xmpExt", "PersonInImageWDetails", "PersonInImage"),
    ("Iptc4xmpExt", "PersonName", "Name"),
    ("Iptc4xmpExt", "PersonId", "Id"),
    ("Iptc4xmpExt", "RegistryId", "Registry"),
    ("Iptc4xmpExt", "RegItemId", "ItemID"),
    ("Iptc4xmpExt", "RegOrgId", "OrganisationID"),
    ("Iptc4xmpCore", "CreatorContactInfo", "Creator"),
    ("Iptc4xmpCore", "CiAdrExtadr", "Address"),
    ("Iptc4xmpCore", "CiAdrCity", "City"),
    ("Iptc4xmpCore", "CiAdrCtry", "Country"),
    ("Iptc4xmpCore", "CiAdrPcode", "PostalCode"),
    ("Iptc4xmpCore", "CiAdrRegion", "Region"),
    ("Iptc4xmpCore", "CiEmailWork", "WorkEmail"),
    ("Iptc4xmpCore", "CiTelWork", "WorkTelephone"),
    ("Iptc4xmpCore", "CiUrlWork", "WorkURL"),
    ("exif", "GPSTimeStamp", "GPSDateTime"),
    ("exifEX", "LensSpecification", "LensInfo"),
    ("photoshop", "TextLayers", "TextLayer"),
    ("MicrosoftPhoto", "Rating", "RatingPercent"),
    ("exif", "FocalLengthIn35mmFilm", "FocalLengthIn35mmFormat"),
    ("MP", "RegionInfo", ""),
    ("crs", "Temperature", "ColorTemperature"),
    ("Iptc4xmpExt", "rId", "ID"),
    ("MPRI", "Regions", "Region"),
    // DJI's misspelling; its GpsLatitude/GpsLongitude become GPS tags that ExifTool's
    // GPS composites read, which ours would read as EXIF-style coordinates: left as
    // they are until the composites tell the namespaces apart.
    ("drone-dji", "GpsLongtitude", "GPSLongtitude"),
];

/// The tag-name part of `prefix:local` when it is not the local name.
fn renamed(prefix: &str, local: &str) -> Option<&'static str> {
    // Only the entries whose local name has this length and ends with this byte are
    // compared (usually none).
    let last = local.as_bytes().last().map_or(0, |c| usize::from(c & 63));
    let mut mask = RENAMED_BY_LEN.get(local.len()).copied().unwrap_or(0)
        & RENAMED_BY_LAST.get(last).copied().unwrap_or(0);
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if let Some((p, l, n)) = RENAMED.get(i) {
            if *l == local && *p == prefix {
                return Some(n);
            }
        }
    }
    None
}

/// For each last byte of a local name (its low six bits), a bit set of the RENAMED
/// entries whose local name ends with such a byte.
const RENAMED_BY_LAST: [u64; 64] = {
    let mut out = [0u64; 64];
    let mut i = 0;
    while i < RENAMED.len() {
        let l = RENAMED[i].1.as_bytes();
        out[(l[l.len() - 1] & 63) as usize] |= 1 << i;
        i += 1;
    }
    out
};

/// For each local-name length, a bit set of the RENAMED entries with that length.
const RENAMED_BY_LEN: [u64; 64] = {
    assert!(RENAMED.len() <= 64);
    let mut out = [0u64; 64];
    let mut i = 0;
    while i < RENAMED.len() {
        let len = RENAMED[i].1.len();
        assert!(len < 64);
        out[len] |= 1 << i;
        i += 1;
    }
    out
};

/// The bytes kept in tag names: ASCII letters and digits, `-` and `_`.
const NAME_BYTES: [bool; 256] = {
    let mut out = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        out[c] = b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        c += 1;
    }
    out
};

/// Appends the name part for property `prefix:local` under the flat name `parent`.
pub(super) fn push_segment(parent: &str, prefix: &str, local: &str, out: &mut String) {
    out.clear();
    if !parent.is_empty() {
        out.push_str(parent);
    }
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
    let mut seg = renamed(prefix, local).unwrap_or(local);
    if prefix == "Iptc4xmpExt" {
        // Artwork fields ("AOTitle") and region boundary fields ("rbShape") drop their prefix.
        let strip = if parent.ends_with("Artwork") { "AO" } else { "rb" };
        if let Some(rest) =
            seg.strip_prefix(strip).filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()))
        {
            seg = rest;
        }
    }
    let valid = |c: u8| NAME_BYTES.get(usize::from(c)).copied().unwrap_or(false);
    let owned: String;
    let clean: &str = if seg.bytes().all(valid) {
        seg
    } else {
        owned = seg.chars().filter(|c| c.is_ascii() && valid(*c as u8)).collect();
        &owned
    };
    if clean.is_empty() {
        return;
    }
    // A field that repeats the end of its structure's name is not repeated
    // (ImageCreator/ImageCreatorName -> ImageCreatorName).
    let overlap = if parent.is_empty() { 0 } else { overlap_len(parent, clean) };
    if overlap == 0 {
        // `clean` is ASCII: its first byte is capitalised.
        let start = out.len();
        out.push_str(clean);
        if let Some(head) = out.get_mut(start..start + 1) {
            head.make_ascii_uppercase();
        }
    } else {
        out.push_str(clean.get(overlap..).unwrap_or_default());
    }
}

/// Length of the longest prefix of `child` (ending at a word boundary, at least two
/// characters, starting at a capital in `parent`) that `parent` ends with.
fn overlap_len(parent: &str, child: &str) -> usize {
    let (pb, cb) = (parent.as_bytes(), child.as_bytes());
    let Some(first) = cb.first().map(u8::to_ascii_uppercase).filter(u8::is_ascii_uppercase) else { return 0 };
    let mut best = 0;
    for k in 2..=cb.len().min(pb.len()) {
        let boundary =
            k == cb.len() || cb.get(k).is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let start = pb.len() - k;
        if boundary && pb[start] == first && pb[start + 1..] == cb[1..k] {
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
    fn every_rename_is_reachable() {
        for (p, l, n) in RENAMED {
            assert_eq!(renamed(p, l), Some(*n), "{p}:{l}");
        }
        for (u, p, _) in NAMESPACES {
            assert_eq!(known_prefix(u.as_bytes()), Some(*p));
        }
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
            name(&[
                ("Iptc4xmpExt", "ImageRegion"),
                ("Iptc4xmpExt", "RegionBoundary"),
                ("Iptc4xmpExt", "rbX")
            ]),
            "ImageRegionBoundaryX"
        );
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
