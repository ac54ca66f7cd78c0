#!/bin/sh
# Tools the write-guarantee tests use (tests/write_guarantees.rs): strace, whose fault
# injection kills or slows a real `iisconf set` at one system call of its write.
set -eu
exec sh "$(dirname "$0")/apt-install.sh" strace -- strace
