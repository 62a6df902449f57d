#!/usr/bin/env bash
# Installs what connect, its lab and its tests need, from Debian's packages. Safe to run again:
# it installs only what is missing. Needs root (or sudo).
#   JDK 17 and Maven      to build
#   postgresql-15         server binaries in /usr/lib/postgresql/15/bin
#   patroni etcd-server etcd-client haproxy pgbouncer   the HA stack
#   prometheus            for promtool, which the tests use to validate metrics output
#   tmux                  the dashboard's test drives it in a real terminal
#   iproute2 nftables     the lab in network namespaces (lab up --network namespaces) and its partitions
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }
have_cmd java        && java -version 2>&1 | grep -q 'version "\(1[7-9]\|2[0-9]\)' || need+=(openjdk-17-jdk-headless)
have_cmd mvn         || need+=(maven)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15 postgresql-client-15)
have_cmd patroni     || need+=(patroni)
have_cmd etcd        || need+=(etcd-server)
have_cmd etcdctl     || need+=(etcd-client)
have_cmd haproxy     || need+=(haproxy)
have_cmd pgbouncer   || need+=(pgbouncer)
have_cmd setpriv     || need+=(util-linux)
have_cmd promtool    || need+=(prometheus)   # promtool checks the lag check's Prometheus output in the tests
have_cmd tmux        || need+=(tmux)         # the dashboard's test runs it in a tmux pane
have_cmd ip          || need+=(iproute2)     # network namespaces, veths and the bridge of a namespace lab
have_cmd nft         || need+=(nftables)     # the partitions a drill makes inside a namespace lab

if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: everything is installed" >&2
else
  echo "install-deps: installing ${need[*]}" >&2
  # Keep the packages' own services (a postgresql cluster on 5432, etcd on 2379, ...) from starting:
  # the lab runs its own copies on its own ports.
  policy_added=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  trap '[ -n "$policy_added" ] && $SUDO rm -f /usr/sbin/policy-rc.d' EXIT
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# PostgreSQL, Patroni and PgBouncer refuse to run as root; the Debian package creates this user.
if ! id postgres >/dev/null 2>&1; then
  echo "install-deps: the postgres OS user is missing (it comes with postgresql-common)" >&2
  exit 1
fi

for p in patroni etcd etcdctl haproxy pgbouncer promtool tmux ip nft; do
  have_cmd "$p" || { echo "install-deps: $p still missing after install" >&2; exit 1; }
done
echo "install-deps: ready ($(patroni --version 2>/dev/null), PgBouncer $(pgbouncer --version 2>/dev/null | head -1 | awk '{print $2}'), $(haproxy -v 2>/dev/null | head -1 | awk '{print "HAProxy", $3}'), etcd $(etcd --version 2>/dev/null | head -1 | awk '{print $3}'))" >&2
