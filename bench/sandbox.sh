# Sourced by the benchmarks: a throwaway sandbox with PostgreSQL fsync ON (benchmarks
# measure durable work), stopped and removed on exit. Sets root, dir and the sandbox's
# variables (PGURL, SINK_DIR, ...). Usage: source bench/sandbox.sh NAME
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$(mktemp -d "/tmp/mailgate-bench-$1.XXXXXX")
chmod 755 "$dir"
trap '"$root/scripts/sandbox" down "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
SANDBOX_PG_FSYNC=on "$root/scripts/sandbox" up "$dir" >/dev/null
# shellcheck disable=SC1091
source "$dir/env"
# A benchmark is a flood from a few hundred senders on purpose: the caps that keep the office
# from being a relay (issue 12) would otherwise stop most of the mail it is meant to measure.
awk '{ print } $0 == "[outbox]" {
       print "auto_per_hour = 1000000"; print "auto_per_sender_per_hour = 10000"
       print "alerts_per_sender_per_hour = 10000" }' \
  "$dir/mailgate.toml" >"$dir/mailgate.toml.new" && mv "$dir/mailgate.toml.new" "$dir/mailgate.toml"
