"""Build the offline edition: the whole book as a ZIP that works from the file system (file://).

Material's offline plugin (enabled by OFFLINE=true in mkdocs.yml) switches to `page.html` URLs and
inlines the search index into a script; the vendored iframe-worker shim lets search run without a
server. `make offline` runs this; the pages workflow publishes the ZIP next to the site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "founders-guide-offline"


def build_offline(out: Path, project: Path = ROOT) -> Path:
    """Build into out/NAME/ and zip it to out/NAME.zip; return the ZIP's path."""
    site = out / NAME
    env = dict(os.environ, OFFLINE="true", NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                   cwd=project, env=env, check=True)
    archive = shutil.make_archive(str(out / NAME), "zip", root_dir=out, base_dir=NAME)
    return Path(archive)


if __name__ == "__main__":
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "offline"
    shutil.rmtree(out_dir / NAME, ignore_errors=True)
    zip_path = build_offline(out_dir)
    print(f"offline edition: {zip_path} ({zip_path.stat().st_size / 1e6:.1f} MB); "
          f"unzip it and open {NAME}/index.html in a browser")
