#!/bin/bash
# fault.sh apply|restore FAULT TARGET: the orders-prod fixture's drill_fault_command (docs/drills.md).
# connect's drills call it for the processes of a stack they do not own, with CONNECT_TARGET_DATA_DIR
# (members) in the environment. start.sh copies it to DIR/src/, and the cluster file names it there.
# "apply" returns once the fault has taken effect; "restore" starts again what the fault stopped.
set -euo pipefail

die() { echo "fault.sh: $*" >&2; exit 2; }
[ $# -eq 3 ] || die "usage: fault.sh apply|restore FAULT TARGET"
action=$1 fault=$2 target=$3
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -e "$DIR/.adopted-fixture" ] || die "$DIR is not a fixture directory"
case "$target" in db-a|db-b|db-c|dcs-1|dcs-2|dcs-3) ;; *) die "unknown target '$target'" ;; esac
PORT_BASE=$(sed -n 's/^PORT_BASE=//p' "$DIR/stack.env")
data=${CONNECT_TARGET_DATA_DIR:-$DIR/pgdata/$target}

pid_in() { head -n1 "$1" 2>/dev/null | tr -dc 0-9; }

gone() { # PID [SECONDS]: until the process has gone (a zombie counts as gone)
    local deadline=$(($(date +%s) + ${2:-30}))
    while kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; do
        [ "$(date +%s)" -lt "$deadline" ] || die "pid $1 still there after ${2:-30}s"
        sleep 0.1
    done
}

kill9() { # PID-FILE
    local p
    p=$(pid_in "$1")
    [ -n "$p" ] || die "no pid in $1"
    kill -9 "$p" 2>/dev/null || true
    gone "$p" 10
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- \
            env -i PATH=/usr/lib/postgresql/15/bin:/usr/bin:/bin HOME=/var/lib/postgresql LANG=C.UTF-8 "$@"
    else
        "$@"
    fi
}

case "$action:$fault" in
apply:postmaster-kill) kill9 "$data/postmaster.pid" ;;
apply:patroni-kill)
    # node loss: Patroni and the PostgreSQL that would outlive it
    kill9 "$DIR/run/patroni-$target.pid"
    kill9 "$data/postmaster.pid" ;;
apply:patroni-stop)
    p=$(pid_in "$DIR/run/patroni-$target.pid")
    kill -TERM "$p"
    gone "$p" 50 ;;
apply:pg-stop) as_postgres pg_ctl stop -D "$data" -m fast -w -t 50 >/dev/null ;;
apply:etcd-leader-kill) kill9 "$DIR/run/$target.pid" ;;
restore:patroni-kill | restore:patroni-stop | restore:etcd-leader-kill)
    bash "$DIR/src/start.sh" "$DIR" "$PORT_BASE" "$target" >/dev/null ;;
restore:postmaster-kill | restore:pg-stop) ;; # Patroni starts PostgreSQL again by itself
*) die "unknown action or fault: $action $fault" ;;
esac
echo "$action $fault on $target: done"
