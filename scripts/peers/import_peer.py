#!/usr/bin/python3
"""Peer for `smallset bench import`: the same per-file work done with Pillow.

For every image under FOLDER: read the bytes, SHA-1 them, read size / format / EXIF orientation,
make an EXIF-rotated thumbnail with longest side 256 and save it as WebP (quality 75, method 0,
Pillow's fastest, like our effort 0) into a temporary folder. `draft()` lets libjpeg decode at a
reduced scale when that still covers 256 px, the same trick sharp's shrink-on-load uses.
Runs PROCESSES worker processes (default: one per core) and repeats REPS times, each into a fresh
output folder. Prints one JSON line: {"images": n, "img_per_sec": [..], "processes": p, "pillow": v}.

Usage: /usr/bin/python3 import_peer.py FOLDER [REPS] [PROCESSES]
"""
import hashlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from multiprocessing import Pool

import PIL
from PIL import Image, ImageOps

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"}


def work(args):
    path, out = args
    with open(path, "rb") as f:
        data = f.read()
    digest = hashlib.sha1(data).hexdigest()
    im = Image.open(io.BytesIO(data))
    _size, _fmt = im.size, im.format
    _orientation = im.getexif().get(0x0112)
    im.draft("RGB", (256, 256))
    im = ImageOps.exif_transpose(im)
    im.thumbnail((256, 256))
    im.save(os.path.join(out, digest + ".webp"), "WEBP", quality=75, method=0)
    return digest


def main():
    folder = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    procs = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count() or 1
    files = sorted(
        os.path.join(d, n)
        for d, _dirs, names in os.walk(folder)
        for n in names
        if os.path.splitext(n)[1].lower() in EXTS and not n.startswith(".")
    )
    rates = []
    with Pool(procs) as pool:
        for _ in range(reps):
            out = tempfile.mkdtemp(prefix="smallset-peer-import-")
            start = time.perf_counter()
            pool.map(work, [(f, out) for f in files], chunksize=8)
            rates.append(len(files) / (time.perf_counter() - start))
            shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({"images": len(files), "img_per_sec": rates, "processes": procs, "pillow": PIL.__version__}))


if __name__ == "__main__":
    main()
