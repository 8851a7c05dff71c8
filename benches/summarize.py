#!/usr/bin/env python3
"""Tabulates the point estimates of a `cargo bench --bench extract` log, per file:
metasift from memory (bytes), from a path, ExifTool per file in one -stay_open process, and
the whole-process comparison, with ExifTool's per-file cost over ours (from memory and from
a path) and, over the image families, the aggregate (sum over sum) and median ratios.

    cargo bench --bench extract 2>&1 | tee bench.log; python3 benches/summarize.py bench.log
"""
import re,sys,collections
txt=open(sys.argv[1]).read()
res={}
for m in re.finditer(r"^(\S+)\s*\n?\s+time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", txt, re.M):
    name, v, unit = m.group(1), float(m.group(2)), m.group(3)
    mult={"ns":1e-3,"µs":1,"us":1,"ms":1e3,"s":1e6}[unit]
    res[name]=v*mult
# per file table
rows=collections.OrderedDict()
for k,v in res.items():
    p=k.split("/")
    if p[0]=="extract":
        fam,kind,f=p[1],p[2],"/".join(p[3:])
        rows.setdefault((fam,f),{})[kind]=v
    elif p[0]=="exiftool_stay_open":
        fam,f=p[1],"/".join(p[2:])
        rows.setdefault((fam,f),{})["stay_open"]=v
    elif p[0]=="process":
        rows.setdefault(("process","/".join(p[2:])),{})[p[1]]=v
def fmt(v):
    if v is None: return "-"
    return f"{v:.1f} µs" if v<1000 else f"{v/1000:.2f} ms"
IMAGE={"jpeg","tiff","png","gif","webp","heif","heic","avif","psd","dng","raw","xmp"}
def ratio(et,ours):
    return f"{et/ours:.0f}x" if et and ours else "-"
print(f"{'family':<8} {'file':<34} {'bytes':>10} {'path':>10} {'path+json':>10} {'et-stay_open':>12} {'x bytes':>8} {'x path':>8} {'x json':>8}")
sums={"bytes":[0,0,[]],"path":[0,0,[]],"path_json":[0,0,[]]}
for (fam,f),d in rows.items():
    if fam=="process": continue
    et=d.get('stay_open')
    print(f"{fam:<8} {f:<34} {fmt(d.get('bytes')):>10} {fmt(d.get('path')):>10} {fmt(d.get('path_json')):>10} {fmt(et):>12}"
          f" {ratio(et,d.get('bytes')):>8} {ratio(et,d.get('path')):>8} {ratio(et,d.get('path_json')):>8}")
    if fam in IMAGE and et:
        for kind in sums:
            if d.get(kind):
                sums[kind][0]+=et; sums[kind][1]+=d[kind]; sums[kind][2].append(et/d[kind])
for kind,(et,ours,rs) in sums.items():
    if rs:
        rs.sort()
        med=rs[len(rs)//2] if len(rs)%2 else (rs[len(rs)//2-1]+rs[len(rs)//2])/2
        print(f"image families, {kind}: {len(rs)} files, aggregate {et/ours:.0f}x, median {med:.0f}x, lowest {rs[0]:.0f}x")
print()
print(f"{'process':<34} {'metasift':>10} {'exiftool':>10} {'ffprobe':>10}")
for (fam,f),d in rows.items():
    if fam!="process": continue
    print(f"{f:<34} {fmt(d.get('metasift')):>10} {fmt(d.get('exiftool')):>10} {fmt(d.get('ffprobe')):>10}")
