#!/bin/sh
# The container's supervisor. PID 1 is tini, which hands SIGTERM/SIGINT (docker stop, Ctrl-C) to this
# script. It starts Redis (data in /data: append-only file plus snapshots), then the monitor. On a
# signal it stops the monitor first (the send in flight is finished, and recording what was sent
# still needs Redis), then Redis, which saves its data as it exits. The container exits with the
# monitor's status, except for status 2 (a bad configuration): restarting cannot mend that, and a
# restart policy cannot tell it apart, so the container stays up, unhealthy (no /healthz), doing
# nothing until it is stopped, instead of restarting in a loop (the systemd unit does the same with
# RestartPreventExitStatus=2). Give `docker stop` room: --stop-timeout 180 (compose.yaml does).
set -u

DATA_DIR="${HKEX_MONITOR_DATA_DIR:-/data}"
REDIS_PORT="${HKEX_MONITOR_REDIS_PORT:-6379}"
CONFIG="${HKEX_MONITOR_CONFIG:-/etc/hkex-monitor/watchlist.toml}"

stop_requested=0
monitor_pid=""
on_signal() {
    stop_requested=1
    if [ -n "$monitor_pid" ]; then kill -TERM "$monitor_pid" 2>/dev/null; fi
}
trap on_signal TERM INT

# `wait` returns early when a trapped signal arrives: wait until the process has really exited.
wait_for_exit() {
    while :; do
        wait "$1"
        code=$?
        kill -0 "$1" 2>/dev/null || return "$code"
    done
}

redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DATA_DIR" --daemonize no \
    --appendonly yes --appendfsync everysec --save "900 1 300 10 60 10000" &
redis_pid=$!

tries=0
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    if ! kill -0 "$redis_pid" 2>/dev/null || [ "$tries" -gt 600 ]; then
        echo "entrypoint: Redis did not start (see its log above)" >&2
        kill -TERM "$redis_pid" 2>/dev/null
        exit 1
    fi
    if [ "$stop_requested" = 1 ]; then break; fi
    sleep 0.1
done

status=0
if [ "$stop_requested" = 0 ]; then
    hkex-monitor run --config "$CONFIG" --log-json &
    monitor_pid=$!
    if [ "$stop_requested" = 1 ]; then kill -TERM "$monitor_pid" 2>/dev/null; fi  # signalled meanwhile
    wait_for_exit "$monitor_pid"
    status=$?
fi

kill -TERM "$redis_pid" 2>/dev/null  # Redis saves on SIGTERM
wait_for_exit "$redis_pid"
if [ "$status" = 2 ] && [ "$stop_requested" = 0 ]; then
    echo "entrypoint: the configuration is invalid (see above); not restarting. Fix it, then" \
         "restart the container." >&2
    while [ "$stop_requested" = 0 ]; do sleep 1; done
fi
exit "$status"
