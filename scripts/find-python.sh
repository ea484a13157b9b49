#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter: first on PATH, then pyenv's installed versions.
# Exits 1 with a clear message when there is none.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for cand in python3.13 python3.12 python3 python; do
  p=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$p"; then echo "$p"; exit 0; fi
done
root=${PYENV_ROOT:-$HOME/.pyenv}
if [ -d "$root/versions" ]; then
  for v in $(ls "$root/versions" | grep -E '^3\.[0-9]+\.[0-9]+$' | sort -t. -k1,1n -k2,2nr -k3,3nr); do
    p="$root/versions/$v/bin/python3"
    if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
  done
fi
echo "flashpoint needs Python >= 3.12 and found none on PATH or under $root/versions." >&2
echo "Install one (e.g. 'pyenv install 3.12' or your distribution's python3.12) and run again." >&2
exit 1
