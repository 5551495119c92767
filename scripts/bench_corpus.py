#!/usr/bin/env python3
"""Build benchmark inputs from the corpus by replicating records with fresh ids.

    bench_corpus.py CORPUS OUT JSON_RECORDS XML_RECORDS

Writes OUT/files/NNN/NCT9xxxxxxx.json (one API v2 study per file),
OUT/ctg-studies.json (the same studies as one top-level array, written as a
stream, never held in memory) and OUT/xml/NNN/NCT9xxxxxxx.xml (legacy XML).
Ids are replaced textually, so each copy is an otherwise unchanged real
record, but for its phone numbers: copy k (k = 0 for the first, which is
left as it is) shifts the last two digits of every number, each digit by its
own amount modulo 10 (k's units and tens). A copy's numbers are then new to
the run, as a real registry's numbers mostly are, while equal numbers stay
equal and numbers that differ in one digit still differ in that digit alone.
Without it, every copy after the first asked only numbers already met, and
the phone check's verdict memo (src/check/kinds/phone_valid.rs) answered
them all: the steady state measured a run without phone parsing, which on
the corpus read once is a large share of the time.
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


PHONE_JSON = re.compile(r'("phone"\s*:\s*")([^"\\]*)(")')
PHONE_XML = re.compile(r"(<phone>)([^<]*)(</phone>)")


def shift_digits(number, k):
    """The last two digits of `number` shifted by k's units and tens."""
    chars = list(number)
    places = [j for j, c in enumerate(chars) if c.isdigit() and c.isascii()][-2:]
    for j, by in zip(reversed(places), (k % 10, k // 10 % 10)):
        chars[j] = str((int(chars[j]) + by) % 10)
    return "".join(chars)


def copy_of(src, i, n, phone):
    """Record `i` of the benchmark from `src`, the (i // n)-th copy of it."""
    m = NCT.search(src)
    text = src.replace(m.group(0), fresh(i)) if m else src
    k = i // n
    if k:
        text = phone.sub(lambda p: p.group(1) + shift_digits(p.group(2), k) + p.group(3), text)
    return text


json_src = load("ctgov-json", ".json")
os.makedirs(os.path.join(out, "files"), exist_ok=True)
with open(os.path.join(out, "ctg-studies.json"), "w", encoding="utf-8") as arr:
    arr.write("[\n")
    for i in range(n_json):
        text = copy_of(json_src[i % len(json_src)], i, len(json_src), PHONE_JSON)
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
    text = copy_of(xml_src[i % len(xml_src)], i, len(xml_src), PHONE_XML)
    sub = os.path.join(out, "xml", "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(sub, exist_ok=True)
    with open(os.path.join(sub, fresh(i) + ".xml"), "w", encoding="utf-8") as fh:
        fh.write(text)
