#!/usr/bin/env python3
"""Tabulates the point estimates of a `cargo bench --bench extract` log, per file:
metasift from memory (bytes), from a path, ExifTool per file in one -stay_open process, and
the whole-process comparison.

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
print(f"{'family':<8} {'file':<34} {'bytes':>10} {'path':>10} {'et-stay_open':>12}")
for (fam,f),d in rows.items():
    if fam=="process": continue
    print(f"{fam:<8} {f:<34} {fmt(d.get('bytes')):>10} {fmt(d.get('path')):>10} {fmt(d.get('stay_open')):>12}")
print()
print(f"{'process':<34} {'metasift':>10} {'exiftool':>10} {'ffprobe':>10}")
for (fam,f),d in rows.items():
    if fam!="process": continue
    print(f"{f:<34} {fmt(d.get('metasift')):>10} {fmt(d.get('exiftool')):>10} {fmt(d.get('ffprobe')):>10}")
