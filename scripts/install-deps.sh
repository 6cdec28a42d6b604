#!/usr/bin/env bash
# Installs the Debian packages the end-to-end tests need: Jupyter (nbconvert, jupyter-client, ipykernel)
# to execute notebooks with the .NET kernel, Chromium to check that an exported notebook's charts draw, and
# PostgreSQL, whose binaries the registry tests use to start a throw-away cluster of their own (initdb in a
# temporary folder, a free loopback port; tests/Smpc.Registry.Tests/Infrastructure/PostgresServer.cs).
# Idempotent: does nothing when every package is already installed. Runs as root (CI and developer machines).
set -euo pipefail
packages=(jupyter-nbconvert jupyter-client python3-ipykernel chromium postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${packages[*]}"
  exit 0
fi
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get -o DPkg::Lock::Timeout=600 update -q
$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}"
