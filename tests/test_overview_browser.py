"""The HTML overview at /api/_meta/ in a real browser: headless Chromium renders it and takes a screenshot.

Needs Debian's ``chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it), or the browser named
by ``$CHROMIUM``. Skipped with a clear reason where it is missing. The PNG is read with the standard
library (zlib, struct): no Pillow needed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import urllib.request
import zlib
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
WIDTH, HEIGHT = 1280, 900

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="headless Chromium is not installed (apt-get install -y chromium; CI installs it)"),
    pytest.mark.django_db(transaction=True),
]


def chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *arguments]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the pixels of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    pixels = []
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for index in range(stride):  # undo the scanline filter (PNG spec, section 9)
            left = line[index - channels] if index >= channels else 0
            up = previous[index]
            up_left = previous[index - channels] if index >= channels else 0
            if kind == 1:
                line[index] = (line[index] + left) & 0xFF
            elif kind == 2:
                line[index] = (line[index] + up) & 0xFF
            elif kind == 3:
                line[index] = (line[index] + (left + up) // 2) & 0xFF
            elif kind == 4:
                estimate = left + up - up_left
                distances = (abs(estimate - left), abs(estimate - up), abs(estimate - up_left))
                predictor = (left, up, up_left)[distances.index(min(distances))]
                line[index] = (line[index] + predictor) & 0xFF
        pixels += [bytes(line[offset:offset + 3]) for offset in range(0, stride, channels)]
        previous = line
    return width, height, pixels


def fetch(url: str, accept: str) -> str:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:  # our own live server
        return response.read().decode()


def fetch_json(url: str) -> dict:
    return json.loads(fetch(url, "application/json"))


def test_the_overview_renders_in_headless_chromium(live_server, tmp_path):
    url = f"{live_server.url}/api/_meta/"
    html = fetch(url, "text/html")
    # the diagram is drawn by the server: no script at all, so nothing to fetch from a CDN
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="er-diagram"' in html
    assert "<script" not in html
    assert not [link for link in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
                if not link.startswith(live_server.url) and link != "http://www.w3.org/2000/svg"]

    dom = chromium("--dump-dom", url, profile=tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert dom.stdout.count('class="entity"') == len(fetch_json(f"{url}?format=json")["resources"]) > 5

    screenshot = tmp_path / "overview.png"
    shot = chromium(f"--screenshot={screenshot}", f"--window-size={WIDTH},{HEIGHT}", url,
                    profile=tmp_path / "profile")
    assert screenshot.exists(), shot.stderr[-2000:]
    width, height, pixels = png_pixels(screenshot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    colours = set(pixels)
    assert len(colours) > 50, f"a blank page? only {len(colours)} colours"
    header_blue = bytes((0x1F, 0x4E, 0x79))  # the page header and the diagram's box headers
    assert pixels.count(header_blue) > WIDTH * 20
    white = bytes((255, 255, 255))
    assert pixels.count(white) < len(pixels) * 0.9
