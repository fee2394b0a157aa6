#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Django 6 needs it), or explain what to install and fail.
set -euo pipefail

is_new_enough() {
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null
}

candidates=()
for name in python3.12 python3.13 python3.14 python3; do
  if command -v "$name" >/dev/null 2>&1; then candidates+=("$(command -v "$name")"); fi
done
pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
if command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
for dir in $(ls -d "$pyenv_root"/versions/3.1[2-9]* 2>/dev/null | sort -V); do
  candidates+=("$dir/bin/python")
done

for candidate in "${candidates[@]}"; do
  # pyenv shims exist for versions that are not active; only accept one that really runs.
  if [ -x "$candidate" ] && is_new_enough "$candidate"; then
    echo "$candidate"
    exit 0
  fi
done

echo "Kotoverkko needs Python 3.12 or newer, and none was found." >&2
echo "Install one (for example 'pyenv install 3.12' or your system's python3.12 package) and run make again." >&2
exit 1
