#!/usr/bin/env bash
# Outbox throughput, end to end on real servers with PostgreSQL fsync ON
# (target: at least 200 messages per second to the sandbox's SMTP sink).
#
# Queueing: N/2 client messages (distinct senders) are registered by `mailgate run --once`
# with a copy of the config whose [smtp] host is empty, so the N outbox rows they cause
# (an acknowledgement and an officer alert per case) wait unsent: real composed mail, as
# intake queues it, not rows forged in SQL.
# Measured: one `mailgate run --once` with the normal config, whose intake finds nothing
# to do, so it is the drain: [outbox] workers threads (4; BENCH_OUTBOX_WORKERS to change),
# each claiming one row at a time (FOR UPDATE SKIP LOCKED), sending it over its own kept
# STARTTLS connection, and recording the outcome durably before the next. Nothing is subtracted (process
# start, template check, IMAP login and the empty intake pass are included); the rate
# between the first and the last "sent" log line is printed too, for information.
# Baseline in the same run: the same N messages (the rows' raw bytes and envelopes) sent
# to the same sink by a minimal /usr/bin/python3 smtplib client over one STARTTLS
# connection, no database: what this sink can take from one sequential client.
set -euo pipefail
n=${BENCH_OUTBOX_MESSAGES:-2000}
(( n >= 2 && n % 2 == 0 )) || { echo "BENCH_OUTBOX_MESSAGES must be even" >&2; exit 2; }
# shellcheck source=bench/sandbox.sh
source "$(dirname "$0")/sandbox.sh" outbox
mg="${MAILGATE_BIN:-$root/build/daemon/mailgate}"

/usr/bin/python3 - "$dir/msgs" "$((n / 2))" <<'PY'
import os, sys
out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out)
for i in range(n):
    msg = (f"From: Клиент {i} <client{i}@example.org>\r\n"
           "To: work@sandbox.test\r\n"
           f"Subject: Вопрос о справке {i}\r\n"
           "Date: Wed, 25 Nov 2026 10:00:00 +0300\r\n"
           f"Message-ID: <bench-outbox-{i}@example.org>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n"
           "Добрый день! Прошу разъяснить порядок представления справки о доходах. "
           f"Обращение {i}.\r\n")
    with open(f"{out}/{i:06d}.eml", "wb") as f:
        f.write(msg.encode())
PY
echo "queueing $n outbox rows (intake of $((n / 2)) messages, sending disabled)..." >&2
find "$dir/msgs" -name '*.eml' | sort | xargs "$root/scripts/sandbox" deliver "$dir" >/dev/null
# The config with an empty [smtp] host (TOML allows no second [smtp] table to override it).
awk '/^\[/ { in_smtp = ($0 == "[smtp]") }
     in_smtp && /^host *=/ { print "host = \"\""; next }
     { print }' "$dir/mailgate.toml" >"$dir/no-smtp.toml"
"$mg" --config "$dir/no-smtp.toml" run --once 2>"$dir/queue.log"
q() { psql "$PGURL" -XAtqc "$1"; }
queued=$(q "SELECT count(*) FROM outbox WHERE status = 'pending'")
[[ $queued == "$n" ]] || { echo "expected $n pending rows, got $queued" >&2; tail "$dir/queue.log" >&2; exit 1; }
# The baseline's input, taken before the drain: envelope and raw bytes of every row.
psql "$PGURL" -XAtq -F $'\t' -c "SELECT envelope_from, recipient,
  translate(encode(raw, 'base64'), E'\n', '') FROM outbox ORDER BY id" >"$dir/rows.tsv"

# BENCH_OUTBOX_WORKERS: sending threads for the drain (default: the config's, i.e. 4).
if [[ -n ${BENCH_OUTBOX_WORKERS:-} ]]; then
  awk -v w="$BENCH_OUTBOX_WORKERS" '{ print } $0 == "[outbox]" { print "workers = " w }' \
    "$dir/mailgate.toml" >"$dir/send.toml"
else
  cp "$dir/mailgate.toml" "$dir/send.toml"
fi
start=$(date +%s.%N)
"$mg" --config "$dir/send.toml" run --once 2>"$dir/run.log"
end=$(date +%s.%N)
sent=$(q "SELECT count(*) FROM outbox WHERE status = 'sent'")
[[ $sent == "$n" ]] || { echo "expected $n sent rows, got $sent" >&2; tail "$dir/run.log" >&2; exit 1; }
# The drain as the daemon's log sees it: first to last "sent" line (n-1 intervals).
log_rate=$(awk '/ sent to / { split($2, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3];
                              if (!c++) first = s; last = s }
                END { if (c > 1 && last > first) printf "%.0f", (c - 1) / (last - first); else print "?" }' \
  "$dir/run.log")
in_sink=$(find "$SINK_DIR" -maxdepth 1 -name '[0-9]*.json' | wc -l)
[[ $in_sink == "$n" ]] || { echo "expected $n messages in the sink, got $in_sink" >&2; exit 1; }

# Baseline: the same messages, one smtplib connection with STARTTLS (verified), no database.
base_secs=$(/usr/bin/python3 - "$dir/rows.tsv" "$SMTP_HOST" "$SMTP_PORT" "$CA_FILE" <<'PY'
import base64, smtplib, ssl, sys, time
path, host, port, ca = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = []
with open(path) as f:
    for line in f:
        env_from, rcpt, raw = line.rstrip("\n").split("\t")
        rows.append((env_from, rcpt, base64.b64decode(raw)))
start = time.monotonic()
s = smtplib.SMTP(host, port, timeout=30)
s.starttls(context=ssl.create_default_context(cafile=ca))
s.ehlo()
for env_from, rcpt, raw in rows:
    refused = s.sendmail(env_from, [rcpt], raw)
    if refused:
        sys.exit(f"refused: {refused}")
s.quit()
print(f"{time.monotonic() - start:.6f}")
PY
)
in_sink=$(find "$SINK_DIR" -maxdepth 1 -name '[0-9]*.json' | wc -l)
[[ $in_sink == "$((2 * n))" ]] || { echo "baseline: expected $((2 * n)) messages in the sink, got $in_sink" >&2; exit 1; }

awk -v n="$n" -v s="$start" -v e="$end" -v b="$base_secs" -v lr="$log_rate" 'BEGIN {
  secs = e - s; rate = n / secs; brate = n / b
  printf "outbox: %d messages sent in %.2f s = %.0f messages/s (fsync on; whole `run --once`, nothing subtracted; %s/s between first and last send in the log)\n", n, secs, rate, lr
  printf "baseline: %.0f messages/s from python smtplib, one STARTTLS connection, same messages, same sink (%.2f s)\n", brate, b
  printf "ratio: %.2f of the baseline; target >= 200 messages/s: %s\n", rate / brate, (rate >= 200 ? "met" : "NOT met")
}'
