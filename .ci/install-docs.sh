#!/bin/sh
# Tools the documentation tests use: xmllint (libxml2-utils) validates the exported XSD
# against real configuration files; chromium renders the exported HTML headless.
# Idempotent: does nothing when both are already installed.
set -eu
if command -v xmllint >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends libxml2-utils chromium
