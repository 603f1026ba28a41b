#!/usr/bin/env bash
# Enhanced integration test of fast-intercom-mcp: sync a workspace into an isolated store, prove
# the store matches the source, talk to the MCP server through a real MCP client, gate on
# `debug health`, and (optionally) write a performance report. Runs against the built-in Intercom
# simulator by default, so it needs nothing but Deno; --real uses INTERCOM_ACCESS_TOKEN.
#
# Exit codes: 0 passed, 1 API, 2 sync/database, 3 MCP, 4 performance, 5 environment (also bad
# flags), 130 interrupted. Run with --help for the flags.
set -uo pipefail

readonly EXIT_API=1 EXIT_SYNC=2 EXIT_MCP=3 EXIT_PERFORMANCE=4 EXIT_ENVIRONMENT=5
readonly SIM_TOKEN="sim-token-0123456789"
readonly PERMISSIONS=(--allow-net --allow-read --allow-write --allow-env --allow-run --allow-sys
  "--v8-flags=--max-semi-space-size=4,--max-old-space-size=1024")

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$SCRIPT_DIR")
HELPERS="$SCRIPT_DIR/integration"
readonly SCRIPT_DIR ROOT HELPERS

DAYS=7
DAYS_SET=false
MAX_CONVERSATIONS=""
CONVERSATIONS=""
QUICK=false
VERBOSE=false
PERFORMANCE_REPORT=false
OUTPUT=""
CLEANUP=true
REAL=false
INJECT=""

usage() {
  cat <<'EOF'
Usage: scripts/enhanced_integration_test.sh [options]

Syncs into an isolated workspace, checks the store against the source, checks every MCP tool
through an MCP client, and gates on `fast-intercom-mcp debug health --json`.

Options:
  --days N                 sync the last N days (default 7)
  --max-conversations N    stop the sync after N conversations
  --quick                  1 day and fewer timed searches (the CI mode)
  --verbose                show the program's own output as it runs
  --performance-report     write a Markdown and a JSON performance report; missed targets exit 4
  --output FILE            the Markdown report's path (JSON beside it, .json); implies
                           --performance-report (default ./integration-report-<session>.md)
  --no-cleanup             keep the workspace (data, logs, status) and print its path
  --real                   use the real Intercom API with $INTERCOM_ACCESS_TOKEN (and
                           $FASTINTERCOM_API_URL or $FASTINTERCOM_REGION if set) instead of
                           the built-in simulator
  --conversations N        simulator only: conversations to generate (default 100 per day)
  --inject-failure KIND    prove the checks can fail: auth (the simulator rejects the token,
                           exit 1), database (a reply altered, another lost in the store, exit 2),
                           mcp (the server gets an empty data directory, exit 3)
  -h, --help               this help

Environment: FASTINTERCOM_BIN runs that compiled binary instead of the source (Deno is still
needed for the checks); FASTINTERCOM_SESSION_ID is kept when set.

Exit codes: 0 passed, 1 API, 2 sync/database, 3 MCP, 4 performance, 5 environment (and bad
flags), 130 interrupted.
EOF
}

say() { printf '%s\n' "$*" >&2; }
usage_error() {
  say "enhanced_integration_test.sh: $*"
  say "Run with --help for the flags."
  exit "$EXIT_ENVIRONMENT"
}
need_integer() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || usage_error "$1 \"$2\" is not a whole number ≥ 1"
}

while (($# > 0)); do
  arg=$1
  if [[ $arg == --*=* ]]; then
    set -- "${arg%%=*}" "${arg#*=}" "${@:2}"
    arg=$1
  fi
  case $arg in
  --days | --max-conversations | --output | --conversations | --inject-failure)
    (($# >= 2)) || usage_error "$arg needs a value"
    case $arg in
    --days) need_integer "$arg" "$2" && DAYS=$2 && DAYS_SET=true ;;
    --max-conversations) need_integer "$arg" "$2" && MAX_CONVERSATIONS=$2 ;;
    --conversations) need_integer "$arg" "$2" && CONVERSATIONS=$2 ;;
    --output) OUTPUT=$2 && PERFORMANCE_REPORT=true ;;
    --inject-failure)
      [[ $2 =~ ^(auth|database|mcp)$ ]] || usage_error "--inject-failure \"$2\": use auth, database or mcp"
      INJECT=$2
      ;;
    esac
    shift 2
    ;;
  --quick) QUICK=true && shift ;;
  --verbose) VERBOSE=true && shift ;;
  --performance-report) PERFORMANCE_REPORT=true && shift ;;
  --no-cleanup) CLEANUP=false && shift ;;
  --real) REAL=true && shift ;;
  -h | --help) usage && exit 0 ;;
  *) usage_error "unknown option \"$arg\"" ;;
  esac
done
if $QUICK; then
  $DAYS_SET && [[ $DAYS != 1 ]] && say "--quick syncs 1 day; ignoring --days $DAYS"
  DAYS=1
fi
if $REAL && [[ -n $INJECT ]]; then usage_error "--inject-failure works with the simulator only"; fi
SEARCHES=50
$QUICK && SEARCHES=20
CONVERSATIONS=${CONVERSATIONS:-$((100 * DAYS))}

# --- state shared with the exit path ---------------------------------------------------------
WS=""
SIM_PID=""
TRACK_PID=""
TRACKING=false
FINISHED=false
STARTED_AT=$(date +%s)
STEP=0
readonly TOTAL_STEPS=8

track() {
  # A line to the status tracker; a tracker that died must not kill the run (SIGPIPE is ignored).
  if $TRACKING; then printf '%s\n' "$*" >&3 2>/dev/null || TRACKING=false; fi
}
step() {
  STEP=$((STEP + 1))
  say ""
  say "[$STEP/$TOTAL_STEPS] $*"
  track "step $STEP $TOTAL_STEPS $*"
}
check() {
  # check NAME pass|fail|skip DETAIL: recorded for the report and shown.
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$WS/checks.tsv"
  case $2 in
  pass) say "  ✓ $1: $3" ;;
  skip) say "  - $1: $3" ;;
  *) say "  ✗ $1: $3" ;;
  esac
  track "log check $1 $2: $3"
}
show_tail() {
  # The last lines of a step's stderr, so a failure explains itself without --verbose.
  [[ -s $1 ]] && ! $VERBOSE && tail -n "${2:-15}" "$1" | sed 's/^/    | /' >&2
  return 0
}
run() {
  # run NAME CMD…: stdout to $WS/NAME.out, stderr to $WS/NAME.err (and the terminal with --verbose).
  # A command stopped by Ctrl-C ends the run: bash skips the INT trap when the child exits itself.
  local name=$1 rc
  shift
  if $VERBOSE; then
    "$@" >"$WS/$name.out" 2> >(tee "$WS/$name.err" >&2)
  else
    "$@" >"$WS/$name.out" 2>"$WS/$name.err"
  fi
  rc=$?
  if ((rc == 130)) && ! $FINISHED; then
    say ""
    say "Interrupted."
    finish 130 "interrupted"
  fi
  return "$rc"
}
json_number() {
  # json_number KEY FILE: a top-level number of the program's pretty-printed JSON output.
  sed -n "s/^  \"$1\": \\(-\\{0,1\\}[0-9][0-9.]*\\),\\{0,1\\}\$/\\1/p" "$2" | head -n 1
}
json_string() {
  sed -n "s/^  \"$1\": \"\\([^\"]*\\)\",\\{0,1\\}\$/\\1/p" "$2" | head -n 1
}

stop_simulator() {
  if [[ -n $SIM_PID ]] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill -INT "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
  fi
  SIM_PID=""
}

write_report() {
  local md json
  md=${OUTPUT:-$PWD/integration-report-$FASTINTERCOM_SESSION_ID.md}
  json="${md%.md}.json"
  [[ $json == "$md" ]] && json="$md.json"
  mkdir -p "$(dirname "$md")" || return "$EXIT_ENVIRONMENT"
  say ""
  say "Performance report:"
  "${HELPER[@]}" "$HELPERS/report.ts" --md "$md" --json "$json" \
    --sync "$WS/sync.out" --status "$WS/status.out" --sync-measure "$WS/sync.measure.json" \
    --mcp "$WS/mcp.json" --checks "$WS/checks.tsv" --session "$FASTINTERCOM_SESSION_ID" \
    --mode "$($REAL && echo real || echo simulator)" --days "$DAYS" \
    ${MAX_CONVERSATIONS:+--max-conversations "$MAX_CONVERSATIONS"}
  local rc=$?
  say "  written: $md"
  say "           $json"
  return "$rc"
}

finish() {
  # finish CODE REASON: report, record the outcome, print the verdict and exit (cleanup on EXIT).
  local code=$1 reason=$2
  FINISHED=true
  stop_simulator
  if $PERFORMANCE_REPORT && [[ -n $WS ]]; then
    write_report
    local report_rc=$?
    if ((code == 0 && report_rc == EXIT_PERFORMANCE)); then
      code=$EXIT_PERFORMANCE
      reason="a performance target was missed (see the report)"
    elif ((code == 0 && report_rc != 0)); then
      code=$EXIT_ENVIRONMENT
      reason="the performance report could not be written"
    fi
  fi
  local elapsed=$(($(date +%s) - STARTED_AT))
  if ((code == 0)); then
    track "complete {\"exit_code\":0,\"seconds\":$elapsed,\"days\":$DAYS,\"mode\":\"$($REAL && echo real || echo simulator)\"}"
  else
    track "fail exit $code: $reason"
  fi
  if $TRACKING; then
    exec 3>&-
    TRACKING=false
  fi
  [[ -n $TRACK_PID ]] && wait "$TRACK_PID" 2>/dev/null
  say ""
  if ((code == 0)); then
    say "PASSED in ${elapsed}s (session $FASTINTERCOM_SESSION_ID)"
  else
    say "FAILED with exit code $code after ${elapsed}s: $reason"
  fi
  exit "$code"
}

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
  stop_simulator
  if $TRACKING; then
    track "fail the script ended unexpectedly"
    exec 3>&-
  fi
  [[ -n $TRACK_PID ]] && wait "$TRACK_PID" 2>/dev/null
  if [[ -n $WS && -d $WS ]]; then
    if $CLEANUP; then
      rm -rf "$WS"
    else
      say "Workspace kept: $WS"
    fi
  fi
}
trap cleanup EXIT
trap 'say ""; say "Interrupted."; $FINISHED || finish 130 "interrupted"' INT TERM
trap '' PIPE

# --- 1. environment ----------------------------------------------------------------------------
say "fast-intercom-mcp enhanced integration test: $($REAL && echo "real Intercom" || echo simulator), $DAYS day(s)${MAX_CONVERSATIONS:+, at most $MAX_CONVERSATIONS conversations}"
if ! command -v deno >/dev/null 2>&1; then
  say "deno is not on PATH: install it (npm i -g deno@2.9.6, or https://deno.com) and retry"
  exit "$EXIT_ENVIRONMENT"
fi
HELPER=(deno run --quiet --allow-all)
if [[ -n ${FASTINTERCOM_BIN:-} ]]; then
  [[ -x $FASTINTERCOM_BIN ]] || usage_error "FASTINTERCOM_BIN=\"$FASTINTERCOM_BIN\" is not an executable"
  CLI=("$FASTINTERCOM_BIN")
  CLI_SHOWN=$(printf '%q' "$FASTINTERCOM_BIN")
else
  CLI=(deno run --quiet "${PERMISSIONS[@]}" "$ROOT/main.ts")
  CLI_SHOWN="deno task -q --config $(printf '%q' "$ROOT/deno.json") cli"
fi
if $REAL && [[ -z ${INTERCOM_ACCESS_TOKEN:-} ]]; then
  say "--real needs INTERCOM_ACCESS_TOKEN (an Intercom access token with read scopes)"
  exit "$EXIT_ENVIRONMENT"
fi
if ! WS=$(mktemp -d "${TMPDIR:-/tmp}/fim-integration.XXXXXX"); then
  WS=""
  say "cannot create a workspace under ${TMPDIR:-/tmp}"
  exit "$EXIT_ENVIRONMENT"
fi
mkdir -p "$WS/data" "$WS/logs" "$WS/status" || exit "$EXIT_ENVIRONMENT"
: >"$WS/checks.tsv"
export FASTINTERCOM_DATA_DIR="$WS/data" FASTINTERCOM_LOG_DIR="$WS/logs"
export FASTINTERCOM_STATUS_DIR="$WS/status"
if [[ -z ${FASTINTERCOM_SESSION_ID:-} ]]; then
  FASTINTERCOM_SESSION_ID="integ-$(date -u +%Y%m%d-%H%M%S)-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')"
fi
export FASTINTERCOM_SESSION_ID
$VERBOSE || export FASTINTERCOM_QUIET=true

step "environment and workspace"
check deno pass "$(deno --version | head -n 1)"
check workspace pass "$WS"
mkfifo "$WS/track.fifo" || finish "$EXIT_ENVIRONMENT" "cannot create a FIFO in $WS"
description="integration test ($($REAL && echo "real Intercom" || echo simulator), $DAYS day(s))"
"${HELPER[@]}" "$HELPERS/track.ts" --description "$description" \
  --metadata "{\"workspace\":\"$WS\",\"days\":$DAYS}" \
  <"$WS/track.fifo" >"$WS/track.id" 2>"$WS/track.err" &
TRACK_PID=$!
exec 3>"$WS/track.fifo"
TRACKING=true
for _ in $(seq 1 300); do
  [[ -s $WS/track.id ]] && break
  kill -0 "$TRACK_PID" 2>/dev/null || break
  sleep 0.1
done
PROCESS_ID=$(head -n 1 "$WS/track.id" 2>/dev/null)
if [[ -z $PROCESS_ID ]]; then
  show_tail "$WS/track.err"
  finish "$EXIT_ENVIRONMENT" "could not register with the status tracker"
fi
track "step 1 $TOTAL_STEPS environment and workspace"
check status_tracker pass "registered as $PROCESS_ID (session $FASTINTERCOM_SESSION_ID)"

env_prefix="FASTINTERCOM_DATA_DIR=$(printf '%q' "$WS/data") FASTINTERCOM_LOG_DIR=$(printf '%q' "$WS/logs") FASTINTERCOM_STATUS_DIR=$(printf '%q' "$WS/status")"
say ""
say "Monitor this run from other terminals:"
say "  $env_prefix $CLI_SHOWN monitor status"
say "  $env_prefix $CLI_SHOWN logs show --follow --session $FASTINTERCOM_SESSION_ID"
say "  $env_prefix $CLI_SHOWN logs errors --follow --session $FASTINTERCOM_SESSION_ID"

# --- 2. the source -----------------------------------------------------------------------------
step "source: $($REAL && echo "the real Intercom API" || echo "the built-in simulator")"
if $REAL; then
  check source pass "Intercom at ${FASTINTERCOM_API_URL:-the ${FASTINTERCOM_REGION:-us} region host}"
else
  sim_token=$SIM_TOKEN
  [[ $INJECT == auth ]] && sim_token="sim-token-injected-failure"
  "${CLI[@]}" simulate --port 0 --conversations "$CONVERSATIONS" --days "$DAYS" \
    --token "$sim_token" >"$WS/simulator.out" 2>"$WS/simulator.err" &
  SIM_PID=$!
  for _ in $(seq 1 300); do
    [[ -s $WS/simulator.out ]] && break
    kill -0 "$SIM_PID" 2>/dev/null || break
    sleep 0.1
  done
  sim_url=$(head -n 1 "$WS/simulator.out" 2>/dev/null)
  if [[ ! $sim_url =~ ^http:// ]]; then
    show_tail "$WS/simulator.err"
    finish "$EXIT_ENVIRONMENT" "the simulator did not start"
  fi
  export FASTINTERCOM_API_URL=$sim_url INTERCOM_ACCESS_TOKEN=$SIM_TOKEN
  check source pass "simulator at $sim_url: $CONVERSATIONS conversations over $DAYS day(s)"
fi

# --- 3. init: the token against GET /me --------------------------------------------------------
step "init: validate the token"
if ! run init "${CLI[@]}" init; then
  show_tail "$WS/init.err"
  check init fail "the API rejected the token or could not be reached"
  finish "$EXIT_API" "init failed: the API rejected the token or could not be reached"
fi
check init pass "$(grep -m 1 '^Connected' "$WS/init.out" || echo "token accepted")"

# --- 4. sync -----------------------------------------------------------------------------------
step "sync the last $DAYS day(s)"
sync_args=(sync --days "$DAYS" --json)
[[ -n $MAX_CONVERSATIONS ]] && sync_args+=(--max-conversations "$MAX_CONVERSATIONS")
if ! run sync "${HELPER[@]}" "$HELPERS/measure.ts" --out "$WS/sync.measure.json" -- \
  "${CLI[@]}" "${sync_args[@]}"; then
  show_tail "$WS/sync.err"
  # Tell an API failure from a sync or store failure by asking the API directly.
  if run diagnose "${CLI[@]}" debug diagnose --test-api --json; then
    check sync fail "the sync failed while the API answers"
    finish "$EXIT_SYNC" "sync failed"
  fi
  check sync fail "the sync failed and the API does not answer"
  finish "$EXIT_API" "sync failed: the API does not answer"
fi
window_start=$(json_number window_start "$WS/sync.out")
window_end=$(json_number window_end "$WS/sync.out")
fetched=$(json_number conversations_fetched "$WS/sync.out")
if [[ $(json_string status "$WS/sync.out") != completed || -z $window_start || -z $fetched ]]; then
  check sync fail "no completed summary from sync --json"
  finish "$EXIT_SYNC" "sync did not report completion"
fi
if ! $REAL && ((fetched == 0)); then
  check sync fail "0 conversations fetched from a simulator holding $CONVERSATIONS"
  finish "$EXIT_SYNC" "the sync fetched nothing"
fi
check sync pass "$fetched conversations, $(json_number api_calls "$WS/sync.out") API calls, $(json_number rate_limited "$WS/sync.out") 429s, $(json_number retries "$WS/sync.out") retries, $(json_number conversations_per_second "$WS/sync.out") conversations/s"
if [[ $INJECT == database ]]; then
  "${HELPER[@]}" "$HELPERS/inject_fault.ts" damage-replies "$WS/data/data.db"
fi

# --- 5. status: the store's own account ------------------------------------------------------
step "status: what the store holds"
if ! run status "${CLI[@]}" status --json; then
  show_tail "$WS/status.err"
  check status fail "status --json failed"
  finish "$EXIT_SYNC" "the store cannot be read"
fi
stored=$(json_number conversations "$WS/status.out")
if [[ $stored != "$fetched" ]]; then
  check status fail "the store holds ${stored:-?} conversations; the sync fetched $fetched"
  finish "$EXIT_SYNC" "the store's count differs from the sync's"
fi
check status pass "$stored conversations, $(json_number parts "$WS/status.out") parts, $(json_number size_bytes "$WS/status.out") bytes"

# --- 6. the store against the source ----------------------------------------------------------
step "compare the store with the source"
verify_args=(--mode "$($REAL && echo sample || echo exact)" --window-start "$window_start"
  --window-end "$window_end" --out "$WS/verify.json")
[[ -n $MAX_CONVERSATIONS ]] && verify_args+=(--max-conversations "$MAX_CONVERSATIONS")
run verify "${HELPER[@]}" "$HELPERS/verify_store.ts" "${verify_args[@]}"
rc=$?
if ((rc != 0)); then
  show_tail "$WS/verify.err" 25
  check store_matches_source fail "$(grep -m 1 '^store vs source' "$WS/verify.err" || tail -n 1 "$WS/verify.err")"
  finish "$rc" "the store does not match the source"
fi
check store_matches_source pass "$(grep -m 1 '^store vs source' "$WS/verify.err")"

# --- 7. MCP through a real client --------------------------------------------------------------
step "MCP: tools/list and every tool through an MCP client"
server=("${CLI[@]}")
[[ $INJECT == mcp ]] && mkdir -p "$WS/empty" && server+=(--data-dir "$WS/empty")
run mcp "${HELPER[@]}" "$HELPERS/mcp_check.ts" --out "$WS/mcp.json" --searches "$SEARCHES" \
  --coverage-start "@$((window_start + 60))" -- "${server[@]}" start
rc=$?
if ((rc != 0)); then
  show_tail "$WS/mcp.err" 25
  check mcp fail "$(grep -m 1 '^MCP' "$WS/mcp.err" || tail -n 1 "$WS/mcp.err")"
  finish "$EXIT_MCP" "the MCP server failed a check"
fi
check mcp pass "$(grep -m 1 '^MCP' "$WS/mcp.err")"

# --- 8. health gate ----------------------------------------------------------------------------
step "debug health --json"
run health "${CLI[@]}" debug health --json
health_rc=$?
"${HELPER[@]}" "$HELPERS/health_verdict.ts" "$WS/health.out" 2>"$WS/health_verdict.err"
rc=$?
if ((rc != 0 || health_rc != 0)); then
  sed 's/^/    /' "$WS/health_verdict.err" >&2
  check health fail "unhealthy (debug health exit $health_rc)"
  finish "$((rc != 0 ? rc : EXIT_SYNC))" "debug health reports unhealthy"
fi
check health pass "healthy ($(json_string checked_at "$WS/health.out"))"

finish 0 ""
