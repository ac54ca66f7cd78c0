#!/bin/sh
# The editor the language-server tests drive as a real client: Neovim, headless
# (tests/lsp_neovim.rs opens a bad web.config and reads back the diagnostics).
# Idempotent: does nothing when nvim is already installed.
set -eu
if command -v nvim >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends neovim
