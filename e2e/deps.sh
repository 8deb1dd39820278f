#!/bin/sh
# Installs the programs `make test` drives, as Debian packages: as root on
# Debian it installs what is missing; elsewhere it names what to install,
# and the tests that need a missing program skip, except under CI=true,
# where this fails.
set -eu

# program:package, one a line. chromium: the browser tests; swaks: a real
# SMTP client; nginx: the reverse-proxy example; php, python3, openssl: the
# session exports are run; systemd-analyze: the unit is checked; node: the
# js/wasm tests.
tools="chromium:chromium
swaks:swaks
nginx:nginx-light
php:php-cli
python3:python3
openssl:openssl
systemd-analyze:systemd
node:nodejs"

missing=""
for entry in $tools; do
	command -v "${entry%%:*}" >/dev/null 2>&1 || missing="$missing ${entry#*:}"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	exit 0
fi
echo "make test needs these Debian packages:$missing"
echo "  install them as root: apt-get install$missing"
if [ "${CI:-}" = true ]; then
	exit 1
fi
echo "  until then, the tests that need them skip"
