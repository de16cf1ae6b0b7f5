#!/bin/sh
# Start Redis (persisting to /data with an append-only file), then the monitor in the foreground.
set -e
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir /data --appendonly yes --save ""
exec hkex-monitor run --config /etc/hkex-monitor/watchlist.toml --log-json
