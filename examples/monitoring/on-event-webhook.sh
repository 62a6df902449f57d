#!/bin/sh
# An --on-event command for connect ha monitor: posts each event's JSON, as the monitor gives it on
# stdin, to a webhook (an alert relay, a chat bridge, an incident tool).
#   connect ha monitor --on-event /usr/local/lib/connect/on-event-webhook.sh
# Environment:
#   CONNECT_WEBHOOK_URL       where to POST (required)
#   CONNECT_WEBHOOK_MAX_TIME  seconds curl may take in all (default 5); keep it under the monitor's
#                             --on-event-timeout (default 10 s), so that curl says what went wrong
#                             before the monitor kills it
#   CONNECT_WEBHOOK_TYPES     space-separated event types to post (default: every type),
#                             e.g. "leader_changed leader_lost etcd_quorum_lost probe_failing"
# Exit 0 when posted (or skipped by type); curl's code otherwise (22 for an HTTP error): the monitor
# logs it and counts it in connect_monitor_on_event_failures_total. Nothing is retried here.
set -eu

url="${CONNECT_WEBHOOK_URL:-}"
if [ -z "$url" ]; then
  echo "on-event-webhook: CONNECT_WEBHOOK_URL is not set" >&2
  exit 2
fi
max_time="${CONNECT_WEBHOOK_MAX_TIME:-5}"

if [ -n "${CONNECT_WEBHOOK_TYPES:-}" ]; then
  case " $CONNECT_WEBHOOK_TYPES " in
    *" ${CONNECT_EVENT_TYPE:-} "*) ;;
    *) exit 0 ;;
  esac
fi

# A webhook URL often holds its token: it is handed to curl as a config on fd 3, not as an
# argument that every local user could read in `ps`. In curl's config, \ and " must be escaped.
escaped=$(printf '%s' "$url" | sed 's/[\\"]/\\&/g')
# --data-binary @- sends stdin byte for byte (-d would strip its newlines)
curl --silent --show-error --fail --max-time "$max_time" \
  --header 'Content-Type: application/json' --data-binary @- \
  --config /dev/fd/3 3<<CONFIG
url = "$escaped"
CONFIG
