#!/bin/sh
# Installs code-server (which bundles the VS Code 1.100.3 server and web workbench) and Debian's Chromium so the
# editor tests can run in a real VS Code on a machine that reaches only the npm registry and Debian's packages.
# Usage: install-code-server.sh [PREFIX]      (default: <repo>/.vscode-test/code-server)
# Idempotent: a finished install leaves a stamp file, and a second run only checks it.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PREFIX="${1:-$ROOT/.vscode-test/code-server}"
# 4.100.3 is the last code-server whose engines.node accepts Node 20 (4.103 needs 22, the newest needs 24).
CS_VERSION="${CS_VERSION:-4.100.3}"
# The @vscode/ripgrep version that code-server's bundled VS Code pins, and the rg release tag its postinstall
# fetches; both decide the name of the download cache seeded below.
RG_PKG_VERSION="${RG_PKG_VERSION:-1.15.11}"
RG_TAG="${RG_TAG:-v13.0.0-10}"

mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
STAMP="$PREFIX/.installed-$CS_VERSION"

# Two test runs starting at once must not run npm in the same folder concurrently.
if command -v flock >/dev/null 2>&1 && [ -z "${APIM_CS_LOCKED:-}" ]; then
  export APIM_CS_LOCKED=1
  exec flock "$PREFIX/.lock" sh "$0" "$PREFIX"
fi

if [ -x "$PREFIX/node_modules/.bin/code-server" ] && [ -f "$STAMP" ] && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "code-server $CS_VERSION already installed in $PREFIX"
  exit 0
fi

# Native modules (kerberos, node-pty, spdlog, watcher) build with node-gyp, kerberos needs the GSSAPI headers,
# rg replaces the binary @vscode/ripgrep would download from GitHub, and Chromium drives the workbench.
missing=""
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing="$missing build-essential"
command -v python3 >/dev/null 2>&1 || missing="$missing python3"
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
[ -e /usr/include/gssapi/gssapi.h ] || missing="$missing libkrb5-dev"
[ -x /usr/bin/rg ] || missing="$missing ripgrep"
[ -x /usr/bin/chromium ] || missing="$missing chromium"
if [ -n "$missing" ]; then
  echo "installing Debian packages:$missing"
  # CI runs as root; a developer who is not gets asked by sudo.
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  # The lock timeout lets the install wait for another apt run on the same machine instead of failing.
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update
  # shellcheck disable=SC2086
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing
fi

if [ -x "$PREFIX/node_modules/.bin/code-server" ] && [ -f "$STAMP" ]; then
  echo "code-server $CS_VERSION already installed in $PREFIX"
  exit 0
fi

# A private TMPDIR holds the seeded ripgrep cache, and keeps npm's and node-gyp's scratch files out of /tmp.
export TMPDIR="$PREFIX/.tmp"
rm -rf "$TMPDIR"
mkdir -p "$TMPDIR"

case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
# @vscode/ripgrep's postinstall looks in this cache before downloading, so Debian's rg stands in for GitHub's.
rg_cache="$TMPDIR/vscode-ripgrep-cache-$RG_PKG_VERSION"
mkdir -p "$rg_cache/rg-work"
cp /usr/bin/rg "$rg_cache/rg-work/rg"
tar -C "$rg_cache/rg-work" -czf "$rg_cache/ripgrep-$RG_TAG-$RG_TARGET.tar.gz" rg
rm -rf "$rg_cache/rg-work"

# node-pty's postinstall runs `npx node-gyp`, which cancels when npm's config says yes=false and there is no TTY.
export npm_config_yes=true
# Native modules build against the system Node's headers; node-gyp would otherwise download them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
export npm_config_update_notifier=false
[ -f "$PREFIX/package.json" ] || echo '{"name":"apim-tls-lint-code-server","private":true}' > "$PREFIX/package.json"
# As root, code-server's postinstall refuses to run without --unsafe-perm.
(cd "$PREFIX" && npm install --no-audit --no-fund --unsafe-perm --save-exact --loglevel=error "code-server@$CS_VERSION")

rm -rf "$TMPDIR"
touch "$STAMP"
# Read the version from the package: `code-server --version` would write a default config into $HOME.
echo "installed code-server $(node -p "require('$PREFIX/node_modules/code-server/package.json').version") in $PREFIX"
