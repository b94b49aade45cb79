#!/bin/sh
# The 答复告知书 and the 申请表 are rendered to PDF by WeasyPrint, which needs Pango and a CJK font:
# Debian's fonts-noto-cjk. Installed here when missing and we are root (as ensure_services.sh does for chromium).
set -e
missing=""
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing="$missing fonts-noto-cjk"
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0 || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure_fonts: installing$missing for the PDF letters"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
  echo "ensure_fonts: missing$missing; install with: sudo apt-get install -y$missing" >&2
  exit 1
fi
