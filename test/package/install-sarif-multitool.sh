#!/bin/sh
# Installs Microsoft's SARIF Multitool (the npm package @microsoft/sarif-multitool, which brings the self-contained
# .NET build for this platform: no .NET runtime needed) for the SARIF validation test. Never a dependency of the
# project itself: `npm ci` stays lean, and only this test pays for the 40 MB download, once.
# Usage: install-sarif-multitool.sh [PREFIX]     (default: <repo>/.vscode-test/sarif-multitool)
# Idempotent: a finished install leaves a stamp file, and a second run only checks it. Prints the executable's path
# as its last line.
set -eu

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PREFIX="${1:-${SARIF_MULTITOOL_DIR:-$ROOT/.vscode-test/sarif-multitool}}"
VERSION="${SARIF_MULTITOOL_VERSION:-5.7.0}"

mkdir -p "$PREFIX"
PREFIX="$(cd "$PREFIX" && pwd)"
STAMP="$PREFIX/.installed-$VERSION"

# Two test runs starting at once must not run npm in the same folder concurrently.
if command -v flock >/dev/null 2>&1 && [ -z "${APIM_SARIF_LOCKED:-}" ]; then
  export APIM_SARIF_LOCKED=1
  exec flock "$PREFIX/.lock" sh "$0" "$PREFIX"
fi

executable() {
  # The package's own entry point names the binary of this platform.
  node -p "require('$PREFIX/node_modules/@microsoft/sarif-multitool')"
}

if [ -f "$STAMP" ] && exe="$(executable 2>/dev/null)" && [ -x "$exe" ]; then
  echo "SARIF Multitool $VERSION already installed in $PREFIX"
  echo "$exe"
  exit 0
fi

export npm_config_update_notifier=false
[ -f "$PREFIX/package.json" ] || echo '{"name":"apim-tls-lint-sarif-multitool","private":true}' > "$PREFIX/package.json"
(cd "$PREFIX" && npm install --no-audit --no-fund --save-exact --loglevel=error "@microsoft/sarif-multitool@$VERSION")
exe="$(executable)"
# The platform package marks its binary executable in a postinstall script, which npm may not run.
chmod u+x "$exe"
touch "$STAMP"
echo "installed SARIF Multitool $VERSION in $PREFIX"
echo "$exe"
