#!/usr/bin/env bash
# Set up the real clients the citation tests run (tests/test_citation_clients.py), in .clients/
# (ignored by git): Zotero's translation-server with its translators, copied from
# ../shared/clients/zotero-translation-server, and citeproc-js (npm `citeproc`, pinned in
# tests/clients/citeproc-js/package-lock.json). Packages come from the npm registry (`npm ci`).
# Idempotent: a copy whose lock file is unchanged is kept. Fails loudly when anything is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DEST=$ROOT/.clients
SHARED=${EDITION_SHARED:-$ROOT/../shared}
ZTS_SRC=$SHARED/clients/zotero-translation-server

command -v node >/dev/null || { echo "clients: node is not installed" >&2; exit 1; }
command -v npm >/dev/null || { echo "clients: npm is not installed" >&2; exit 1; }
test -f "$ZTS_SRC/package-lock.json" || { echo "clients: no $ZTS_SRC (../shared/clients)" >&2; exit 1; }
mkdir -p "$DEST"

install() {  # install DIR LOCKFILE_SOURCE: npm ci in DIR unless its node_modules match the lock file
  local dir=$1 lock=$2 stamp=$1/node_modules/.edition-lock
  if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then return 0; fi
  (cd "$dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
  cp "$lock" "$stamp"
}

if [ ! -f "$DEST/zotero-translation-server/.edition-copied" ] \
  || ! cmp -s "$ZTS_SRC/package-lock.json" "$DEST/zotero-translation-server/package-lock.json"; then
  rm -rf "$DEST/zotero-translation-server"
  cp -R "$ZTS_SRC" "$DEST/zotero-translation-server"
  chmod -R u+w "$DEST/zotero-translation-server"
  touch "$DEST/zotero-translation-server/.edition-copied"
fi
install "$DEST/zotero-translation-server" "$ZTS_SRC/package-lock.json"

mkdir -p "$DEST/citeproc-js"
cp tests/clients/citeproc-js/package.json tests/clients/citeproc-js/package-lock.json "$DEST/citeproc-js/"
install "$DEST/citeproc-js" "$ROOT/tests/clients/citeproc-js/package-lock.json"

# biber is a Debian package (.ci/run installs it); without it the biber test fails, the others run.
command -v biber >/dev/null || echo "clients: WARNING: biber is not installed (apt-get install biber)" >&2
echo "clients: ready in $DEST"
