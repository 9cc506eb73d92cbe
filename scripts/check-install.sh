#!/usr/bin/env bash
# The two install routes README gives, each into a temporary prefix: from a clone (`npm install -g .`) and from a
# packed tarball (`npm pack`, then `npm install -g ./git-pare-*.tgz`). Each must put `git pare` on PATH and make
# `git pare --help` find the man page. Run from the repository root after `npm ci` (the build is in dist/).
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

check() {
  local how=$1 prefix=$2
  local PATH="$prefix/bin:$PATH"
  local version
  version=$(cd "$work" && git pare --version)
  case $version in git-pare/*) ;; *) echo "install check ($how): git pare --version printed: $version" >&2; exit 1 ;; esac
  # git turns `git pare --help` into `man git-pare`; man finds the page through PATH (bin -> ../share/man).
  local page
  page=$(cd "$work" && MANPATH= man -w git-pare 2>/dev/null || true)
  # From a clone npm links the folder, so the page is the clone's own.
  case $page in "$prefix"/*git-pare.1* | "$root"/man/man1/git-pare.1*) ;; *) echo "install check ($how): man -w git-pare found '${page}', not the installed page" >&2; exit 1 ;; esac
  echo "install check ($how): $version, man page $page"
}

npm install -g --prefix "$work/clone" --no-audit --no-fund "$root" >/dev/null 2>&1
check "from a clone" "$work/clone"

(cd "$work" && npm pack --silent --ignore-scripts "$root" >/dev/null)
npm install -g --prefix "$work/packed" --no-audit --no-fund "$work"/git-pare-*.tgz >/dev/null 2>&1
check "from npm pack" "$work/packed"
