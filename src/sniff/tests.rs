//! Unit tests with synthesized headers for each refine path.

use super::*;
use Format::*;

fn sniff_bytes(data: &[u8]) -> Format {
    sniff(&data, None).unwrap_or(Unknown)
}

fn sniff_ext(data: &[u8], ext: &str) -> Format {
    sniff(&data, Some(ext)).unwrap_or(Unknown)
}

/// Pads `data` with zeros to `len`.
fn padded(data: &[u8], len: usize) -> Vec<u8> {
    let mut v = data.to_vec();
    v.resize(len.max(data.len()), 0);
    v
}

/// An ISO-BMFF `ftyp` box with these brands, then a `free` box.
fn ftyp(major: &[u8; 4], compat: &[&[u8; 4]]) -> Vec<u8> {
    let size = 16 + 4 * compat.len();
    let mut v = (size as u32).to_be_bytes().to_vec();
    v.extend_from_slice(b"ftyp");
    v.extend_from_slice(major);
    v.extend_from_slice(&[0, 0, 0, 0]);
    for c in compat {
        v.extend_from_slice(*c);
    }
    v.extend_from_slice(&[0, 0, 0, 8]);
    v.extend_from_slice(b"free");
    v
}

#[test]
fn table_names() {
    for f in Format::ALL {
        assert!(!f.name().is_empty());
        assert!(f.mime().contains('/'));
    }
    assert_eq!(Jpeg.type_extension(), "JPG");
    assert_eq!(ElfExe.type_extension(), "");
    assert_eq!(WebPExtended.name(), "Extended WEBP");
    assert_eq!(Format::from_extension("NEF"), Some(Nef));
}

#[test]
fn empty_and_unknown() {
    assert_eq!(sniff_bytes(&[]), Unknown);
    assert_eq!(sniff_bytes(&[0u8; 64]), Unknown);
    assert_eq!(sniff_bytes(&[0x00, 0x01, 0x02, 0x03, 0xFE]), Unknown);
}

#[test]
fn jpeg_and_jps() {
    assert_eq!(sniff_bytes(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]), Jpeg);
    let mut jps = vec![0xFF, 0xD8, 0xFF, 0xE3, 0, 10];
    jps.extend_from_slice(b"_JPSJPS_");
    assert_eq!(sniff_bytes(&jps), Jps);
    assert_eq!(sniff_ext(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16], "JPS"), Jps);
}

#[test]
fn isobmff_brands() {
    assert_eq!(sniff_bytes(&ftyp(b"isom", &[b"isom", b"mp41"])), Mp4);
    assert_eq!(sniff_bytes(&ftyp(b"qt  ", &[b"qt  "])), Mov);
    assert_eq!(sniff_bytes(&ftyp(b"M4A ", &[b"isom"])), M4a);
    assert_eq!(sniff_bytes(&ftyp(b"M4V ", &[])), M4v);
    assert_eq!(sniff_bytes(&ftyp(b"3gp6", &[b"isom"])), ThreeGp);
    assert_eq!(sniff_bytes(&ftyp(b"3g2a", &[])), ThreeG2);
    assert_eq!(sniff_bytes(&ftyp(b"heic", &[b"mif1"])), Heic);
    assert_eq!(sniff_bytes(&ftyp(b"heix", &[b"mif1"])), Heif);
    assert_eq!(sniff_bytes(&ftyp(b"hevc", &[b"msf1"])), HeicSequence);
    assert_eq!(sniff_bytes(&ftyp(b"msf1", &[b"msf1"])), HeifSequence);
    assert_eq!(sniff_bytes(&ftyp(b"mif1", &[b"mif1", b"heic"])), Heif);
    assert_eq!(sniff_bytes(&ftyp(b"avif", &[b"mif1"])), Avif);
    assert_eq!(sniff_bytes(&ftyp(b"crx ", &[b"isom"])), Cr3);
    // Unknown major brand: the compatible brands decide, else MP4.
    assert_eq!(sniff_bytes(&ftyp(b"xxxx", &[b"avif"])), Avif);
    assert_eq!(sniff_bytes(&ftyp(b"xxxx", &[b"zzzz"])), Mp4);
    // QuickTime without ftyp.
    let mut moov = vec![0, 0, 0, 16];
    moov.extend_from_slice(b"moov\0\0\0\x08mvhd");
    assert_eq!(sniff_bytes(&moov), Mov);
    let mut jp2 = b"\0\0\0\x0cjP  \r\n\x87\n".to_vec();
    jp2.extend_from_slice(&ftyp(b"jp2 ", &[b"jp2 "]));
    assert_eq!(sniff_bytes(&jp2), Jp2);
}

#[test]
fn riff_and_iff_forms() {
    let riff = |form: &[u8; 4], chunk: &[u8; 4]| {
        let mut v = b"RIFF\x20\0\0\0".to_vec();
        v.extend_from_slice(form);
        v.extend_from_slice(chunk);
        v.extend_from_slice(&[10, 0, 0, 0]);
        v
    };
    assert_eq!(sniff_bytes(&riff(b"WAVE", b"fmt ")), Wav);
    assert_eq!(sniff_bytes(&riff(b"AVI ", b"LIST")), Avi);
    assert_eq!(sniff_bytes(&riff(b"WEBP", b"VP8 ")), WebP);
    assert_eq!(sniff_bytes(&riff(b"WEBP", b"VP8L")), WebP);
    assert_eq!(sniff_bytes(&riff(b"WEBP", b"VP8X")), WebPExtended);
    assert_eq!(sniff_bytes(&riff(b"ABCD", b"VP8X")), Riff);
    assert_eq!(sniff_ext(&riff(b"\xff\xff\xff\xff", b"fmt "), "wav"), Wav);
    assert_eq!(sniff_bytes(b"FORM\0\0\0\x20AIFFCOMM"), Aiff);
    assert_eq!(sniff_bytes(b"FORM\0\0\0\x20AIFCFVER"), Aifc);
    assert_eq!(sniff_bytes(b"AT&TFORM\0\0\0\x20DJVMDIRM"), DjvuMulti);
}

/// An EBML element: id bytes, a one-byte size, the body.
fn el(id: &[u8], body: &[u8]) -> Vec<u8> {
    let mut v = id.to_vec();
    v.push(0x80 | body.len() as u8);
    v.extend_from_slice(body);
    v
}

fn matroska(doc_type: &[u8], track_types: &[u8]) -> Vec<u8> {
    let mut v = el(&[0x1A, 0x45, 0xDF, 0xA3], &el(&[0x42, 0x82], doc_type));
    let mut entries = Vec::new();
    for t in track_types {
        entries.extend(el(&[0xAE], &el(&[0x83], &[*t])));
    }
    let mut seg = el(&[0x15, 0x49, 0xA9, 0x66], b"info");
    seg.extend(el(&[0x16, 0x54, 0xAE, 0x6B], &entries));
    v.extend(el(&[0x18, 0x53, 0x80, 0x67], &seg));
    v
}

#[test]
fn ebml_doc_types_and_tracks() {
    assert_eq!(sniff_bytes(&matroska(b"webm", &[1, 2])), WebM);
    assert_eq!(sniff_bytes(&matroska(b"matroska", &[1, 2])), Mkv);
    assert_eq!(sniff_bytes(&matroska(b"matroska", &[2])), Mka);
    assert_eq!(sniff_bytes(&matroska(b"matroska", &[])), Mkv);
    assert_eq!(sniff_bytes(&matroska(b"other", &[1])), Unknown);
}

/// A ZIP of stored entries.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    crate::zip::tests::build(entries)
}

#[test]
fn zip_contents() {
    let ct: (&str, &[u8]) = ("[Content_Types].xml", b"<Types/>");
    assert_eq!(sniff_bytes(&zip(&[ct, ("word/document.xml", b"x")])), Docx);
    assert_eq!(sniff_bytes(&zip(&[ct, ("xl/workbook.xml", b"x")])), Xlsx);
    assert_eq!(sniff_bytes(&zip(&[ct, ("xl/workbook.xml", b"x"), ("xl/vbaProject.bin", b"")])), Xlsm);
    assert_eq!(sniff_bytes(&zip(&[ct, ("ppt/presentation.xml", b"x")])), Pptx);
    assert_eq!(sniff_ext(&zip(&[ct, ("ppt/presentation.xml", b"x")]), "potx"), Potx);
    let odt: (&str, &[u8]) = ("mimetype", b"application/vnd.oasis.opendocument.text");
    assert_eq!(sniff_bytes(&zip(&[odt, ("content.xml", b"x")])), Odt);
    let ods: (&str, &[u8]) = ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet");
    assert_eq!(sniff_bytes(&zip(&[ods])), Ods);
    assert_eq!(sniff_bytes(&zip(&[("manifest.xml", b"x"), ("0.IIQ", b"II*\0")])), Eip);
    let iwork = zip(&[("index.xml", b"x")]);
    assert_eq!(sniff_ext(&iwork, "numbers"), Numbers);
    assert_eq!(sniff_bytes(&iwork), Zip);
    let numbers: (&str, &[u8]) = ("index.xml", b"<?xml version=\"1.0\"?><ls:document/>");
    assert_eq!(sniff_bytes(&zip(&[("a.jpg", b"x"), numbers])), Numbers);
    assert_eq!(sniff_bytes(&zip(&[("index.apxl", b"<key:presentation/>")])), Key);
    assert_eq!(sniff_bytes(&zip(&[("Index/Document.iwa", b"x")])), Pages);
    assert_eq!(sniff_bytes(&zip(&[("a.txt", b"hello")])), Zip);
    // Truncated before the central directory: local headers still name the parts.
    let whole = zip(&[ct, ("word/document.xml", b"x")]);
    let cut = whole.get(..whole.len() - 40).unwrap_or(&[]);
    assert_eq!(sniff_bytes(cut), Docx);
}

/// A minimal little-endian TIFF with these IFD0 entries (tag, type, count, value).
fn tiff(entries: &[(u16, u16, u32, u32)], at8: &[u8]) -> Vec<u8> {
    let mut v = b"II*\0".to_vec();
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&padded(at8, 8));
    v.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, typ, n, val) in entries {
        v.extend_from_slice(&tag.to_le_bytes());
        v.extend_from_slice(&typ.to_le_bytes());
        v.extend_from_slice(&n.to_le_bytes());
        v.extend_from_slice(&val.to_le_bytes());
    }
    v.extend_from_slice(&[0; 4]);
    v
}

#[test]
fn tiff_based_raws() {
    let plain = tiff(&[(0x100, 3, 1, 8)], b"");
    assert_eq!(sniff_bytes(&plain), Tiff);
    assert_eq!(sniff_ext(&plain, "nef"), Nef);
    assert_eq!(sniff_ext(&plain, ".ARW"), Arw);
    assert_eq!(sniff_ext(&plain, "iiq"), Iiq);
    assert_eq!(sniff_ext(&plain, "jpg"), Tiff);
    assert_eq!(sniff_bytes(&tiff(&[(0xC612, 1, 4, 0x0104)], b"")), Dng);
    assert_eq!(sniff_bytes(&tiff(&[(0x103, 3, 1, 34713)], b"")), Nef);
    let cr2 = tiff(&[(0x100, 3, 1, 8)], b"CR\x02\0");
    assert_eq!(sniff_bytes(&cr2), Cr2);
    assert_eq!(sniff_ext(&cr2, "nef"), Cr2);
    // A SubIFD (at 34 = 16 + 2 + 12 + 4) with NEF compression.
    let mut sub = tiff(&[(0x14A, 4, 1, 34)], b"");
    sub.extend_from_slice(&1u16.to_le_bytes());
    sub.extend_from_slice(&0x103u16.to_le_bytes());
    sub.extend_from_slice(&3u16.to_le_bytes());
    sub.extend_from_slice(&1u32.to_le_bytes());
    sub.extend_from_slice(&34713u32.to_le_bytes());
    assert_eq!(sniff_bytes(&sub), Nef);
    assert_eq!(sniff_bytes(b"IIU\0\x18\0\0\0"), Rw2);
    assert_eq!(sniff_ext(b"IIU\0\x18\0\0\0", "raw"), Raw);
    assert_eq!(sniff_bytes(b"IIRO\x08\0\0\0"), Orf);
    assert_eq!(sniff_bytes(b"II+\0\x08\0\0\0"), BigTiff);
}

/// One Ogg page holding `packet`.
fn ogg_page(packet: &[u8]) -> Vec<u8> {
    let mut v = b"OggS\0\x02".to_vec();
    v.extend_from_slice(&[0; 20]);
    v.push(1);
    v.push(packet.len() as u8);
    v.extend_from_slice(packet);
    v
}

#[test]
fn ogg_codecs() {
    assert_eq!(sniff_bytes(&ogg_page(b"\x01vorbis\0\0\0\0")), Ogg);
    assert_eq!(sniff_bytes(&ogg_page(b"OpusHead\x01\x02")), Opus);
    assert_eq!(sniff_bytes(&ogg_page(b"\x7fFLAC\x01\0")), Ogg);
    assert_eq!(sniff_bytes(&ogg_page(b"\x80theora\x03\x02")), Ogv);
    let mut skel = ogg_page(b"fishead\0\x03\0");
    skel.extend(ogg_page(b"\x80theora\x03\x02"));
    assert_eq!(sniff_bytes(&skel), Ogv);
}

/// An MPEG-1 layer III frame header at 128 kbit/s, 44.1 kHz (417 bytes per frame).
const MP3_HDR: [u8; 4] = [0xFF, 0xFB, 0x90, 0x00];

#[test]
fn mpeg_audio_and_id3() {
    let mut two = padded(&MP3_HDR, 417);
    two.extend_from_slice(&padded(&MP3_HDR, 417));
    assert_eq!(sniff_bytes(&two), Mp3);
    // A lone sync word followed by garbage is not MP3.
    let mut bad = padded(&MP3_HDR, 417);
    bad.extend_from_slice(&[0x12; 417]);
    assert_eq!(sniff_bytes(&bad), Unknown);
    // ADTS AAC: two frames of 16 bytes.
    let adts = [0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC];
    let mut aac = padded(&adts, 16);
    aac.extend_from_slice(&padded(&adts, 16));
    assert_eq!(sniff_bytes(&aac), Aac);
    let id3 = |after: &[u8]| {
        let mut v = b"ID3\x03\0\0\0\0\0\x0a".to_vec();
        v.extend_from_slice(&[0; 10]);
        v.extend_from_slice(after);
        v
    };
    assert_eq!(sniff_bytes(&id3(&MP3_HDR)), Mp3);
    assert_eq!(sniff_bytes(&id3(b"MP+\x07")), Mpc);
    assert_eq!(sniff_bytes(&id3(b"MAC \x96\x0f")), Ape);
    assert_eq!(sniff_bytes(&id3(b"fLaC\0\0\0\x22")), Flac);
}

#[test]
fn png_and_apng() {
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut v = (data.len() as u32).to_be_bytes().to_vec();
        v.extend_from_slice(kind);
        v.extend_from_slice(data);
        v.extend_from_slice(&[0; 4]);
        v
    };
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &[0; 13]));
    let mut apng = png.clone();
    png.extend(chunk(b"IDAT", &[0; 4]));
    apng.extend(chunk(b"acTL", &[0; 8]));
    apng.extend(chunk(b"IDAT", &[0; 4]));
    assert_eq!(sniff_bytes(&png), Png);
    assert_eq!(sniff_bytes(&apng), Apng);
}

#[test]
fn executables() {
    let mut pe = padded(b"MZ", 0x80);
    pe[0x3C] = 0x40;
    pe[0x40..0x44].copy_from_slice(b"PE\0\0");
    pe[0x40 + 22] = 0x02; // executable image
    pe[0x40 + 24] = 0x0B;
    pe[0x40 + 25] = 0x01; // PE32
    assert_eq!(sniff_bytes(&pe), WinExe);
    pe[0x40 + 23] = 0x20; // DLL
    pe[0x40 + 25] = 0x02; // PE32+
    assert_eq!(sniff_bytes(&pe), Win64Dll);
    let mut elf = padded(b"\x7fELF\x02\x01\x01", 64);
    elf[16] = 3;
    assert_eq!(sniff_bytes(&elf), ElfLib);
    elf[16] = 2;
    assert_eq!(sniff_bytes(&elf), ElfExe);
    let mut macho = padded(b"\xCF\xFA\xED\xFE", 32);
    macho[12] = 6;
    assert_eq!(sniff_bytes(&macho), MachODylib);
}

#[test]
fn ole_streams() {
    let mut ole = padded(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 1024);
    ole[30] = 9; // 512-byte sectors
    // Directory starts at sector 0 (file offset 512): one entry named "WordDocument".
    let name: Vec<u8> = "WordDocument\0".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    ole[512..512 + name.len()].copy_from_slice(&name);
    ole[512 + 64] = name.len() as u8;
    assert_eq!(sniff_bytes(&ole), Doc);
    assert_eq!(sniff_ext(&ole, "xls"), Xls);
    ole[512..512 + name.len()].fill(0);
    assert_eq!(sniff_bytes(&ole), Fpx);
}

#[test]
fn text_formats() {
    assert_eq!(sniff_bytes(b"plain words\n"), Txt);
    assert_eq!(sniff_ext(b"a,b,c\n1,2,3\n", "csv"), Csv);
    assert_eq!(sniff_bytes(b"  {\"a\": 1}"), Json);
    assert_eq!(sniff_bytes(b"[1, 2]"), Json);
    assert_eq!(sniff_bytes(b"<?xml version=\"1.0\"?>\n<gpx version=\"1.1\"/>"), Xml);
    assert_eq!(sniff_bytes(b"<?xpacket begin=\"\x1a\"?><x:xmpmeta/>"), Xmp);
    assert_eq!(sniff_bytes(b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"), Xmp);
    assert_eq!(sniff_bytes(b"<?xml version=\"1.0\"?><!-- c --><svg xmlns=\"x\"/>"), Svg);
    assert_eq!(sniff_bytes(b"<!DOCTYPE html><html></html>"), Html);
    assert_eq!(sniff_bytes(b"<?xml version=\"1.0\"?><!DOCTYPE plist><plist><dict/></plist>"), PlistXml);
    assert_eq!(sniff_bytes(b"\xEF\xBB\xBFtext with BOM"), Txt);
    assert_eq!(sniff_bytes(b"\xFE\xFF\0<\0s\0v\0g\0>"), Svg);
    assert_eq!(sniff_bytes(b"binary\0data"), Unknown);
    assert_eq!(sniff_bytes(b"<head><title>x</title></head>"), Txt);
    assert_eq!(sniff_bytes(b"<?xml version=\"1.0\"?><kml/>"), Xml);
    assert_eq!(sniff_bytes(b"\xFF\xD8"), Unknown);
    assert_eq!(sniff_bytes(b"BEGIN:VCARD\r\nVERSION:3.0"), VCard);
}

#[test]
fn misc_magic() {
    assert_eq!(sniff_bytes(b"\x1f\x8b\x08\0\0\0\0\0"), Gzip);
    assert_eq!(sniff_bytes(b"fLaC\0\0\0\x22"), Flac);
    assert_eq!(sniff_bytes(b"8BPS\0\x01\0\0"), Psd);
    assert_eq!(sniff_bytes(b"%PDF-1.7\n"), Pdf);
    assert_eq!(sniff_bytes(b"GIF89a\x01\0\x01\0"), Gif);
    assert_eq!(sniff_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n"), Eps);
    assert_eq!(sniff_bytes(b"%!PS-Adobe-3.0\n"), Ps);
    assert_eq!(sniff_bytes(b"P6\n8 8\n255\n"), Ppm);
    assert_eq!(sniff_bytes(&padded(b"BM\0\0\0\0\0\0\0\0\0\0\0\0\x28", 54)), Bmp);
    assert_eq!(sniff_bytes(b"\0\0\x01\0\x01\0\x10\x10\0\0\x01\0\x20\0"), Ico);
    let mut ts = padded(&[0x47], 400);
    ts[188] = 0x47;
    ts[376] = 0x47;
    assert_eq!(sniff_bytes(&ts), M2t);
    assert_eq!(sniff_ext(&padded(b"0&\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\0\xaa\0\x62\xce\x6c", 30), "wmv"), Wmv);
    assert_eq!(sniff_bytes(b"BZh91AY&SY"), Bz2);
    assert_eq!(sniff_bytes(b"BZhX"), Txt);
    let mut tar = padded(b"a.txt", 512);
    tar[257..262].copy_from_slice(b"ustar");
    assert_eq!(sniff_bytes(&tar), Tar);
    assert_eq!(sniff_bytes(b"\xCA\xFE\xBA\xBE\0\0\0\x34"), JavaClass);
    assert_eq!(sniff_bytes(b"\xCA\xFE\xBA\xBE\0\0\0\x02"), MachOFat);
    assert_eq!(sniff_bytes(b"\xFF\x01Exiv2\xFF\xE1"), Exv);
    assert_eq!(sniff_ext(b"\0\0\x01\xBA\x44\0\x04\0\x04\x01", "vob"), Vob);
    let mut iso = vec![0u8; 32_800];
    iso[32_769..32_774].copy_from_slice(b"CD001");
    assert_eq!(sniff_bytes(&iso), Iso);
}

/// A tiny deterministic generator (xorshift) for the robustness sweep.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn never_panics() {
    for len in [0, 1, 2, 3, 4, 7, 8, 12, 16, 27, 64, 200, 512, 4096, 9000] {
        let _ = sniff_bytes(&vec![0u8; len]);
        let _ = sniff_bytes(&vec![0xFFu8; len]);
        for seed in 0..20 {
            let _ = sniff_bytes(&noise(seed, len));
        }
    }
    // Every synthesized header, truncated at every length, and with random tails.
    let mut samples = vec![
        ftyp(b"isom", &[b"mp41"]),
        matroska(b"matroska", &[2]),
        zip(&[("[Content_Types].xml", b"x"), ("word/a", b"y")]),
        tiff(&[(0x14A, 4, 3, 0xFFFF_FF00), (0x103, 3, 1, 34713)], b""),
        ogg_page(b"fishead\0"),
        b"ID3\x04\0\x10\x7f\x7f\x7f\x7f".to_vec(),
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec(),
    ];
    samples.extend(magic::MAGIC.iter().map(|m| m.sample()));
    for (i, sample) in samples.iter().enumerate() {
        // Byte flips anywhere in the header, with and without an extension hint.
        for round in 0..32u64 {
            let mut v = sample.clone();
            v.extend(noise(round, 64));
            let flips = noise(round * 7919 + i as u64, 8);
            for pair in flips.chunks_exact(2) {
                if let (Some(&at), Some(&val)) = (pair.first(), pair.get(1)) {
                    let at = usize::from(at) % v.len();
                    if let Some(b) = v.get_mut(at) {
                        *b = val;
                    }
                }
            }
            let _ = sniff_bytes(&v);
            let _ = sniff_ext(&v, "docx");
        }
        for cut in 0..=sample.len() {
            let part = sample.get(..cut).unwrap_or(&[]);
            let _ = sniff_bytes(part);
            for seed in 0..4 {
                let mut v = part.to_vec();
                v.extend(noise(seed + cut as u64, 300));
                let _ = sniff_bytes(&v);
                let _ = sniff_ext(&v, "nef");
            }
        }
    }
}
