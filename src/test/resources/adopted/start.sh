#!/bin/bash
# start.sh DIR PORT_BASE [PART]
#
# Brings up "orders-prod", a PostgreSQL 15 + Patroni + etcd + HAProxy + PgBouncer stack built by hand,
# the way an operator who never heard of connect would: its own names, addresses, TLS and timings.
# Everything lives in DIR (wiped and made anew: it must be empty, absent, or a former fixture dir
# that stop.sh has stopped) and listens on 127.0.0.21-25, on ports PORT_BASE+1 to PORT_BASE+60.
#
# PART (default all) restarts one piece of a fixture that is up, with the files it already has:
# haproxy, pgbouncer, db-a, db-b, db-c, dcs-1, dcs-2 or dcs-3.
#
# Run as root (the work is done as postgres, through setpriv) or as postgres.
# It returns once a leader and two streaming replicas answer, through HAProxy and PgBouncer too.
set -euo pipefail

die() { echo "start.sh: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: start.sh DIR PORT_BASE [all|haproxy|pgbouncer|db-a|db-b|db-c|dcs-1|dcs-2|dcs-3]"
DIR=${1%/}
PORT_BASE=$2
PART=${3:-all}
case "$DIR" in /?*) ;; *) die "DIR must be an absolute path other than /" ;; esac
case "$PORT_BASE" in *[!0-9]*|'') die "PORT_BASE must be a number" ;; esac
[ "$PORT_BASE" -ge 1024 ] && [ $((PORT_BASE + 99)) -lt 32768 ] || die "PORT_BASE must be 1024-32668 (every port stays below 32768)"
case "$PART" in all|haproxy|pgbouncer|db-a|db-b|db-c|dcs-1|dcs-2|dcs-3) ;; *) die "unknown part '$PART'" ;; esac

MARKER=.adopted-fixture
CLEAN_PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# ---- stage 1 (root or postgres): a fresh DIR, then the real work as postgres --------------------
if [ "${ADOPTED_STAGE:-}" != postgres ]; then
    HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    me=$(id -un)
    [ "$me" = root ] || [ "$me" = postgres ] || die "run as root or postgres, not $me"
    if [ "$PART" = all ]; then
        if [ -e "$DIR" ]; then
            [ -d "$DIR" ] || die "$DIR is not a directory"
            if [ -n "$(ls -A "$DIR")" ] && [ ! -e "$DIR/$MARKER" ]; then
                die "$DIR is not empty and is not a fixture directory; refusing to wipe it"
            fi
            for f in "$DIR"/run/*.pid; do
                [ -e "$f" ] || continue
                if alive "$(head -n1 "$f")"; then die "$f: still running; run stop.sh $DIR first"; fi
            done
            for f in "$DIR"/pgdata/*/postmaster.pid; do
                [ -e "$f" ] || continue
                if alive "$(head -n1 "$f")"; then die "$f: PostgreSQL still running; run stop.sh $DIR first"; fi
            done
            rm -rf "$DIR"
        fi
        mkdir -p "$DIR"
        chmod 0700 "$DIR"
        touch "$DIR/$MARKER"
        mkdir "$DIR/src"
        cp "$HERE"/*.in "$HERE"/cluster.yaml "$HERE"/start.sh "$HERE"/stop.sh "$HERE"/fault.sh "$DIR/src/"
        chmod 0755 "$DIR/src"/*.sh  # a copy from the class path may have lost its mode
        [ "$me" = postgres ] || chown -R postgres:postgres "$DIR"
    else
        [ -e "$DIR/$MARKER" ] && [ -e "$DIR/stack.env" ] || die "$DIR holds no fixture to restart $PART in"
    fi
    if [ "$me" = root ]; then
        exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
            env -i PATH="$CLEAN_PATH" HOME=/var/lib/postgresql USER=postgres LOGNAME=postgres LANG=C.UTF-8 \
            ADOPTED_STAGE=postgres bash "$DIR/src/start.sh" "$DIR" "$PORT_BASE" "$PART"
    fi
    exec env -i PATH="$CLEAN_PATH" HOME="${HOME:-/var/lib/postgresql}" USER=postgres LOGNAME=postgres LANG=C.UTF-8 \
        ADOPTED_STAGE=postgres bash "$DIR/src/start.sh" "$DIR" "$PORT_BASE" "$PART"
fi

# ---- stage 2: as postgres ------------------------------------------------------------------------
[ "$(id -un)" = postgres ] || die "stage 2 must run as postgres"
umask 077
cd "$DIR"
SRC=$DIR/src
STARTED=$(date +%s%N)

# The map of the stack. Members share 127.0.0.21; db-c has the same ports as db-a on another address.
export DIR PORT_BASE
export A_HOST=127.0.0.21 A_PG=$((PORT_BASE + 1))  A_REST=$((PORT_BASE + 11))
export B_HOST=127.0.0.21 B_PG=$((PORT_BASE + 2))  B_REST=$((PORT_BASE + 12))
export C_HOST=127.0.0.22 C_PG=$((PORT_BASE + 1))  C_REST=$((PORT_BASE + 11))
export ETCD_HOST=127.0.0.23
export ETCD1_CLIENT=$((PORT_BASE + 21)) ETCD2_CLIENT=$((PORT_BASE + 22)) ETCD3_CLIENT=$((PORT_BASE + 23))
export ETCD1_PEER=$((PORT_BASE + 31))   ETCD2_PEER=$((PORT_BASE + 32))   ETCD3_PEER=$((PORT_BASE + 33))
export HA_HOST=127.0.0.24 HA_WRITE=$((PORT_BASE + 41)) HA_READ=$((PORT_BASE + 42)) HA_STATS=$((PORT_BASE + 43))
export PGB_HOST=127.0.0.25 PGB_PORT=$((PORT_BASE + 51))

declare -A HOST=([db-a]=$A_HOST [db-b]=$B_HOST [db-c]=$C_HOST)
declare -A PGPORT=([db-a]=$A_PG [db-b]=$B_PG [db-c]=$C_PG)
declare -A REST=([db-a]=$A_REST [db-b]=$B_REST [db-c]=$C_REST)
declare -A ETCD_CLIENT_OF=([dcs-1]=$ETCD1_CLIENT [dcs-2]=$ETCD2_CLIENT [dcs-3]=$ETCD3_CLIENT)
ETCD_ENDPOINTS=https://$ETCD_HOST:$ETCD1_CLIENT,https://$ETCD_HOST:$ETCD2_CLIENT,https://$ETCD_HOST:$ETCD3_CLIENT
TLS=$DIR/tls
PG_BIN=/usr/lib/postgresql/15/bin

log() { printf '%s start.sh: %s\n' "$(date -u +%H:%M:%S.%3N)" "$*"; }

# fill a template: only the variables named here are replaced, so $ signs of the configs stay
fill() {
    envsubst '${DIR} ${MEMBER} ${MEMBER_HOST} ${MEMBER_PG} ${MEMBER_REST} ${ETCD_NAME} ${ETCD_CLIENT} ${ETCD_PEER}
        ${A_HOST} ${A_PG} ${A_REST} ${B_HOST} ${B_PG} ${B_REST} ${C_HOST} ${C_PG} ${C_REST}
        ${ETCD_HOST} ${ETCD1_CLIENT} ${ETCD2_CLIENT} ${ETCD3_CLIENT} ${ETCD1_PEER} ${ETCD2_PEER} ${ETCD3_PEER}
        ${HA_HOST} ${HA_WRITE} ${HA_READ} ${HA_STATS} ${PGB_HOST} ${PGB_PORT}
        ${DBA_PASSWORD} ${REPL_PASSWORD} ${STATS_PASSWORD}' <"$SRC/$1" >"$2"
}

# a program in the background, in its own session, its pid in run/NAME.pid
daemon() {
    local name=$1
    shift
    setsid "$@" >>"$DIR/log/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/run/$name.pid"
}

etcdctl_() {
    ETCDCTL_API=3 etcdctl --endpoints="$ETCD_ENDPOINTS" --cacert="$TLS/ca.crt" --cert="$TLS/client.crt" \
        --key="$TLS/client.key" --dial-timeout=2s --command-timeout=3s "$@"
}

# Fixed passwords of this test fixture, never used anywhere else; in files of mode 0600 under secrets/.
make_secrets() {
    mkdir -p secrets
    printf '%s\n' 'dba-Orders-7Kq2w' >secrets/superuser.password
    printf '%s\n' 'repl-Orders-3Vx9p' >secrets/replication.password
    printf '%s\n' 'app-Orders-5Nw4r' >secrets/app.password
    printf '%s\n' 'pgb-Orders-8Hm6t' >secrets/pgbouncer_admin.password
    printf '%s\n' 'stats-Orders-2Jt7y' >secrets/haproxy_stats.password
    # SCRAM verifiers (RFC 5802/7677 as PostgreSQL stores them), for pg_authid and PgBouncer's userlist
    python3 - "$DIR/secrets" <<'PY'
import base64, hashlib, hmac, os, sys
d = sys.argv[1]
for name, src in (("orders_app", "app"), ("pgb_admin", "pgbouncer_admin")):
    password = open(os.path.join(d, src + ".password")).readline().strip().encode()
    salt, iterations = os.urandom(16), 4096
    salted = hashlib.pbkdf2_hmac("sha256", password, salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda b: base64.b64encode(b).decode()
    with open(os.path.join(d, name + ".scram"), "w") as f:
        f.write("SCRAM-SHA-256$%d:%s$%s:%s\n" % (iterations, b64(salt), b64(hashlib.sha256(client_key).digest()), b64(server_key)))
PY
}

# A CA, one server certificate for every address of the stack (also used by etcd as a client of
# itself, hence clientAuth), and a client certificate for Patroni, etcdctl and connect.
make_certs() {
    mkdir -p tls
    (
        cd tls
        openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key
        openssl req -x509 -new -key ca.key -days 30 -subj "/O=orders-prod test/CN=orders-prod test CA" -out ca.crt \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
        openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
        openssl req -new -key server.key -subj "/O=orders-prod test/CN=orders-prod server" -out server.csr
        # IP entries only: a DNS entry sends urllib3 (through pyOpenSSL, under Patroni) to the idna
        # module, which Debian does not install with Patroni
        printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
            "extendedKeyUsage=serverAuth,clientAuth" \
            "subjectAltName=IP:127.0.0.1,IP:$A_HOST,IP:$C_HOST,IP:$ETCD_HOST,IP:$HA_HOST,IP:$PGB_HOST" >server.ext
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile server.ext -out server.crt 2>/dev/null
        openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out client.key
        openssl req -new -key client.key -subj "/O=orders-prod test/CN=orders-prod client" -out client.csr
        printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" >client.ext
        openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile client.ext -out client.crt 2>/dev/null
        rm -f ./*.csr ./*.ext ./*.srl
        chmod 0600 ./*.key
        chmod 0644 ./*.crt
    )
}

make_configs() {
    mkdir -p etc run run/db-a run/db-b run/db-c log pgdata dcs
    DBA_PASSWORD=$(head -n1 secrets/superuser.password)
    REPL_PASSWORD=$(head -n1 secrets/replication.password)
    STATS_PASSWORD=$(head -n1 secrets/haproxy_stats.password)
    export DBA_PASSWORD REPL_PASSWORD STATS_PASSWORD
    local m
    for m in a b c; do
        local up=${m^^}
        MEMBER=db-$m
        eval "MEMBER_HOST=\$${up}_HOST MEMBER_PG=\$${up}_PG MEMBER_REST=\$${up}_REST"
        export MEMBER MEMBER_HOST MEMBER_PG MEMBER_REST
        fill patroni.yml.in "etc/db-$m.yml"
    done
    local n
    for n in 1 2 3; do
        ETCD_NAME=dcs-$n
        eval "ETCD_CLIENT=\$ETCD${n}_CLIENT ETCD_PEER=\$ETCD${n}_PEER"
        export ETCD_NAME ETCD_CLIENT ETCD_PEER
        fill etcd.yml.in "etc/dcs-$n.yml"
    done
    fill haproxy.cfg.in etc/haproxy.cfg
    fill pgbouncer.ini.in etc/pgbouncer.ini
    fill after-initdb.sh.in etc/after-initdb.sh
    chmod 0700 etc/after-initdb.sh
    fill cluster.yaml cluster.yaml
    chmod 0644 cluster.yaml
    unset DBA_PASSWORD REPL_PASSWORD STATS_PASSWORD
    printf '"%s" "%s"\n' orders_app "$(head -n1 secrets/orders_app.scram)" pgb_admin "$(head -n1 secrets/pgb_admin.scram)" >etc/userlist.txt
    # where everything is, for the tests and for people
    cat >stack.env <<EOF
DIR=$DIR
PORT_BASE=$PORT_BASE
SCOPE=orders-prod
NAMESPACE=/pg-ha/
MEMBERS=db-a db-b db-c
DB_A_HOST=$A_HOST
DB_A_PG=$A_PG
DB_A_REST=$A_REST
DB_B_HOST=$B_HOST
DB_B_PG=$B_PG
DB_B_REST=$B_REST
DB_C_HOST=$C_HOST
DB_C_PG=$C_PG
DB_C_REST=$C_REST
ETCD_MEMBERS=dcs-1 dcs-2 dcs-3
ETCD_HOST=$ETCD_HOST
ETCD_ENDPOINTS=$ETCD_ENDPOINTS
HAPROXY_HOST=$HA_HOST
HAPROXY_WRITE_PORT=$HA_WRITE
HAPROXY_READ_PORT=$HA_READ
HAPROXY_STATS_PORT=$HA_STATS
HAPROXY_SOCKET=$DIR/run/haproxy.sock
HAPROXY_WRITE_BACKEND=pg_primary
HAPROXY_READ_BACKEND=pg_replicas
PGBOUNCER_HOST=$PGB_HOST
PGBOUNCER_PORT=$PGB_PORT
PGBOUNCER_POOL=orders_rw
CA_FILE=$TLS/ca.crt
CLIENT_CERT=$TLS/client.crt
CLIENT_KEY=$TLS/client.key
CLUSTER_FILE=$DIR/cluster.yaml
EOF
    chmod 0644 stack.env
}

start_etcd() { daemon "$1" etcd --config-file "$DIR/etc/$1.yml"; }
start_patroni() { daemon "patroni-$1" patroni "$DIR/etc/$1.yml"; }
start_haproxy() {
    rm -f run/haproxy.pid
    haproxy -c -q -f etc/haproxy.cfg >>log/haproxy.log 2>&1 || die "haproxy.cfg does not check; see $DIR/log/haproxy.log"
    setsid haproxy -D -f "$DIR/etc/haproxy.cfg" >>log/haproxy.log 2>&1 </dev/null
}
start_pgbouncer() {
    rm -f run/pgbouncer.pid
    setsid pgbouncer -d -q "$DIR/etc/pgbouncer.ini" >>log/pgbouncer.log 2>&1 </dev/null
}

# poll CMD every 0.3 s for up to SECONDS s
wait_for() {
    local what=$1 seconds=$2
    shift 2
    local deadline=$(($(date +%s) + seconds))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then
            echo "start.sh: $what not reached within ${seconds}s; the logs are in $DIR/log and $DIR/pgdata/*/log" >&2
            tail -n 5 "$DIR"/log/*.log >&2 || true
            exit 1
        fi
        sleep 0.3
    done
    log "$what"
}

rest_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$TLS/ca.crt" "https://$1:$2$3"; }

leader_member() {
    local m
    for m in db-a db-b db-c; do
        if [ "$(rest_code "${HOST[$m]}" "${REST[$m]}" /primary)" = 200 ]; then
            echo "$m"
            return 0
        fi
    done
    return 1
}

rest_answers() { [ "$(rest_code "${HOST[$1]}" "${REST[$1]}" "$2")" = "$3" ]; }

etcd_member_healthy() {
    ETCDCTL_API=3 etcdctl --endpoints="https://$ETCD_HOST:${ETCD_CLIENT_OF[$1]}" --cacert="$TLS/ca.crt" \
        --cert="$TLS/client.crt" --key="$TLS/client.key" --dial-timeout=2s --command-timeout=3s endpoint health
}

pg_as() { # USER HOST PORT DB SQL: one value, with the user's password from its file
    local pw
    case "$1" in dba) pw=$(head -n1 secrets/superuser.password) ;; orders_app) pw=$(head -n1 secrets/app.password) ;; esac
    PGPASSWORD="$pw" PGCONNECT_TIMEOUT=3 psql -X -A -t -v ON_ERROR_STOP=1 \
        "host=$2 port=$3 dbname=$4 user=$1 sslmode=verify-ca sslrootcert=$TLS/ca.crt" -c "$5"
}

two_streaming() {
    local leader
    leader=$(leader_member) || return 1
    [ "$(pg_as dba "${HOST[$leader]}" "${PGPORT[$leader]}" postgres "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")" = 2 ]
}

through_haproxy() { [ "$(pg_as dba "$HA_HOST" "$HA_WRITE" postgres 'SELECT pg_is_in_recovery()')" = f ]; }

through_pgbouncer() {
    [ "$(PGPASSWORD=$(head -n1 secrets/app.password) PGCONNECT_TIMEOUT=3 psql -X -A -t \
        "host=$PGB_HOST port=$PGB_PORT dbname=orders_rw user=orders_app sslmode=disable" -c 'SELECT current_database()')" = orders ]
}

case "$PART" in
all)
    log "building orders-prod in $DIR (ports $PORT_BASE+)"
    make_secrets
    make_certs
    make_configs
    for n in 1 2 3; do start_etcd "dcs-$n"; done
    wait_for "etcd: 3 members healthy" 30 etcdctl_ endpoint health
    # db-a first, so that it is the one that bootstraps; the others clone it
    start_patroni db-a
    wait_for "db-a is the leader" 90 rest_answers db-a /primary 200
    start_patroni db-b
    start_patroni db-c
    start_haproxy
    start_pgbouncer
    wait_for "a leader and two streaming replicas" 120 two_streaming
    wait_for "HAProxy's write port reaches the leader" 30 through_haproxy
    wait_for "PgBouncer's orders_rw reaches orders" 30 through_pgbouncer
    log "ready in $(( ($(date +%s%N) - STARTED) / 1000000 )) ms"
    ;;
haproxy) start_haproxy; wait_for "HAProxy's write port reaches the leader" 30 through_haproxy ;;
pgbouncer) start_pgbouncer; wait_for "PgBouncer's orders_rw reaches orders" 30 through_pgbouncer ;;
db-*) start_patroni "$PART"; wait_for "$PART's REST API answers" 60 rest_answers "$PART" /liveness 200 ;;
dcs-*) start_etcd "$PART"; wait_for "$PART healthy" 30 etcd_member_healthy "$PART" ;;
esac
