#!/bin/sh
# A drill_fault_command for members the tool does not own: it applies a drill's fault on the member's
# host over ssh, and puts it back. Set it in the cluster file (an absolute path; drills never use PATH):
#
#   drills: allowed
#   drill_fault_command: /usr/local/lib/connect/fault-over-ssh.sh
#
# connect runs it as:  fault-over-ssh.sh apply|restore FAULT TARGET
# TARGET is a member or etcd member name, or several joined by commas (partition-halves: the members on one
# side; dcs-outage: the etcd members to stop). In its environment: CONNECT_FAULT, CONNECT_TARGET,
# CONNECT_TARGET_HOST, CONNECT_TARGET_PORT, CONNECT_TARGET_DATA_DIR (one member), CONNECT_CLUSTER, and for
# network faults CONNECT_TARGET_HOSTS, CONNECT_MEMBER_HOSTS, CONNECT_PEER_HOSTS (every host of the cluster but
# the targets') and CONNECT_ETCD_PORTS, comma-separated. Exit 0 when done; each call has 60 s.
# "apply" must return once the fault has taken effect (the process is gone, frozen, or the rules are in).
#
# Partitions are nft rules in a table of their own (inet connect_fault) on the target hosts; "restore"
# deletes that table, and deleting it twice is harmless. They never drop ssh (port 22), so that "restore"
# can always get in, and they drop only the cluster's own hosts. Freezes are SIGSTOP, restored by SIGCONT.
# The unit names below are Debian's (patroni@CLUSTER, etcd); adapt them. The ssh user needs these commands
# (kill, systemctl, nft, pg_ctl) in sudoers, nothing more.
set -eu
action="$1" fault="$2" target="$3"
host="${CONNECT_TARGET_HOST:-}"
ssh_to() { h="$1"; shift; ssh -o BatchMode=yes -o ConnectTimeout=5 "drill@$h" "$@"; }
ssh_() { ssh_to "${host:?CONNECT_TARGET_HOST is not set}" "$@"; }
set_of() { echo "$1" | sed 's/,/, /g'; }   # a,b -> "a, b" for an nft set

# nft rules on stdin for a host: the fault's table replaced in one transaction
nft_on() { ssh_to "$1" sudo nft -f -; }
heal_on() { printf 'table inet connect_fault {}\ndelete table inet connect_fault\n' | nft_on "$1"; }
# $1 host, $2 "both" or "in", $3 the addresses it loses (comma-separated)
cut_off() {
  peers="$(set_of "$3")"
  out_rule=""
  [ "$2" = both ] && out_rule="chain output { type filter hook output priority -10; policy accept; oifname \"lo\" accept; tcp sport 22 accept; ip daddr { $peers } drop; }"
  printf 'table inet connect_fault {}\ndelete table inet connect_fault\ntable inet connect_fault {\n  chain input { type filter hook input priority -10; policy accept; iifname "lo" accept; tcp dport 22 accept; ip saddr { %s } drop; }\n  %s\n}\n' \
    "$peers" "$out_rule" | nft_on "$1"
}
cut_etcd() {
  ports="$(set_of "${CONNECT_ETCD_PORTS:?}")"
  printf 'table inet connect_fault {}\ndelete table inet connect_fault\ntable inet connect_fault {\n  chain input { type filter hook input priority -10; policy accept; iifname "lo" accept; tcp dport { %s } drop; tcp sport { %s } drop; }\n  chain output { type filter hook output priority -10; policy accept; oifname "lo" accept; tcp dport { %s } drop; tcp sport { %s } drop; }\n}\n' \
    "$ports" "$ports" "$ports" "$ports" | nft_on "$1"
}
each() { echo "$1" | tr ',' '\n'; }
others_than() { each "$2" | grep -vxF "$(each "$1")" | paste -sd, -; }   # $2 less $1
postmaster_tree="pm=\$(head -1 ${CONNECT_TARGET_DATA_DIR:-}/postmaster.pid 2>/dev/null || true); [ -n \"\$pm\" ] && echo \$pm \$(pgrep -P \$pm)"

case "$action:$fault" in
  apply:postmaster-kill) ssh_ sudo -u postgres sh -c "'kill -9 \$(head -1 $CONNECT_TARGET_DATA_DIR/postmaster.pid)'" ;;
  apply:patroni-kill)    ssh_ sudo systemctl kill -s KILL "patroni@$CONNECT_CLUSTER"
                         ssh_ sudo -u postgres sh -c "'kill -9 \$(head -1 $CONNECT_TARGET_DATA_DIR/postmaster.pid)'" ;;
  apply:patroni-stop)    ssh_ sudo systemctl stop "patroni@$CONNECT_CLUSTER" ;;
  apply:pg-stop)         ssh_ sudo -u postgres /usr/lib/postgresql/15/bin/pg_ctl stop -D "$CONNECT_TARGET_DATA_DIR" -m fast -w ;;
  apply:etcd-leader-kill) ssh_ sudo systemctl kill -s KILL etcd ;;
  apply:freeze-postgres) ssh_ sudo -u postgres sh -c "'kill -STOP \$($postmaster_tree)'" ;;
  restore:freeze-postgres) ssh_ sudo -u postgres sh -c "'kill -CONT \$($postmaster_tree) || true'" ;;
  apply:freeze-patroni)  ssh_ sudo systemctl kill --kill-who=main -s STOP "patroni@$CONNECT_CLUSTER" ;;
  restore:freeze-patroni) ssh_ sudo systemctl kill --kill-who=main -s CONT "patroni@$CONNECT_CLUSTER" ;;
  apply:dcs-outage)      for h in $(each "${CONNECT_TARGET_HOSTS:?}"); do ssh_to "$h" sudo systemctl kill -s STOP etcd; done ;;
  restore:dcs-outage)    for h in $(each "${CONNECT_TARGET_HOSTS:?}"); do ssh_to "$h" sudo systemctl kill -s CONT etcd; done ;;
  apply:partition-leader|apply:partition-replica) cut_off "$host" both "${CONNECT_PEER_HOSTS:?}" ;;
  apply:partition-one-way) cut_off "$host" in "${CONNECT_PEER_HOSTS:?}" ;;
  apply:partition-leader-dcs) cut_etcd "$host" ;;
  apply:partition-halves)
    side="${CONNECT_TARGET_HOSTS:?}" rest="$(others_than "$side" "${CONNECT_MEMBER_HOSTS:?}")"
    for h in $(each "$side"); do cut_off "$h" both "$rest"; done
    for h in $(each "$rest"); do cut_off "$h" both "$side"; done ;;
  restore:partition-leader|restore:partition-replica|restore:partition-one-way|restore:partition-leader-dcs) heal_on "$host" ;;
  restore:partition-halves) for h in $(each "${CONNECT_MEMBER_HOSTS:?}"); do heal_on "$h"; done ;;
  restore:patroni-kill|restore:patroni-stop) ssh_ sudo systemctl start "patroni@$CONNECT_CLUSTER" ;;
  restore:etcd-leader-kill) ssh_ sudo systemctl start etcd ;;
  restore:*) ;;   # Patroni starts PostgreSQL again by itself
  *) echo "fault-over-ssh.sh: unknown action or fault: $action $fault" >&2; exit 2 ;;
esac
echo "$action $fault on $target: done"
