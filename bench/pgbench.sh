#!/usr/bin/env bash
# pgbench -S through the gateway, against PostgreSQL directly and against pgbouncer (session mode), in one run.
#
# Every statement through the gateway is decided by the policy for an agent identity, its result scanned by the
# masking plan, and the decision recorded in the ledger before the statement runs. Rounds interleave the three
# targets so that machine noise hits them alike; the script prints median TPS (8 clients), the ratios to direct,
# and single-client average latencies. Targets: gateway >= 0.5x direct TPS, added single-client latency <= 0.15 ms.
# Beside them: the gateway's own CPU time per transaction (read from /proc, so it holds up on a noisy machine), and
# the disk's floor for one record-first statement, the latency of a 2 KB synchronous overwrite in the ledger's folder.
# The gateways are warmed up first (WARMUP_SECONDS of load each) so that the JIT has finished compiling the hot
# path: the figures are the steady state a running gateway has.
#
# Usage: bench/pgbench.sh   (env: PGHOST PGPORT PGUSER, ROUNDS=3, SECONDS_PER_RUN=5, WARMUP_SECONDS=60, SCALE=1,
#                            BUNDLE=policies/)
# Not a test: it measures; it needs pgbench, and installs Debian's pgbouncer when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pg_host="${PGHOST:-127.0.0.1}"
pg_port="${PGPORT:-5432}"
pg_user="${PGUSER:-postgres}"
rounds="${ROUNDS:-3}"
duration="${SECONDS_PER_RUN:-5}"
warmup="${WARMUP_SECONDS:-60}"
scale="${SCALE:-1}"
db=portcullis_bench
work="$(mktemp -d /tmp/portcullis-bench.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work" "${shm:-}"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 300); do
    if (echo > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "nothing listens on port $1 ($2)" >&2
  return 1
}

# ---- database -------------------------------------------------------------------------------------------------
if ! psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d "$db" -Atc "SELECT 1 FROM pgbench_accounts LIMIT 1" >/dev/null 2>&1; then
  echo "initializing $db (scale $scale)"
  psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  pgbench -i -q -s "$scale" -h "$pg_host" -p "$pg_port" -U "$pg_user" "$db" >/dev/null 2>&1
fi

# ---- gateway --------------------------------------------------------------------------------------------------
# start_gateway NAME LEDGER_DIR PORT_VAR: the example configuration's settings with absolute paths, a spare port
# (stored in PORT_VAR), state in the temp folder. Two instances run: the ledger on the work disk (the real thing), and the ledger
# on tmpfs (/dev/shm), where fsync costs nothing, which shows what the fsync of every decision costs.
start_gateway() {
  local name="$1" ledger_dir="$2" port
  port="$(free_port)"
  mkdir -p "$work/$name/var" "$ledger_dir"
  cat > "$work/$name/gateway.yaml" <<YAML
connections:
  - name: bench
    protocol: postgres
    bind: 127.0.0.1:$port
    tags: [staging]
    upstream: {host: $pg_host, port: $pg_port, user: $pg_user, tls: {mode: disable}}
identity:
  issuers:
    - issuer: https://dev.portcullis.local
      audience: portcullis
      jwks_file: $root/examples/dev-keys/dev-jwks.json
      algorithms: [ES256]
      dev_signing_key: $root/examples/dev-keys/dev-signing-key.jwk.json
policy:
  engine: embedded
  bundle: ${BUNDLE:-$root/policies}
ledger:
  dir: $ledger_dir
  signing_key: $work/$name/var/ledger-signing.key
  origin: bench.portcullis.local/ledger
approvals:
  store: $work/$name/var/approvals
plugins:
  dir: $root/plugins
  mode: development
masking:
  hash_key_file: $work/$name/var/masking-hash.key
YAML
  "$root/portcullis" ledger keygen --origin bench.portcullis.local/ledger --out "$work/$name/var/ledger-signing.key" >/dev/null
  "$root/portcullis" serve --config "$work/$name/gateway.yaml" > "$work/$name.log" 2>&1 &
  pids+=($!)
  gw_pid[$name]=$!
  wait_port "$port" "$name, see $work/$name.log" || { cat "$work/$name.log" >&2; exit 1; }
  printf -v "$3" '%s' "$port"
}
declare -A gw_pid
shm="$(mktemp -d /dev/shm/portcullis-bench.XXXXXX)"
start_gateway gateway "$work/gateway/var/ledger" gw_port
start_gateway gateway-shm "$shm/ledger" gw_shm_port
token="$("$root/portcullis" token issue --config "$work/gateway/gateway.yaml" --subject bench-agent --groups agents --ttl 2h | tail -1)"

# ---- pgbouncer (session mode) ---------------------------------------------------------------------------------
if ! command -v pgbouncer >/dev/null; then
  echo "installing pgbouncer"
  DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer >/dev/null
fi
bouncer_bin="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
bouncer_port="$(free_port)"
cat > "$work/pgbouncer.ini" <<INI
[databases]
$db = host=$pg_host port=$pg_port dbname=$db user=$pg_user
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bouncer_port
unix_socket_dir =
auth_type = trust
auth_file = $work/userlist.txt
pool_mode = session
max_client_conn = 100
default_pool_size = 20
logfile = $work/pgbouncer.log
pidfile = $work/pgbouncer.pid
INI
echo "\"$pg_user\" \"\"" > "$work/userlist.txt"
chmod 644 "$work"/pgbouncer.ini "$work"/userlist.txt
if [ "$(id -u)" = 0 ]; then
  chown postgres "$work"
  "$bouncer_bin" -u postgres "$work/pgbouncer.ini" > "$work/pgbouncer.out" 2>&1 &
else
  "$bouncer_bin" "$work/pgbouncer.ini" > "$work/pgbouncer.out" 2>&1 &
fi
pids+=($!)
wait_port "$bouncer_port" "pgbouncer" || { cat "$work/pgbouncer.out" "$work/pgbouncer.log" >&2; exit 1; }

# ---- runs -----------------------------------------------------------------------------------------------------
# cpu_ticks PID: user + system clock ticks the process has used
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run TARGET MODE CLIENTS -> prints "tps latency_ms gateway_cpu_us_per_tx" (the last is 0 for targets that are not a gateway)
run() {
  local target="$1" mode="$2" clients="$3" seconds="${4:-$duration}" port user password=""
  case "$target" in
    direct) port="$pg_port"; user="$pg_user" ;;
    gateway) port="$gw_port"; user=bench-agent; password="$token" ;;
    gateway-shm) port="$gw_shm_port"; user=bench-agent; password="$token" ;;
    pgbouncer) port="$bouncer_port"; user="$pg_user" ;;
  esac
  local out pid="${gw_pid[$target]:-}" before=0 after=0
  [ -n "$pid" ] && before="$(cpu_ticks "$pid")"
  out="$(PGPASSWORD="$password" pgbench -n -S -M "$mode" -c "$clients" -j "$(( clients < 2 ? 1 : 2 ))" \
    -T "$seconds" -h 127.0.0.1 -p "$port" -U "$user" "$db" 2>&1)" || { echo "pgbench failed ($target $mode):" >&2; echo "$out" >&2; exit 1; }
  [ -n "$pid" ] && after="$(cpu_ticks "$pid")"
  local tps lat tx
  tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -1)"
  lat="$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out" | head -1)"
  tx="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out" | head -1)"
  echo "$tps $lat $(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v n="$tx" 'BEGIN {printf "%.1f", n ? t / hz * 1e6 / n : 0}')"
}

# sync_floor_ms DIR: milliseconds per 2 KB overwrite of already written blocks with O_DSYNC, what a ledger append
# with preallocated space costs the disk at least
sync_floor_ms() {
  local f="$1/sync-floor" n=2000 out
  dd if=/dev/zero of="$f" bs=2k count="$n" 2>/dev/null && sync "$f"
  out="$(dd if=/dev/zero of="$f" bs=2k count="$n" oflag=dsync conv=notrunc 2>&1 | tail -1)"
  rm -f "$f"
  awk -v n="$n" '{for (i = 1; i <= NF; i++) if ($(i + 1) == "s," || $(i + 1) == "s") {printf "%.3f", $i * 1000 / n; exit}}' <<<"$out"
}
floor="$(sync_floor_ms "$work/gateway/var")"

echo "warming up the gateways (${warmup}s each)"
for target in gateway gateway-shm; do
  run "$target" simple 8 "$(( (warmup + 1) / 2 ))" >/dev/null
  run "$target" extended 8 "$(( (warmup + 1) / 2 ))" >/dev/null
done

targets=(direct gateway gateway-shm pgbouncer)
modes=(simple extended)
declare -A tps lat cpu
for round in $(seq 1 "$rounds"); do
  for mode in "${modes[@]}"; do
    for target in "${targets[@]}"; do
      read -r t _ c <<<"$(run "$target" "$mode" 8)"
      read -r _ l _ <<<"$(run "$target" "$mode" 1)"
      tps[$target.$mode]+="$t "
      lat[$target.$mode]+="$l "
      cpu[$target.$mode]+="$c "
      printf 'round %d  %-8s %-11s  8 clients: %9.1f tps   1 client: %7.3f ms\n' "$round" "$mode" "$target" "$t" "$l"
    done
  done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo
gw_summary=""
echo "medians over $rounds rounds of ${duration}s, pgbench -S, scale $scale; gateway-shm: ledger on tmpfs (no fsync cost)"
echo "gateway cpu: the gateway process's CPU time per transaction at 8 clients"
printf '%-9s %-12s %12s %10s %14s %12s %14s\n' mode target "tps(8 cl)" "x direct" "latency(1 cl)" "added" "gateway cpu"
for mode in "${modes[@]}"; do
  d_tps="$(median <<<"${tps[direct.$mode]}")"
  d_lat="$(median <<<"${lat[direct.$mode]}")"
  for target in "${targets[@]}"; do
    t="$(median <<<"${tps[$target.$mode]}")"
    l="$(median <<<"${lat[$target.$mode]}")"
    ratio="$(awk -v a="$t" -v b="$d_tps" 'BEGIN {printf "%.2f", a/b}')"
    added="$(awk -v a="$l" -v b="$d_lat" 'BEGIN {printf "%+.3f", a-b}')"
    c="$(median <<<"${cpu[$target.$mode]}")"
    gw_cpu="$(awk -v c="$c" 'BEGIN {if (c > 0) printf "%.0f us/tx", c; else printf "-"}')"
    printf '%-9s %-12s %12.1f %9sx %11.3f ms %9s ms %14s\n' "$mode" "$target" "$t" "$ratio" "$l" "$added" "$gw_cpu"
    if [ "$target" = gateway ] || [ "$target" = gateway-shm ]; then
      ok_tps="$(awk -v r="$ratio" 'BEGIN {print (r >= 0.5) ? "met" : "NOT met"}')"
      ok_lat="$(awk -v a="$added" 'BEGIN {print (a <= 0.15) ? "met" : "NOT met"}')"
      gw_summary+="  $mode: $target ${ratio}x direct (target >= 0.5x: $ok_tps); added latency ${added} ms (target <= 0.15 ms: $ok_lat)"$'\n'
    fi
  done
done
echo
echo "disk floor: a 2 KB synchronous overwrite in the ledger's folder takes ${floor} ms (every statement waits for one)"
echo "targets:"
printf '%s' "$gw_summary"
exit 0
