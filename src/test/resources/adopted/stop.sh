#!/bin/bash
# stop.sh DIR
#
# Stops every process of the orders-prod fixture in DIR, whatever state it is in: frozen (SIGSTOP),
# half started, or left behind by a run that crashed. Safe to run twice, and on a DIR that is gone.
# Files stay (the logs are worth reading); start.sh wipes DIR before it builds anew.
#
# Patroni's PostgreSQL outlives a killed Patroni, so each data directory's postmaster is stopped
# on its own (pg_ctl stop -m immediate, then SIGKILL by its postmaster.pid).
set -uo pipefail

die() { echo "stop.sh: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: stop.sh DIR"
DIR=${1%/}
case "$DIR" in /?*) ;; *) die "DIR must be an absolute path other than /" ;; esac
[ -d "$DIR" ] || exit 0
[ -e "$DIR/.adopted-fixture" ] || die "$DIR is not a fixture directory (no .adopted-fixture)"

CLEAN_PATH=/usr/lib/postgresql/15/bin:/usr/bin:/bin:/usr/sbin:/sbin
me=$(id -un)
[ "$me" = root ] || [ "$me" = postgres ] || die "run as root or postgres, not $me"

as_postgres() {
    if [ "$me" = root ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- \
            env -i PATH="$CLEAN_PATH" HOME=/var/lib/postgresql LANG=C.UTF-8 "$@"
    else
        env -i PATH="$CLEAN_PATH" HOME="${HOME:-/var/lib/postgresql}" LANG=C.UTF-8 "$@"
    fi
}

# a zombie has gone as far as we are concerned: only its parent can take it away
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }

# the pid in FILE, only while that process is still the one FILE names (its command line mentions DIR
# or, for a postmaster, the data directory): a stale pid file must never make us kill a stranger
pid_of() {
    local file=$1 pid
    [ -f "$file" ] || return 1
    pid=$(head -n1 "$file" 2>/dev/null | tr -dc 0-9)
    alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$DIR/" || return 1
    echo "$pid"
}

# SIGCONT first: a frozen process cannot act on SIGTERM
stop_pids() { # SIGNAL PID...
    local sig=$1
    shift
    [ $# -gt 0 ] || return 0
    kill -CONT "$@" 2>/dev/null
    kill "-$sig" "$@" 2>/dev/null
}

wait_gone() { # SECONDS PID...
    local deadline=$(($(date +%s) + $1))
    shift
    local p any
    while :; do
        any=
        for p in "$@"; do alive "$p" && any=1; done
        [ -z "$any" ] && return 0
        [ "$(date +%s)" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

pids() { local f p; for f in "$@"; do p=$(pid_of "$f") && echo "$p"; done; }

# 1. the front: HAProxy and PgBouncer
front=$(pids "$DIR/run/haproxy.pid" "$DIR/run/pgbouncer.pid")
stop_pids TERM $front
wait_gone 5 $front || stop_pids KILL $front

# 2. Patroni, killed outright so that it neither restarts nor demotes anything any more
patroni=$(pids "$DIR"/run/patroni-*.pid)
stop_pids KILL $patroni
wait_gone 5 $patroni

# 3. each postmaster, by its data directory
postmasters=()
for d in "$DIR"/pgdata/*/; do
    d=${d%/}
    [ -f "$d/postmaster.pid" ] || continue
    p=$(pid_of "$d/postmaster.pid") || continue
    kill -CONT "$p" 2>/dev/null
    as_postgres pg_ctl stop -D "$d" -m immediate -w -t 15 >/dev/null 2>&1
    postmasters+=("$p")
done
if [ ${#postmasters[@]} -gt 0 ] && ! wait_gone 3 "${postmasters[@]}"; then
    kill -KILL "${postmasters[@]}" 2>/dev/null
    wait_gone 10 "${postmasters[@]}"
fi

# 4. etcd: a member told to stop tries to hand its leadership over first, which takes seconds when
# its peers are stopping too; nothing of it is kept, so it gets little time
etcd=$(pids "$DIR"/run/dcs-*.pid)
stop_pids TERM $etcd
wait_gone 2 $etcd || { stop_pids KILL $etcd; wait_gone 5 $etcd; }

# 5. whatever is left that runs from DIR (a pid file lost in a crash): anything whose command line names
# a file of this fixture; a postmaster's own children leave when it has gone
left=$(pgrep -f -- "$DIR/(etc|pgdata|dcs|run)/" | grep -vx "$$" || true)
if [ -n "$left" ]; then
    stop_pids KILL $left
    wait_gone 10 $left
fi

rm -f "$DIR"/run/*.pid "$DIR/run/haproxy.sock"
left=$(pgrep -f -- "$DIR/(etc|pgdata|dcs|run)/" | grep -vx "$$" || true)
[ -z "$left" ] || die "still running: $(echo $left)"
exit 0
