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
