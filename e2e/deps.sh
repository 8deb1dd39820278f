#!/bin/sh
# Installs the programs `make test` drives, as Debian packages: as root on
# Debian it installs what is missing; elsewhere it names what to install,
# and the tests that need a missing program skip, except under CI=true,
# where this fails.
set -eu

# package:check, one a line; the check is a shell command that succeeds
# when the package's part is there. chromium: the browser tests; swaks (and
# the Perl TLS modules it only recommends): a real SMTP client; nginx: the
# reverse-proxy example and, with brotli_static, the README's static host
# (caddy: its Caddyfile for the same); php, python3, openssl: the session exports are run;
# systemd-analyze: the unit is checked; node: the js/wasm tests; postfix and
# aiosmtpd (Debian's, for Debian's python3): real servers the engine's
# explanations are checked against; tshark: the page's capture files are
# read and decrypted; npm: installs axe-core (below); zopfli: the page's
# gzip copies (internal/pagebuild/compress; a build without it falls back
# to compress/gzip).
tools='chromium:command -v chromium
swaks:command -v swaks
libnet-ssleay-perl:perl -MNet::SSLeay -e1
libio-socket-ssl-perl:perl -MIO::Socket::SSL -e1
nginx-light:command -v nginx
libnginx-mod-http-brotli-static:test -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so
caddy:command -v caddy
php-cli:command -v php
python3:command -v python3
openssl:command -v openssl
systemd:command -v systemd-analyze
nodejs:command -v node
postfix:test -x /usr/sbin/postfix
python3-aiosmtpd:/usr/bin/python3 -c "import aiosmtpd"
tshark:command -v tshark
zopfli:command -v zopfli'
tools="$tools
npm:command -v npm"
# iproute2: the offline export test brings up the loopback of its own network namespace.
tools="$tools
iproute2:command -v ip"

# axe-core, which the browser tests inject to check the page's
# accessibility, comes from npm (Debian has no package of it), at the
# version e2e/axe/package-lock.json pins, into e2e/axe/node_modules.
axe_dir=$(dirname "$0")/axe
axe() {
	[ -f "$axe_dir/node_modules/axe-core/axe.min.js" ] && return 0
	command -v npm >/dev/null 2>&1 || return 0 # named with the packages below
	echo "installing: axe-core (npm ci in $axe_dir)"
	npm ci --prefix "$axe_dir" --no-audit --no-fund --silent
}

missing=""
newline='
'
IFS=$newline
for entry in $tools; do
	sh -c "${entry#*:}" >/dev/null 2>&1 || missing="$missing ${entry%%:*}"
done
unset IFS
if [ -z "$missing" ]; then
	axe
	exit 0
fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# Postfix as a program only: no /etc/postfix/main.cf, nothing on port
	# 25; the tests start private instances with their own configuration.
	echo "postfix postfix/main_mailer_type select No configuration" |
		debconf-set-selections
	# tshark without the question about letting users capture.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		debconf-set-selections
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
	# Where the install started the system's Postfix anyway, stop it.
	if /usr/sbin/postfix status >/dev/null 2>&1; then
		/usr/sbin/postfix stop
	fi
	axe
	exit 0
fi
axe
echo "make test needs these Debian packages:$missing"
echo "  install them as root: apt-get install$missing"
if [ "${CI:-}" = true ]; then
	exit 1
fi
echo "  until then, the tests that need them skip"
