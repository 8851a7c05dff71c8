//! Payload parsers shared by every container: EXIF (TIFF IFDs), IPTC IIM and XMP.
