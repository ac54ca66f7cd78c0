#!/bin/sh
# Installs Debian packages for the tests unless a command they provide is already there:
#   apt-install.sh COMMAND… -- PACKAGE…
# Does nothing when every COMMAND is found; otherwise apt-get update and install (with sudo
# when not root). The .ci/install-*.sh scripts call it.
set -eu
missing=no
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
    command -v "$1" >/dev/null 2>&1 || missing=yes
    shift
done
[ "$#" -gt 0 ] && shift
[ "$missing" = no ] && exit 0
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "$@"
