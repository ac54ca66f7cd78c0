#!/bin/sh
# The editor the language-server tests drive as a real client: Neovim, headless
# (tests/lsp_neovim.rs opens a bad web.config and reads back the diagnostics).
set -eu
exec sh "$(dirname "$0")/apt-install.sh" nvim -- neovim
