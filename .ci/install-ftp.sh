#!/bin/sh
# Installs the FTP servers the live-session tests run against (tests/sessions_*.rs).
#
# proftpd-basic and pure-ftpd cannot both be installed through apt: each Provides and
# Conflicts with `ftp-server`. So ProFTPD is installed with apt, and the pure-ftpd
# package is downloaded and unpacked into /opt/pure-ftpd (its binaries only; the tests
# run it in the foreground with their own options, never as a service).
#
# Idempotent. Leaves no FTP daemon running: Debian's maintainer scripts may start
# services, so a policy-rc.d denies that during the install and the services are
# stopped and disabled afterwards.
set -eu
export DEBIAN_FRONTEND=noninteractive

PURE_DIR=/opt/pure-ftpd

policy=/usr/sbin/policy-rc.d
made_policy=no
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    made_policy=yes
fi
cleanup() {
    if [ "$made_policy" = yes ]; then rm -f "$policy"; fi
}
trap cleanup EXIT

apt-get update -qq
# Runtime libraries of pure-ftpd are listed explicitly, as its package is unpacked, not installed.
apt-get install -y -qq proftpd-basic curl ca-certificates \
    libsodium23 libcap2 libcrypt1 libpam0g libssl3 >/dev/null

if [ ! -x "$PURE_DIR/usr/sbin/pure-ftpd" ] || [ ! -x "$PURE_DIR/usr/sbin/pure-ftpwho" ] \
    || [ ! -x "$PURE_DIR/usr/bin/pure-pw" ]; then
    tmp=$(mktemp -d)
    chmod 755 "$tmp" # apt downloads as the _apt user
    (cd "$tmp" && apt-get download -qq pure-ftpd)
    mkdir -p "$PURE_DIR"
    dpkg-deb -x "$tmp"/pure-ftpd_*.deb "$PURE_DIR"
    rm -rf "$tmp"
fi

# No daemon left running, none started at boot.
for svc in proftpd pure-ftpd inetd openbsd-inetd; do
    if [ -x "/etc/init.d/$svc" ]; then
        /etc/init.d/"$svc" stop >/dev/null 2>&1 || true
    fi
    if command -v systemctl >/dev/null 2>&1; then
        systemctl disable "$svc" >/dev/null 2>&1 || true
    fi
done

echo "install-ftp: proftpd $(/usr/sbin/proftpd -v 2>&1 | head -n1)"
echo "install-ftp: pure-ftpd unpacked in $PURE_DIR (binaries in $PURE_DIR/usr/sbin, $PURE_DIR/usr/bin)"
