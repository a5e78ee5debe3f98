#!/bin/sh
# Browser tests need a Chromium-family browser and a CJK font. Install them with apt when we may
# (root or passwordless sudo); otherwise say in one line what to install.
browser=""
for b in "$CHROMIUM" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome; do
  if [ -n "$b" ] && [ -x "$b" ]; then browser="$b"; break; fi
done
font=$(fc-list :lang=zh 2>/dev/null | head -n 1)
[ -n "$browser" ] && [ -n "$font" ] && exit 0

if [ "$(id -u)" = 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
else
  echo "Missing system packages for the browser tests: run 'sudo apt-get install chromium fonts-wqy-microhei' (or set CHROMIUM=/path/to/chrome), then 'make test' again." >&2
  exit 1
fi
echo "Installing chromium and fonts-wqy-microhei with apt-get ..."
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
