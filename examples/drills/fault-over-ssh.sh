#!/bin/sh
# A drill_fault_command for members the tool does not own: it applies a drill's fault on the member's
# host over ssh, and puts it back. Set it in the cluster file (an absolute path; drills never use PATH):
#
#   drills: allowed
#   drill_fault_command: /usr/local/lib/connect/fault-over-ssh.sh
#
# connect runs it as:  fault-over-ssh.sh apply|restore FAULT TARGET
# with CONNECT_FAULT, CONNECT_TARGET (member or etcd member name), CONNECT_TARGET_HOST, CONNECT_TARGET_PORT,
# CONNECT_TARGET_DATA_DIR (members only) and CONNECT_CLUSTER in its environment. Exit 0 when done; it has 60 s.
# "apply" must return once the fault has taken effect (the process is gone). The unit names below are
# Debian's (patroni@CLUSTER, etcd); adapt them. The ssh user needs these commands in sudoers, nothing more.
set -eu
action="$1" fault="$2" target="$3"
host="${CONNECT_TARGET_HOST:?}"
ssh_() { ssh -o BatchMode=yes -o ConnectTimeout=5 "drill@$host" "$@"; }

case "$action:$fault" in
  apply:postmaster-kill) ssh_ sudo -u postgres sh -c "'kill -9 \$(head -1 $CONNECT_TARGET_DATA_DIR/postmaster.pid)'" ;;
  apply:patroni-kill)    ssh_ sudo systemctl kill -s KILL "patroni@$CONNECT_CLUSTER"
                         ssh_ sudo -u postgres sh -c "'kill -9 \$(head -1 $CONNECT_TARGET_DATA_DIR/postmaster.pid)'" ;;
  apply:patroni-stop)    ssh_ sudo systemctl stop "patroni@$CONNECT_CLUSTER" ;;
  apply:pg-stop)         ssh_ sudo -u postgres /usr/lib/postgresql/15/bin/pg_ctl stop -D "$CONNECT_TARGET_DATA_DIR" -m fast -w ;;
  apply:etcd-leader-kill) ssh_ sudo systemctl kill -s KILL etcd ;;
  restore:patroni-kill|restore:patroni-stop) ssh_ sudo systemctl start "patroni@$CONNECT_CLUSTER" ;;
  restore:etcd-leader-kill) ssh_ sudo systemctl start etcd ;;
  restore:*) ;;   # Patroni starts PostgreSQL again by itself
  *) echo "fault-over-ssh.sh: unknown action or fault: $action $fault" >&2; exit 2 ;;
esac
echo "$action $fault on $target ($host): done"
