#!/usr/bin/env bash
# Load benchmark of the signed-in dashboard (GET /) and of GET /api/v1/tenants (bearer token) with
# 1,000 tenants and 10,000 users, 50 concurrent connections. See bench/README.md.
#
#   bench/run.sh [path/to/vip-panel.jar]
#
# Needs: java 21+, wrk, curl, psql (PostgreSQL on 127.0.0.1:5432, user postgres, trust auth), Redis on
# 127.0.0.1:6379 (redis-cli only to clean up the run's keys). Everything listens on 127.0.0.1 only.
# Knobs (environment): BENCH_DURATION (30s), BENCH_WARMUP (10s), BENCH_CONNECTIONS (50), BENCH_THREADS (2),
# BENCH_SINGLE (10s: an extra run with 1 connection, for the service time without queueing; 0 skips it),
# BENCH_REDIS_URL (redis://127.0.0.1:6379), JAVA_OPTS (extra JVM flags for the panel, empty by default as
# in a default install), BENCH_EXTRA_SQL=file (applied as the schema owner after the panel's migrations,
# e.g. a migration under review, to measure a proposed change), BENCH_KEEP=1 keeps the panel
# and database for poking at (stop them yourself).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$(realpath "${1:-$root/target/vip-panel.jar}")"
duration="${BENCH_DURATION:-30s}"
warmup="${BENCH_WARMUP:-10s}"
connections="${BENCH_CONNECTIONS:-50}"
threads="${BENCH_THREADS:-2}"
single="${BENCH_SINGLE:-10s}"
extra_sql="${BENCH_EXTRA_SQL:-}"
[ -z "$extra_sql" ] || extra_sql="$(realpath "$extra_sql")"
redis_url="${BENCH_REDIS_URL:-redis://127.0.0.1:6379}"
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

for tool in "$java" wrk curl psql; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk curl postgresql-client)" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "bench: no jar at $jar (build it first, or pass its path)" >&2; exit 2; }

export PGHOST=127.0.0.1 PGUSER=postgres
run_id="$(date +%s)_$$"
db="vip_bench_$run_id"
work="$(mktemp -d /tmp/vip-bench.XXXXXX)"
panel_pid=""

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}
port="$(free_port)"
base="http://127.0.0.1:$port"

# The panel and its CLI read the same settings; keys in a Redis namespace of their own.
export VIP_BIND=127.0.0.1 VIP_PORT="$port" VIP_BASE_URL="$base" VIP_DATA_DIR="$work/data"
export VIP_DATABASE_URL="jdbc:postgresql://127.0.0.1:5432/$db" VIP_DATABASE_USER=postgres VIP_DATABASE_PASSWORD=
export VIP_REDIS_URL="$redis_url" VIP_REDIS_KEYPREFIX="vipbench$run_id:"
export VIP_SECURITY_RATELIMIT_APIPERTOKENPERMINUTE=1000000
export VIP_SECURITY_RATELIMIT_LOGINPERIPPERMINUTE=1000 VIP_SECURITY_RATELIMIT_LOGINPERACCOUNTPERMINUTE=1000
export VIP_SECURITY_HSTS=false

cleanup() {
  local status=$?
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "bench: kept panel pid ${panel_pid:-none} on $base, database $db, files in $work" >&2
    exit "$status"
  fi
  if [ -n "$panel_pid" ] && kill -0 "$panel_pid" 2>/dev/null; then
    kill "$panel_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$panel_pid" 2>/dev/null || break
      sleep 1
    done
    kill -9 "$panel_pid" 2>/dev/null || true
  fi
  psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
  if command -v redis-cli >/dev/null; then
    redis-cli -u "$redis_url" --scan --pattern "vipbench$run_id:*" | xargs -r redis-cli -u "$redis_url" del >/dev/null 2>&1 || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/panel.log" ]; then
    echo "bench: failed; last lines of the panel log:" >&2
    tail -n 40 "$work/panel.log" >&2
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rss() {
  awk '/^VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$panel_pid/status"
}
hwm() {
  awk '/^VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$panel_pid/status"
}

panel_cli() {
  # shellcheck disable=SC2086 # JAVA_OPTS holds several flags
  "$java" ${JAVA_OPTS:-} -jar "$jar" "$@" 2>>"$work/cli.log"
}

echo "== VIP Hosting Panel load benchmark"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "java:    $("$java" -version 2>&1 | head -n 1); JAVA_OPTS=${JAVA_OPTS:-(none)}"
echo "postgres: $(psql -Atq -d postgres -c 'SHOW server_version')"
echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, before the run; other work on the machine skews the figures)"
echo "load:    wrk -t$threads -c$connections, warm-up $warmup, measured $duration per endpoint"
echo "extra:   ${extra_sql:-none, the schema as the migrations create it}"

psql -q -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
mkdir -p "$work/data"

# shellcheck disable=SC2086
"$java" -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar "$jar" serve >"$work/panel.log" 2>&1 &
panel_pid=$!
for i in $(seq 1 120); do
  if curl -fsS "$base/actuator/health" 2>/dev/null | grep -q '"UP"'; then
    break
  fi
  kill -0 "$panel_pid" 2>/dev/null || { echo "bench: the panel exited during start" >&2; exit 1; }
  [ "$i" -lt 120 ] || { echo "bench: the panel did not become healthy in 120 s" >&2; exit 1; }
  sleep 1
done
echo "panel:   pid $panel_pid on $base, database $db, RSS after start $(rss)"
if [ -n "$extra_sql" ]; then
  psql -q -v ON_ERROR_STOP=1 -d "$db" -f "$extra_sql" >/dev/null
fi

admin="bench-admin@bench.example"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/admin.pw"
password="$(cat "$work/admin.pw")"
panel_cli create-admin --email "$admin" --password-file "$work/admin.pw" --name "Bench Admin" >"$work/create-admin.out"
token="$(panel_cli create-token --email "$admin" --name bench | grep -Eo '^vip_[a-z0-9]{40}$' | tail -n 1)"
[ -n "$token" ] || { echo "bench: create-token printed no token" >&2; exit 1; }

seeded="$(psql -Atq -d "$db" -v admin_email="$admin" -f "$here/seed.sql" | tail -n 1)"
echo "seeded:  $(echo "$seeded" | cut -d'|' -f1) tenants, $(echo "$seeded" | cut -d'|' -f2) users (plus the platform and the admin)"

# Sign in like a browser: the login form's CSRF token and session cookie, then the POST.
jar_file="$work/cookies"
csrf="$(curl -fsS -c "$jar_file" "$base/login" | grep -Eo 'name="_csrf" value="[^"]+"' | head -n 1 | sed -E 's/.*value="([^"]+)"/\1/')"
[ -n "$csrf" ] || { echo "bench: no CSRF token on /login" >&2; exit 1; }
login="$(curl -sS -b "$jar_file" -c "$jar_file" -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode "email=$admin" --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf" "$base/login")"
case "$login" in
  "302 $base/") ;;
  *) echo "bench: login failed: $login" >&2; exit 1 ;;
esac
cookie="$(awk -F'\t' '$6 != "" && $1 ~ /127\.0\.0\.1/ {c = c (c ? "; " : "") $6 "=" $7} END {print c}' "$jar_file")"
printf 'Cookie: %s\n' "$cookie" >"$work/cookie-header"
printf 'Authorization: Bearer %s\n' "$token" >"$work/token-header"

dashboard="$(curl -sS -H "Cookie: $cookie" -w '\n%{http_code}' "$base/")"
if [ "$(echo "$dashboard" | tail -n 1)" != 200 ] || ! echo "$dashboard" | grep -q 'id="count-users">10001<'; then
  echo "bench: the dashboard did not show 10001 users: $(echo "$dashboard" | tail -n 1)" >&2
  exit 1
fi
api="$(curl -sS -H "Authorization: Bearer $token" -w '\n%{http_code}' "$base/api/v1/tenants")"
if [ "$(echo "$api" | tail -n 1)" != 200 ] || ! echo "$api" | grep -q '"total":1001'; then
  echo "bench: /api/v1/tenants did not list 1001 tenants: $(echo "$api" | tail -n 1)" >&2
  exit 1
fi
echo "checked: dashboard shows 1001 tenants / 10001 users; the API lists 100 of 1001 tenants per page"
echo "RSS before load: $(rss) (peak so far $(hwm))"

# wrk's own timeout (2 s by default) would drop the slowest requests from the percentiles; 10 s keeps them.
# When wrk stops, requests it gave up on may still be queued in the panel; one more request waits for them, so
# that a run does not start behind the previous one's backlog.
drain() {
  curl -s -o /dev/null --max-time 300 -H "$2" "$base$1" || true
}
# Where the CPU went during a measurement, in CPU seconds (2 cores x 30 s = 60 available; wrk itself is not
# counted): the panel, PostgreSQL, Redis, and everything else. "other" is another build or test run on the
# machine, which skews the figures (PostgreSQL backends of other databases count as postgres).
cpu_snapshot() {
  ps -eo pid=,comm=,times= | awk -v panel="$panel_pid" '{
    class = $1 == panel ? "panel" : $2 == "postgres" ? "postgres" : $2 == "redis-server" ? "redis" : $2 == "wrk" ? "wrk" : "other"
    print $1, class, $3, $2 }'
}
cpu_split() {
  awk 'NR == FNR {before[$1] = $3; next}
       {d = $3 - ($1 in before ? before[$1] : 0); used[$2] += d; if ($2 == "other" && d > 0) by[$4] += d}
       END {top = ""; for (c in by) if (by[c] > 1) top = top " " c "=" by[c]
            printf "cpu_s: panel=%d postgres=%d redis=%d other=%d%s", used["panel"], used["postgres"], used["redis"], used["other"], top ? " (" substr(top, 2) ")" : ""}' "$1" "$2"
}
measure() {
  local label="$1" t="$2" c="$3" d="$4" path="$5" header="$6" result
  cpu_snapshot >"$work/cpu.before"
  result="$(wrk -t"$t" -c"$c" -d"$d" --timeout 10s -H "$header" -s "$here/report.lua" "$base$path" | grep '^RESULT' | sed 's/^RESULT //')"
  cpu_snapshot >"$work/cpu.after"
  printf '%-16s %s\n%-16s %s\n' "$label" "$result" "" "$(cpu_split "$work/cpu.before" "$work/cpu.after")"
  drain "$path" "$header"
}
load() {
  local name="$1" path="$2" header="$3"
  wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 10s -H "$header" -s "$here/report.lua" "$base$path" >/dev/null
  drain "$path" "$header"
  measure "$name c=$connections" "$threads" "$connections" "$duration" "$path" "$header"
  if [ "$single" != 0 ]; then
    measure "$name c=1" 1 1 "$single" "$path" "$header"
  fi
}

echo
load dashboard / "Cookie: $cookie"
echo "RSS after dashboard load: $(rss) (peak $(hwm))"
load api /api/v1/tenants "Authorization: Bearer $token"
echo "RSS after API load: $(rss) (peak $(hwm))"

echo "loadavg: $(cut -d' ' -f1-3 /proc/loadavg) at the end"
still="$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base/")"
[ "$still" = 200 ] || { echo "bench: the session did not survive the run ($still)" >&2; exit 1; }
