"""Copy the runtime part of the dkfds npm package into static/vendor/dkfds.

Only what the compiled CSS and our templates reference is copied, with the three licence
texts the package's terms ask us to keep beside it. Run by `make assets` after `npm ci`.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "dkfds"
TARGET = ROOT / "static" / "vendor" / "dkfds"
APACHE = Path("/usr/share/common-licenses/Apache-2.0")
CSS = "css/dkfds-borgerdk.min.css"
FIXED_FILES = [CSS, "js/dkfds.min.js", "img/all-svg-icons.svg"]


def referenced_files(css_text: str) -> set[str]:
    """Paths (relative to dist/) that the stylesheet loads through url(...)."""
    found = set()
    for raw in re.findall(r"url\(([^)]+)\)", css_text):
        ref = raw.strip("'\" ").split("?")[0].split("#")[0]
        if ref.startswith("../"):
            found.add(ref[3:])
    return found


def main() -> int:
    dist = SOURCE / "dist"
    if not dist.is_dir():
        print(f"{dist} is missing: run `npm ci` first", file=sys.stderr)
        return 1
    if TARGET.exists():
        shutil.rmtree(TARGET)
    wanted = set(FIXED_FILES) | referenced_files((dist / CSS).read_text(encoding="utf-8"))
    for rel in sorted(wanted):
        src = dist / rel
        if not src.is_file():
            print(f"dkfds: {rel} is referenced but not in the package", file=sys.stderr)
            return 1
        dst = TARGET / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    shutil.copy2(SOURCE / "LICENSE.md", TARGET / "LICENSE.md")
    font_licence = dist / "fonts" / "IBMPlexSans" / "complete" / "woff2" / "license.txt"
    if font_licence.is_file():
        shutil.copy2(font_licence, TARGET / "OFL-license.txt")
    if APACHE.is_file():
        shutil.copy2(APACHE, TARGET / "LICENSE-Apache-2.0.txt")
    version = json.loads((SOURCE / "package.json").read_text(encoding="utf-8"))["version"]
    (TARGET / "VERSION").write_text(version + "\n", encoding="utf-8")
    print(f"dkfds {version}: {len(wanted)} files copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
