#!/usr/bin/env bash
# Install the host packages needed to build and test Kairos on Debian 12, and
# enable the foreign dpkg architectures whose packages scripts/fetch-deps downloads.
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
	qemu-user-static
)

# Foreign dpkg architectures the build needs. scripts/fetch-deps downloads
# Debian's arm64 busybox, Linux kernel, glibc and a few tools' packages with
# `apt-get download`, which only finds them once apt knows the architecture.
FOREIGN_ARCHS=(arm64)

native_arch=$(dpkg --print-architecture)

declare -A known_archs=()
for arch in $(dpkg --print-foreign-architectures); do
	known_archs["$arch"]=1
done
missing_archs=()
for arch in "${FOREIGN_ARCHS[@]}"; do
	[[ -n ${known_archs[$arch]:-} ]] || missing_archs+=("$arch")
done

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

((${#missing[@]} == 0 && ${#missing_archs[@]} == 0)) && exit 0

install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if ((EUID != 0)); then
	cmds=()
	for arch in "${missing_archs[@]}"; do
		echo "setup.sh: dpkg does not know the foreign architecture $arch" >&2
		cmds+=("sudo dpkg --add-architecture $arch")
	done
	cmds+=("sudo apt-get update")
	if ((${#missing[@]} > 0)); then
		echo "setup.sh: missing packages: ${missing[*]}" >&2
		cmds+=("sudo DEBIAN_FRONTEND=noninteractive ${install_cmd[*]}")
	fi
	line=${cmds[0]}
	for cmd in "${cmds[@]:1}"; do
		line+=" && $cmd"
	done
	echo "setup.sh: fix this with:" >&2
	echo "  $line" >&2
	exit 1
fi

for arch in "${missing_archs[@]}"; do
	echo "setup.sh: adding the foreign architecture $arch"
	dpkg --add-architecture "$arch"
done
if ((${#missing[@]} > 0)); then
	echo "setup.sh: installing ${missing[*]}"
fi
apt-get update
if ((${#missing[@]} > 0)); then
	DEBIAN_FRONTEND=noninteractive "${install_cmd[@]}"
fi
