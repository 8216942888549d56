# Shared helpers for the scripts in scripts/ (sourced, not run).
#
# - need_root: stop with a clear message unless we are root.
# - ensure_packages PKG...: apt-get install the Debian packages that are missing
#   (runs `apt-get update` once first).
# - build_berth: builds berth in release mode; sets BERTH to the binary (or to $BERTH_BIN
#   when set, without building).
# - make_busybox_rootfs DIR: a minimal root filesystem from Debian's static busybox.
# - ensure_busybox_image ROOT [REF]: imports that rootfs as REF (default busybox:latest)
#   into the state root ROOT unless it is there already.

# The repository this file belongs to.
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Prints a step, bold, to stderr.
say() {
    printf '\033[1m==> %s\033[0m\n' "$*" >&2
}

# Prints an error and exits.
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

need_root() {
    if [ "$(id -u)" != 0 ]; then
        die "$(basename "$0") must run as root (containers need namespaces, mounts and cgroups): try 'sudo $0'"
    fi
}

_apt_updated=""
ensure_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them: install them by hand"
    if [ -z "$_apt_updated" ]; then
        say "apt-get update"
        apt-get update -qq
        _apt_updated=1
    fi
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_packages for packages that ship a service (docker.io): installed with a
# policy-rc.d that forbids starting services (invoke-rc.d and deb-systemd-invoke honour it),
# so their daemons are never started.
ensure_packages_without_starting() {
    local policy=/usr/sbin/policy-rc.d own=""
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy"
        chmod 755 "$policy"
        own=1
    fi
    local rc=0
    ensure_packages "$@" || rc=$?
    if [ -n "$own" ]; then rm -f "$policy"; fi
    return "$rc"
}

build_berth() {
    # BERTH_BIN: use that binary instead of building one (the demo's own test does).
    if [ -n "${BERTH_BIN:-}" ]; then
        BERTH="$BERTH_BIN"
        export BERTH
        return 0
    fi
    command -v cargo >/dev/null || die "cargo not found: install Rust (https://rustup.rs) and retry"
    # libseccomp-dev: the C library the seccomp filters are compiled with (linked).
    ensure_packages libseccomp-dev
    say "building berth (release)"
    (cd "$REPO_DIR" && cargo build --release)
    BERTH="$REPO_DIR/target/release/berth"
    export BERTH
}

# The busybox the image is made from: Debian's static build.
BUSYBOX_BIN="${BUSYBOX_BIN:-/bin/busybox}"

make_busybox_rootfs() {
    local dir="$1" applet
    [ -x "$BUSYBOX_BIN" ] || die "no static busybox at '$BUSYBOX_BIN': apt-get install busybox-static"
    mkdir -p "$dir"/{bin,etc,root,proc,sys,dev,var/www}
    install -d -m 1777 "$dir/tmp"
    install -m 0755 "$BUSYBOX_BIN" "$dir/bin/busybox"
    for applet in $("$BUSYBOX_BIN" --list); do
        # `busybox` itself is the binary, not a link to it.
        [ "$applet" = busybox ] && continue
        ln -sf busybox "$dir/bin/$applet"
    done
    printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' \
        'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$dir/etc/passwd"
    printf '%s\n' 'root:x:0:' 'nobody:x:65534:' >"$dir/etc/group"
}

# Writes a reproducible tar of the rootfs DIR to stdout (same bytes each time, so a
# re-import gives the same image id).
tar_rootfs() {
    tar -C "$1" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - .
}

ensure_busybox_image() {
    local root="$1" ref="${2:-busybox:latest}" tmp
    if [ -n "$("$BERTH" --root "$root" images -q "$ref" 2>/dev/null)" ]; then
        say "image $ref already in $root"
        return 0
    fi
    say "importing $ref from $BUSYBOX_BIN into $root"
    tmp="$(mktemp -d)"
    (
        trap 'rm -rf "$tmp"' EXIT
        make_busybox_rootfs "$tmp/rootfs"
        tar_rootfs "$tmp/rootfs" | "$BERTH" --root "$root" import \
            -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            -c 'CMD ["sh"]' - "$ref" >/dev/null
    )
}
