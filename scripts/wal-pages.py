#!/usr/bin/env python3
"""Which b-trees a running server's commits write: copies DB and WAL of a live database,
counts the WAL's frames per table or index (via dbstat) and divides by the commits in it.
Usage: scripts/wal-pages.py /path/to/shop.db   (while scripts/bench-sales.sh runs)"""
import collections
import os
import shutil
import sqlite3
import struct
import sys
import tempfile

src = sys.argv[1]
work = tempfile.mkdtemp(prefix="backroom-wal-")
dst = os.path.join(work, "shop.db")
for suffix in ("", "-wal"):
    shutil.copy(src + suffix, dst + suffix)
data = open(dst + "-wal", "rb").read()
_, _, page_size, _, salt1, salt2, _, _ = struct.unpack(">IIIIIIII", data[:32])
owner = {pageno: name for name, pageno in sqlite3.connect(dst).execute("SELECT name, pageno FROM dbstat")}
frames, offset = [], 32
while offset + 24 + page_size <= len(data):
    page, commit, s1, s2 = struct.unpack(">IIII", data[offset:offset + 16])
    if (s1, s2) != (salt1, salt2):
        break
    frames.append((page, commit))
    offset += 24 + page_size
commits = sum(1 for _, c in frames if c) or 1
per = collections.Counter(owner.get(page, "(free or new)") for page, _ in frames)
print(f"{len(frames)} frames, {commits} commits, {len(frames) / commits:.1f} pages per commit")
for name, n in per.most_common(25):
    print(f"{n / commits:8.1f}  {name}")
shutil.rmtree(work)
