//! ExifTool's tag names for QuickTime user-data items, iTunes `ilst` items and Apple
//! `keys` keys (facts from Apple's QuickTime File Format documentation and observed
//! ExifTool output), as data.

use std::borrow::Cow;

/// A tag name from free text: words capitalised, other characters dropped.
pub(super) fn camel(s: &str) -> String {
    let mut out = String::new();
    for word in s.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(f) = chars.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "Tag");
    }
    out
}

/// The four bytes of a `©xxx` key kept as Latin-1 text.
pub(super) fn user_data_code(k: &str) -> Option<[u8; 4]> {
    let mut code = [0u8; 4];
    let mut n = 0;
    for c in k.chars() {
        *code.get_mut(n)? = u8::try_from(u32::from(c)).ok()?;
        n += 1;
    }
    (n == 4 && code[0] == 0xa9).then_some(code)
}

/// ExifTool's name for an Apple `keys` key.
pub(super) fn key_name(key: &str) -> Cow<'static, str> {
    let short = key.strip_prefix("com.apple.quicktime.").unwrap_or(key);
    let name = match short {
        "make" => "Make",
        "model" => "Model",
        "software" => "Software",
        "creationdate" => "CreationDate",
        "location.ISO6709" => "GPSCoordinates",
        "album" => "Album",
        "artist" => "Artist",
        "author" => "Author",
        "comment" => "Comment",
        "copyright" => "Copyright",
        "description" => "Description",
        "director" => "Director",
        "displayname" => "DisplayName",
        "genre" => "Genre",
        "information" => "Information",
        "keywords" => "Keywords",
        "producer" => "Producer",
        "publisher" => "Publisher",
        "title" => "Title",
        "year" => "Year",
        "location.name" => "LocationName",
        "location.body" => "LocationBody",
        "location.note" => "LocationNote",
        "location.role" => "LocationRole",
        "location.date" => "LocationDate",
        "content.identifier" => "ContentIdentifier",
        "rating.user" => "UserRating",
        "camera.identifier" => "CameraIdentifier",
        "camera.lens_model" => "CameraLensModel",
        "com.android.version" => "AndroidVersion",
        "com.android.capture.fps" => "AndroidCaptureFPS",
        "com.android.manufacturer" => "AndroidMake",
        "com.android.model" => "AndroidModel",
        _ => return Cow::Owned(camel(short)),
    };
    Cow::Borrowed(name)
}

/// ExifTool's names for QuickTime user-data items.
pub(super) fn user_data_name(k: &[u8; 4]) -> Option<&'static str> {
    Some(match &k[1..] {
        b"nam" => "Title",
        b"ART" => "Artist",
        b"alb" => "Album",
        b"aut" => "Author",
        b"cmt" => "Comment",
        b"com" => "Composer",
        b"cpy" => "Copyright",
        b"day" => "ContentCreateDate",
        b"des" => "Description",
        b"dir" => "Director",
        b"dis" => "Disclaimer",
        b"enc" => "EncodedBy",
        b"fmt" => "Format",
        b"gen" => "Genre",
        b"grp" => "Grouping",
        b"hst" => "HostComputer",
        b"inf" => "Information",
        b"key" => "Keywords",
        b"lyr" => "Lyrics",
        b"mak" => "Make",
        b"mod" => "Model",
        b"ope" => "OriginalArtist",
        b"PRD" => "Product",
        b"prd" => "Producer",
        b"prf" => "Performers",
        b"pub" => "Publisher",
        b"req" => "PlaybackRequirements",
        b"src" => "SourceCredits",
        b"swr" => "SoftwareVersion",
        b"too" => "Encoder",
        b"url" => "URL",
        b"wrn" => "Warning",
        b"wrt" => "Composer",
        b"xyz" => "GPSCoordinates",
        _ => return None,
    })
}

/// ExifTool's names for iTunes `ilst` items.
pub(super) fn item_name(k: &[u8; 4]) -> Option<&'static str> {
    if k[0] == 0xa9 {
        return Some(match &k[1..] {
            b"too" => "Encoder",
            b"st3" => "Subtitle",
            b"wrk" => "Work",
            b"mvn" => "MovementName",
            b"mvi" => "MovementNumber",
            b"mvc" => "MovementCount",
            b"nrt" => "Narrator",
            b"con" => "Conductor",
            b"sol" => "Soloist",
            b"arg" => "Arranger",
            b"ard" => "ArtDirector",
            _ => return user_data_name(k),
        });
    }
    Some(match k {
        b"aART" => "AlbumArtist",
        b"trkn" => "TrackNumber",
        b"disk" => "DiskNumber",
        b"cprt" => "Copyright",
        b"tmpo" => "BeatsPerMinute",
        b"cpil" => "Compilation",
        b"pgap" => "PlayGap",
        b"covr" => "CoverArt",
        b"gnre" => "Genre",
        b"desc" => "Description",
        b"ldes" => "LongDescription",
        b"tvsh" => "TVShow",
        b"tven" => "TVEpisodeID",
        b"tvsn" => "TVSeason",
        b"tves" => "TVEpisode",
        b"tvnn" => "TVNetworkName",
        b"purd" => "PurchaseDate",
        b"stik" => "MediaType",
        b"rtng" => "Rating",
        b"hdvd" => "HDVideo",
        b"soal" => "SortAlbum",
        b"soar" => "SortArtist",
        b"soaa" => "SortAlbumArtist",
        b"sonm" => "SortName",
        b"soco" => "SortComposer",
        b"sosn" => "SortShow",
        b"apID" => "AppleStoreAccount",
        b"cnID" => "AppleStoreCatalogID",
        b"sfID" => "AppleStoreCountry",
        b"akID" => "AppleStoreAccountType",
        b"plID" => "PlaylistID",
        b"geID" => "GenreID",
        b"atID" => "AlbumTitleID",
        b"cmID" => "ComposerID",
        b"keyw" => "Keyword",
        b"catg" => "Category",
        b"purl" => "PodcastURL",
        b"egid" => "EpisodeGlobalUniqueID",
        b"pcst" => "Podcast",
        b"shwm" => "ShowMovement",
        b"ownr" => "Owner",
        _ => return None,
    })
}
