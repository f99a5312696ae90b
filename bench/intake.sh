#!/usr/bin/env bash
# Intake throughput, end to end on real servers with PostgreSQL fsync ON:
# N small messages in the work INBOX, then one `mailgate run --once`.
# Reports messages per second and peak RSS, and the ratio to a baseline measured in the
# same run on the same database: single-row INSERT transactions per second (pgbench), the
# rate at which this PostgreSQL can make anything durable one commit at a time.
set -euo pipefail
n=${BENCH_MESSAGES:-2000}
# shellcheck source=bench/sandbox.sh
source "$(dirname "$0")/sandbox.sh" intake

/usr/bin/python3 - "$dir/msgs" "$n" <<'PY'
import os, sys
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
for i in range(n):
    body = ("Добрый день! Прошу разъяснить порядок представления справки о доходах. "
            f"Обращение {i}.\r\n")
    # 500 senders, 4 messages each: some history per sender, as in real traffic.
    msg = (f"From: Client {i % 500} <client{i % 500}@org.lenobl.example>\r\n"
           "To: antikor@lenobl.example\r\n"
           f"Subject: =?UTF-8?B?0JLQvtC/0YDQvtGB?= {i}\r\n"
           "Date: Wed, 25 Mar 2026 10:00:00 +0300\r\n"
           f"Message-ID: <bench-{i}@org.lenobl.example>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n" + body)
    with open(f"{out}/{i:06d}.eml", "wb") as f:
        f.write(msg.encode())
PY
echo "delivering $n messages..." >&2
find "$dir/msgs" -name '*.eml' | sort | xargs "$root/scripts/sandbox" deliver "$dir"

mg="${MAILGATE_BIN:-$root/build/daemon/mailgate}"
"$mg" --config "$dir/mailgate.toml" migrate >/dev/null
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$dir/rss" "$mg" --config "$dir/mailgate.toml" run --once 2>"$dir/run.log"
end=$(date +%s.%N)
cases=$("$mg" --config "$dir/mailgate.toml" case list --json | wc -l)
[[ $cases == "$n" ]] || { echo "expected $n cases, got $cases" >&2; tail "$dir/run.log" >&2; exit 1; }

# Baseline: durable single-row commits per second on the same server, 5 seconds.
psql "$PGURL" -qc "CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, v text)"
echo "INSERT INTO bench_baseline (v) VALUES ('x');" >"$dir/baseline.sql"
tps=$(/usr/lib/postgresql/15/bin/pgbench -n -T 5 -c 1 -f "$dir/baseline.sql" "$PGURL" 2>/dev/null |
  awk '/^tps/ {print $3; exit}')

awk -v n="$n" -v s="$start" -v e="$end" -v rss="$(cat "$dir/rss")" -v tps="$tps" 'BEGIN {
  secs = e - s; rate = n / secs
  printf "intake: %d messages in %.2f s = %.0f messages/s (fsync on), peak RSS %.1f MiB\n", n, secs, rate, rss / 1024
  printf "baseline: %.0f single-row commits/s on the same PostgreSQL\n", tps
  printf "ratio: %.2f messages per durable single-row commit (target: >= 1000 messages/s)\n", rate / tps
}'
