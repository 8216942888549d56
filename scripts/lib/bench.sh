# Shared set-up for scripts/bench-run and scripts/bench-logs (sourced after common.sh).
#
# bench_setup: installs the tools, builds berth, makes a private work dir ($WORK) with a
# berth state root ($ROOT, with busybox:latest), and, where they can be installed and
# started, a private podman ($PODMAN: command prefix, or empty) and a private dockerd
# ($DOCKER: command prefix, or empty), both with the same busybox image loaded.
# Everything is undone by bench_cleanup, which bench_setup installs as an EXIT trap.
#
# With BENCH_NETNS=1 set by the script, bench_setup also makes a network namespace of the
# benchmark's own ($NETNS, lo up; deleted by bench_cleanup, bridges and all) and starts
# the private dockerd inside it with Docker's default bridge (docker0, its iptables rules:
# all in that namespace) instead of no bridge: for benchmarks of the engines' default
# networks, which must not make bridges in the host's namespace.
#
# Environment:
#   BENCH_RUNS=N        hyperfine runs per command (default per script)
#   BENCH_NO_PODMAN=1   leave podman out     BENCH_NO_DOCKER=1   leave Docker out

WORK=""
ROOT=""
PODMAN=()
DOCKER=()
DOCKERD_PID=""
DOCKER_SOCK=/tmp/bench-docker.sock
DOCKER_DATA=/tmp/bench-docker-data
DOCKER_EXEC=/tmp/bench-docker-exec
DOCKER_PIDFILE=/tmp/bench-docker.pid
NETNS=""
# Extra clean-up commands the scripts register (run first, in order).
CLEANUP_HOOKS=()

bench_cleanup() {
    local rc=$? hook ids
    trap - EXIT INT TERM
    set +e
    for hook in "${CLEANUP_HOOKS[@]}"; do
        eval "$hook" >/dev/null 2>&1
    done
    if [ -n "$ROOT" ] && [ -n "${BERTH:-}" ] && [ -d "$ROOT" ]; then
        ids=$("$BERTH" --root "$ROOT" ps -aq 2>/dev/null)
        # shellcheck disable=SC2086
        [ -n "$ids" ] && "$BERTH" --root "$ROOT" rm -f $ids >/dev/null 2>&1
    fi
    if [ "${#PODMAN[@]}" -gt 0 ]; then
        "${PODMAN[@]}" rm -af -t 0 >/dev/null 2>&1
        "${PODMAN[@]}" rmi -af >/dev/null 2>&1
    fi
    if [ -n "$DOCKERD_PID" ]; then
        if [ "${#DOCKER[@]}" -gt 0 ]; then
            ids=$("${DOCKER[@]}" ps -aq 2>/dev/null)
            # shellcheck disable=SC2086
            [ -n "$ids" ] && "${DOCKER[@]}" rm -f $ids >/dev/null 2>&1
        fi
        # The containerd that dockerd started for itself: stopped with it, or after it.
        local ctrd
        ctrd=$(cat "$DOCKER_EXEC/containerd/containerd.pid" 2>/dev/null)
        stop_pid "$DOCKERD_PID"
        wait "$DOCKERD_PID" 2>/dev/null
        if [ -n "$ctrd" ] && grep -q containerd "/proc/$ctrd/cmdline" 2>/dev/null; then
            stop_pid "$ctrd"
        fi
        unmount_under "$DOCKER_DATA"
        unmount_under "$DOCKER_EXEC"
        rm -rf "$DOCKER_DATA" "$DOCKER_EXEC" "$DOCKER_SOCK" "$DOCKER_PIDFILE"
    fi
    if [ -n "$NETNS" ] && [ -e "/run/netns/$NETNS" ]; then
        ip netns del "$NETNS"
    fi
    remove_new_cgroups
    remove_new_residue
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        unmount_under "$WORK"
        rm -rf "$WORK"
    fi
    exit "$rc"
}

# The parent cgroups Docker and podman make (`docker`, `libpod_parent`, in every
# hierarchy); those that did not exist before the benchmark are removed (empty ones only).
OTHER_CGROUPS_BEFORE=""
list_other_cgroups() {
    find /sys/fs/cgroup -maxdepth 2 -mindepth 1 -type d \( -name docker -o -name libpod_parent \) 2>/dev/null | sort
}
remove_new_cgroups() {
    local d
    for d in $(list_other_cgroups); do
        grep -qxF "$d" <<<"$OTHER_CGROUPS_BEFORE" && continue
        find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
}

# Paths dockerd, containerd, podman and runc create outside their private roots (deepest
# first); those that did not exist before the benchmark are removed if empty (dirs) or
# are the podman blob cache (file).
RESIDUE=(/run/containerd/s /run/containerd /run/docker/plugins /run/docker /run/runc
    /var/lib/containers/cache/blob-info-cache-v1.boltdb /var/lib/containers/cache /var/lib/containers)
RESIDUE_BEFORE=""
list_residue() {
    local p
    for p in "${RESIDUE[@]}"; do [ -e "$p" ] && echo "$p"; done
    return 0
}
remove_new_residue() {
    local p
    for p in "${RESIDUE[@]}"; do
        [ -e "$p" ] || continue
        grep -qxF "$p" <<<"$RESIDUE_BEFORE" && continue
        if [ -d "$p" ]; then rmdir "$p" 2>/dev/null; else rm -f "$p"; fi
    done
}

# SIGTERM to pid $1, SIGKILL if it is still there after 20 s.
stop_pid() {
    kill -TERM "$1" 2>/dev/null || return 0
    for _ in $(seq 200); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null
}

# Unmounts every mount point under $1, deepest first.
unmount_under() {
    local dir="$1" m
    [ -e "$dir" ] || return 0
    for m in $(awk -v d="$dir" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
        umount -l "$m" 2>/dev/null
    done
}

bench_setup() {
    need_root
    ensure_packages busybox-static hyperfine jq tar util-linux
    if [ -z "${BENCH_NO_PODMAN:-}" ]; then
        ensure_packages podman runc || say "podman could not be installed: leaving it out"
    fi
    if [ -z "${BENCH_NO_DOCKER:-}" ]; then
        ensure_packages docker.io || say "docker.io could not be installed: leaving it out"
    fi
    build_berth
    LOAD_START="$(load_now)"
    OTHER_CGROUPS_BEFORE="$(list_other_cgroups)"
    RESIDUE_BEFORE="$(list_residue)"
    trap bench_cleanup EXIT
    trap 'exit 130' INT TERM
    WORK="$(mktemp -d /tmp/berth-bench.XXXXXX)"
    ROOT="$WORK/berth-root"
    # Docker keeps whole logs by default: let berth keep the million lines too. Containers
    # run without --network stay on loopback (network.default: none), as the other engines
    # are run with --network none: nothing here makes a bridge in the host's namespace.
    printf 'logs:\n  max_size: 2g\n  max_files: 1\nnetwork:\n  default: none\n' >"$WORK/berth-config.yaml"
    export BERTH_CONFIG="$WORK/berth-config.yaml"
    if [ -n "${BENCH_NETNS:-}" ]; then
        NETNS="berth-bench-$$"
        ip netns add "$NETNS"
        nsenter --net="/run/netns/$NETNS" ip link set lo up
    fi
    ensure_busybox_image "$ROOT"
    "$BERTH" --root "$ROOT" save busybox:latest >"$WORK/busybox.tar"
    [ -z "${BENCH_NO_PODMAN:-}" ] && start_podman
    [ -z "${BENCH_NO_DOCKER:-}" ] && start_docker
    return 0
}

# A podman with its own storage, runc as the runtime (crun fails here), cgroupfs, and
# file logs (k8s-file), so nothing outside $WORK is used.
start_podman() {
    command -v podman >/dev/null && command -v runc >/dev/null || return 0
    cat >"$WORK/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=1000:1000", "nproc=1000:1000"]
log_driver = "k8s-file"
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
    export CONTAINERS_CONF="$WORK/containers.conf"
    PODMAN=(podman --root "$WORK/podman-root" --runroot "$WORK/podman-run" --tmpdir "$WORK/podman-tmp")
    if ! "${PODMAN[@]}" load -i "$WORK/busybox.tar" >/dev/null 2>"$WORK/podman-load.err" ||
        ! "${PODMAN[@]}" run --rm --network none busybox:latest true 2>"$WORK/podman-run.err"; then
        say "podman does not work here, leaving it out: $(tail -n1 "$WORK"/podman-*.err)"
        "${PODMAN[@]}" rmi -af >/dev/null 2>&1 || true
        PODMAN=()
    fi
}

# A private dockerd (own socket, data root, exec root, pid file; no bridge, no iptables),
# started here and stopped by pid in bench_cleanup.
start_docker() {
    command -v dockerd >/dev/null || return 0
    local cli
    cli=$(command -v /usr/bin/docker docker | head -n1)
    [ -S "$DOCKER_SOCK" ] && die "'$DOCKER_SOCK' exists: another benchmark running? remove it if not"
    mkdir -p "$DOCKER_DATA" "$DOCKER_EXEC"
    # Outside a namespace of the benchmark's own: no bridge, no iptables rules.
    local in_ns=() net=(--bridge none --iptables=false --ip6tables=false)
    if [ -n "$NETNS" ]; then
        in_ns=(nsenter --net="/run/netns/$NETNS")
        net=(--ip6tables=false)
    fi
    # TMPDIR: containerd drops stack dumps there on shutdown; keep them in $WORK.
    # (nsenter execs dockerd: $! is dockerd's pid.)
    TMPDIR="$WORK" "${in_ns[@]}" dockerd -H "unix://$DOCKER_SOCK" --data-root "$DOCKER_DATA" --exec-root "$DOCKER_EXEC" \
        --pidfile "$DOCKER_PIDFILE" "${net[@]}" \
        >"$WORK/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    DOCKER=("$cli" -H "unix://$DOCKER_SOCK")
    for _ in $(seq 150); do
        "${DOCKER[@]}" version >/dev/null 2>&1 && break
        kill -0 "$DOCKERD_PID" 2>/dev/null || break
        sleep 0.2
    done
    if ! "${DOCKER[@]}" load -i "$WORK/busybox.tar" >/dev/null 2>"$WORK/docker-load.err" ||
        ! "${DOCKER[@]}" run --rm --network none busybox:latest true 2>"$WORK/docker-run.err"; then
        say "Docker does not work here, leaving it out: $(tail -n1 "$WORK"/docker-*.err "$WORK/dockerd.log" | tail -n1)"
        DOCKER=()
    fi
}

# The 1-minute load average (other work on the machine skews every number).
load_now() {
    cut -d' ' -f1 /proc/loadavg
}

# Median seconds of the result named $2 in hyperfine's JSON $1 (empty when absent).
median_of() {
    jq -r --arg n "$2" '.results[] | select(.command == $n) | .median' "$1"
}

# "a / b" to two decimals, or "n/a" when either is empty.
ratio() {
    if [ -z "$1" ] || [ -z "$2" ]; then echo "n/a"; return; fi
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

# Milliseconds from seconds, one decimal; "-" when empty.
ms() {
    if [ -z "$1" ]; then echo "-"; return; fi
    awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'
}

# Prints "  LABEL  ratio Rx  (target OP LIMIT: met|MISSED)". $3 is "le" or "ge".
check_target() {
    local label="$1" r="$2" op="$3" limit="$4" verdict
    if [ "$r" = "n/a" ]; then
        printf '  %-22s n/a\n' "$label"
        return
    fi
    if awk -v r="$r" -v l="$limit" -v op="$op" 'BEGIN { exit !((op == "le") ? r <= l : r >= l) }'; then
        verdict="met"
    else
        verdict="MISSED"
    fi
    printf '  %-22s %6sx   (target %s %sx: %s)\n' "$label" "$r" "$([ "$op" = le ] && echo '<=' || echo '>=')" "$limit" "$verdict"
}

# OXKER: the oxker binary (a terminal dashboard for Docker, a crates.io crate), installed
# into /opt/oxker by `cargo install` unless it is there already; empty when it cannot be
# (no cargo, no network, the build failed or took over BENCH_OXKER_BUILD_S seconds).
OXKER=""
ensure_oxker() {
    local bin=/opt/oxker/bin/oxker
    if [ ! -x "$bin" ] && command -v cargo >/dev/null; then
        say "installing oxker (cargo install oxker --root /opt/oxker; a few minutes)"
        timeout "${BENCH_OXKER_BUILD_S:-1800}" cargo install --locked oxker --root /opt/oxker \
            >"$WORK/oxker-install.log" 2>&1 ||
            say "oxker could not be installed: $(tail -n1 "$WORK/oxker-install.log")"
    fi
    [ -x "$bin" ] && OXKER="$bin"
    return 0
}

# The pids of the private dockerd's helpers: its containerd and the containerd shims of
# its containers (found by the exec root in their command line).
docker_helper_pids() {
    local p
    for p in /proc/[0-9]*; do
        grep -qF "$DOCKER_EXEC" "$p/cmdline" 2>/dev/null || continue
        [ "${p#/proc/}" = "$DOCKERD_PID" ] && continue
        echo "${p#/proc/}"
    done
}
