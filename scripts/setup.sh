#!/usr/bin/env bash
# Install the host packages needed to build and test Kairos on Debian 12.
#
# Idempotent: when everything is already installed it prints nothing and
# returns at once, so it is cheap to run before every CI build.
set -euo pipefail

# Every Debian package the build and the test suite need. Extend this list
# rather than adding ad-hoc apt-get calls elsewhere. A name may carry an
# architecture qualifier (e.g. "foo:arm64"); unqualified names mean the
# native architecture (or an Architecture: all package).
PACKAGES=(
	make
	gcc
	libc6-dev
	gcc-aarch64-linux-gnu
	binutils-aarch64-linux-gnu
	libc6-dev-arm64-cross
	qemu-system-arm
	gdb-multiarch
	cpio
	device-tree-compiler
	python3
)

native_arch=$(dpkg --print-architecture)

# One dpkg-query call for the whole list. Packages dpkg has never heard of
# produce no line (only a complaint on stderr), which we treat as missing.
# Each installed package is recorded as "name:arch".
declare -A installed=()
while read -r name arch status; do
	if [[ $status == "install ok installed" ]]; then
		installed["$name:$arch"]=1
	fi
done < <(dpkg-query -W -f='${Package} ${Architecture} ${Status}\n' \
		"${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for pkg in "${PACKAGES[@]}"; do
	if [[ $pkg == *:* ]]; then
		[[ -n ${installed[$pkg]:-} ]] || missing+=("$pkg")
	else
		[[ -n ${installed[$pkg:$native_arch]:-} || -n ${installed[$pkg:all]:-} ]] ||
			missing+=("$pkg")
	fi
done

((${#missing[@]} == 0)) && exit 0

install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if ((EUID != 0)); then
	echo "setup.sh: missing packages: ${missing[*]}" >&2
	echo "setup.sh: install them with:" >&2
	echo "  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive ${install_cmd[*]}" >&2
	exit 1
fi

echo "setup.sh: installing ${missing[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive "${install_cmd[@]}"
