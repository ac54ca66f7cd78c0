#!/bin/sh
# Tools the write-guarantee tests use (tests/write_guarantees.rs): strace, whose fault
# injection kills or slows a real `iisconf set` at one system call of its write.
# Idempotent: does nothing when strace is already installed.
set -eu
if command -v strace >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends strace
