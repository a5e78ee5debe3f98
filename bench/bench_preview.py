"""Contributor loops, measured: edit-to-visible time of `mkdocs serve` in each preview mode, and the
wall time of `make check`. Prints a table; asserts nothing (targets: <= 2 s for a one-page prose
edit in one-language mode, < 45 s for `make check`, on 2 cores).

    python bench/bench_preview.py [--edits 3] [--skip-check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "fundamentals" / "gan.en.md"
MODES = [  # (name, BOOK_LANG or None, extra `mkdocs serve` flags, URL path of PAGE)
    ("both languages, full rebuild (make serve)", None, [], "en/fundamentals/gan/"),
    ("English only, changed page only (make serve LANG=en)", "en", ["--dirty"], "fundamentals/gan/"),
]


def fetch(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=30).read().decode()
    except OSError:
        return ""


def measure(lang: str | None, flags: list[str], path: str, edits: int, port: int = 8765) -> tuple[float, list[float]]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **({"BOOK_LANG": lang} if lang else {}))
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                               "--livereload", *flags], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url, original, times = f"http://127.0.0.1:{port}/{path}", PAGE.read_text(encoding="utf-8"), []
    try:
        start = time.perf_counter()
        while "<html" not in fetch(url):
            time.sleep(0.2)
        first = time.perf_counter() - start
        for k in range(edits):
            time.sleep(2)  # let the watcher settle
            token = f"preview-bench-{k}-{time.time_ns()}"
            PAGE.write_text(original.replace("\n\n", f"\n\n{token}\n\n", 1), encoding="utf-8")
            start = time.perf_counter()
            while token not in fetch(url):
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
    finally:
        PAGE.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait()
    return first, times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3, help="edits measured per mode (the median is printed)")
    parser.add_argument("--skip-check", action="store_true", help="do not time `make check`")
    args = parser.parse_args(argv)
    print(f"{'preview mode':<56} {'first build':>11} {'edit visible (median)':>22}")
    for name, lang, flags, path in MODES:
        first, times = measure(lang, flags, path, args.edits)
        print(f"{name:<56} {first:>10.1f}s {statistics.median(times):>21.2f}s")
    if not args.skip_check:
        start = time.perf_counter()
        result = subprocess.run(["make", "check"], cwd=ROOT, capture_output=True, text=True, check=False)
        tail = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
        print(f"{'make check (source-level layers)':<56} {time.perf_counter() - start:>10.1f}s   {tail}")


if __name__ == "__main__":
    main()
