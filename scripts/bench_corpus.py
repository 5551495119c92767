#!/usr/bin/env python3
"""Build benchmark inputs from the corpus by replicating records with fresh ids.

    bench_corpus.py CORPUS OUT JSON_RECORDS XML_RECORDS

Writes OUT/files/NNN/NCT9xxxxxxx.json (one API v2 study per file),
OUT/ctg-studies.json (the same studies as one top-level array, written as a
stream, never held in memory) and OUT/xml/NNN/NCT9xxxxxxx.xml (legacy XML).
Ids are replaced textually, so each copy is an otherwise unchanged real
record.
"""
import os
import re
import sys

corpus, out, n_json, n_xml = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])


def load(folder, ext):
    d = os.path.join(corpus, folder)
    names = sorted(f for f in os.listdir(d) if f.endswith(ext))
    res = []
    for f in names:
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            res.append(fh.read())
    return res


NCT = re.compile(r"NCT\d{8}")


def fresh(i):
    return "NCT9%07d" % i


json_src = load("ctgov-json", ".json")
os.makedirs(os.path.join(out, "files"), exist_ok=True)
with open(os.path.join(out, "ctg-studies.json"), "w", encoding="utf-8") as arr:
    arr.write("[\n")
    for i in range(n_json):
        src = json_src[i % len(json_src)]
        m = NCT.search(src)
        text = src.replace(m.group(0), fresh(i)) if m else src
        sub = os.path.join(out, "files", "%03d" % (i // 1000))
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, fresh(i) + ".json"), "w", encoding="utf-8") as fh:
            fh.write(text)
        if i:
            arr.write(",\n")
        arr.write(text.strip())
    arr.write("\n]\n")

xml_src = load("ctgov-xml", ".xml")
for i in range(n_xml):
    src = xml_src[i % len(xml_src)]
    m = NCT.search(src)
    text = src.replace(m.group(0), fresh(i)) if m else src
    sub = os.path.join(out, "xml", "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, fresh(i) + ".xml"), "w", encoding="utf-8") as fh:
        fh.write(text)
