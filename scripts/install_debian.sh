#!/usr/bin/env bash
# Installs Debian packages for the tests when the command they provide is missing:
#   scripts/install_debian.sh COMMAND PACKAGE...
# Chromium, which Playwright drives at /usr/bin/chromium (we never download a browser build of
# our own), and Java, which runs the W3C Nu HTML Checker.
set -euo pipefail
if [ "$#" -lt 2 ]; then
  echo "usage: $0 COMMAND PACKAGE..." >&2
  exit 2
fi
command=$1
shift
if command -v "$command" >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo="sudo"
  else
    echo "$command is missing and this user cannot install it: run 'apt-get install $*' as root." >&2
    exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
command -v "$command"
