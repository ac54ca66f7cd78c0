#!/bin/sh
# Tools the documentation tests use: xmllint (libxml2-utils) validates the exported XSD
# against real configuration files; chromium renders the exported HTML headless.
set -eu
exec sh "$(dirname "$0")/apt-install.sh" xmllint chromium -- libxml2-utils chromium
