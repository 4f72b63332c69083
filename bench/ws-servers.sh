#!/usr/bin/env bash
# The two WebSocket protocol servers side by side (docs/realtime.md, "graphql-ws's server or the fork"):
# graphql-ws's own `makeServer` on our ws glue, and the fork in src/realtime/graphql-ws-fork.ts, same delivery
# code, same bench. Runs bench/subscriptions and bench/queue for both, ROUNDS times, alternating which
# goes first, and keeps every run's JSON and the load average before it under OUT.
#   npm run build && bash bench/ws-servers.sh            (ROUNDS=3 OUT=bench/results/ws-servers)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROUNDS="${ROUNDS:-3}"
OUT="${OUT:-bench/results/ws-servers}"
mkdir -p "$OUT"
run() { # server bench round
  local load; load="$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "== $2 on $1 (round $3, load $load)"
  BENCH_WS_SERVER="$1" node "dist/bench/$2.js" > "$OUT/$2-$1-$3.log" 2>&1 || { echo "failed: see $OUT/$2-$1-$3.log"; return 1; }
  cp "bench/results/$2.json" "$OUT/$2-$1-$3.json"
  echo "load before: $load, after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/$2-$1-$3.log"
  grep -E "KB|ms" "$OUT/$2-$1-$3.log" | grep -E "^\|" | head -6
}
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then order="graphql-ws fork"; else order="fork graphql-ws"; fi
  for bench in subscriptions queue; do
    for server in $order; do run "$server" "$bench" "$r"; done
  done
done
