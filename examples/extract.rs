//! Prints what metasift finds in a file: the format, the typed summary, streams, every tag
//! (with its ExifTool group) and warnings.
//!
//! ```text
//! cargo run --example extract -- tests/fixtures/canon_full.jpg
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: extract PATH");
        return ExitCode::from(2);
    };
    let meta = match metasift::extract_path(&path) {
        Ok(meta) => meta,
        Err(e) => {
            eprintln!("{e}"); // the error names the path
            return ExitCode::FAILURE;
        }
    };
    println!("{}: {} ({}), {} bytes", path.to_string_lossy(), meta.format, meta.mime, meta.file_size);

    // The typed view: every field is optional.
    let s = &meta.summary;
    if let (Some(w), Some(h)) = (s.width, s.height) {
        println!("  size       {w} x {h}");
    }
    if let Some(d) = s.duration {
        println!("  duration   {d:.3} s");
    }
    if let Some(created) = &s.created {
        println!("  created    {created}");
    }
    if let (Some(make), Some(model)) = (&s.make, &s.model) {
        println!("  camera     {make} {model}");
    }
    if let Some(gps) = &s.gps {
        println!("  gps        {:.6}, {:.6}", gps.latitude, gps.longitude);
    }
    // The whole summary, as JSON.
    println!("summary: {}", serde_json::to_string(&meta.summary).unwrap_or_default());

    for st in &meta.streams {
        println!(
            "stream {}: {:?} {}",
            st.index,
            st.kind,
            st.codec_name.as_deref().or(st.codec_tag.as_deref()).unwrap_or("?")
        );
    }

    // The lossless view: every tag in file order.
    println!("tags:");
    for tag in &meta.tags {
        let group = match &tag.subgroup {
            Some(sub) => format!("{}/{sub}", tag.group),
            None => tag.group.to_owned(),
        };
        let mut value = tag.value.to_text();
        if value.len() > 80 {
            let cut = (0..=80).rev().find(|i| value.is_char_boundary(*i)).unwrap_or(0);
            value.truncate(cut);
            value.push_str("...");
        }
        println!("  {group:<22} {:<28} {value}", tag.name);
    }
    for w in &meta.warnings {
        match w.offset {
            Some(at) => println!("warning at {at:#x}: {}", w.message),
            None => println!("warning: {}", w.message),
        }
    }
    println!("read {} bytes in {} reads of the source", meta.stats.source_bytes, meta.stats.source_reads);
    ExitCode::SUCCESS
}
