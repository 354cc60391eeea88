#!/bin/sh
# Completes Metabase's first-run setup through its REST API, adds the Trino connection and a
# starter dashboard. Idempotent: run it again and it logs in, finds what exists and adds only what
# is missing. Everything is configured by environment (defaults are the local demo values).
set -eu

MB_URL="${MB_URL:-http://metabase:3000}"
MB_ADMIN_EMAIL="${MB_ADMIN_EMAIL:-admin@lakehouse.local}"
MB_ADMIN_PASSWORD="${MB_ADMIN_PASSWORD:-lakehouse1}"
MB_SITE_NAME="${MB_SITE_NAME:-Lakehouse}"
TRINO_HOST="${TRINO_HOST:-trino}"
TRINO_PORT="${TRINO_PORT:-8080}"
TRINO_USER="${TRINO_USER:-metabase}"
TRINO_CATALOG="${TRINO_CATALOG:-iceberg}"
DB_NAME="${MB_DATABASE_NAME:-Lakehouse (Trino)}"
DASHBOARD_NAME="${MB_DASHBOARD_NAME:-Lakehouse overview}"
MB_PUBLIC_URL="${MB_PUBLIC_URL:-http://localhost:3001}"

log() { printf 'provision-metabase: %s\n' "$*" >&2; }
# (printf, never echo, for JSON: some sh builtins' echo turns the "\n" inside JSON strings into newlines)

# curl wrapper: api METHOD PATH [JSON]; prints the body, fails on HTTP >= 400 with the body logged.
api() {
  method="$1"; path="$2"; body="${3:-}"
  out="$(mktemp)"
  if [ -n "$body" ]; then
    code="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$MB_URL$path" \
      -H 'Content-Type: application/json' ${SESSION:+-H "X-Metabase-Session: $SESSION"} --data "$body")"
  else
    code="$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$MB_URL$path" \
      ${SESSION:+-H "X-Metabase-Session: $SESSION"})"
  fi
  if [ "$code" -ge 400 ]; then
    log "$method $path -> HTTP $code: $(cat "$out")"
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

SESSION=""

log "waiting for $MB_URL/api/health"
i=0
until curl -sf "$MB_URL/api/health" | grep -q '"ok"'; do
  i=$((i + 1))
  [ "$i" -le 180 ] || { log "Metabase not healthy after 6 minutes"; exit 1; }
  sleep 2
done

props="$(api GET /api/session/properties)"
if [ "$(printf '%s\n' "$props" | jq -r '."has-user-setup"')" != "true" ]; then
  token="$(printf '%s\n' "$props" | jq -r '."setup-token"')"
  log "first run: creating the admin user $MB_ADMIN_EMAIL"
  api POST /api/setup "$(jq -n --arg t "$token" --arg e "$MB_ADMIN_EMAIL" --arg p "$MB_ADMIN_PASSWORD" \
    --arg s "$MB_SITE_NAME" \
    '{token: $t, user: {first_name: "Lakehouse", last_name: "Admin", email: $e, password: $p, site_name: $s},
      prefs: {site_name: $s, site_locale: "en", allow_tracking: false}}')" >/dev/null
fi

SESSION="$(api POST /api/session "$(jq -n --arg u "$MB_ADMIN_EMAIL" --arg p "$MB_ADMIN_PASSWORD" \
  '{username: $u, password: $p}')" | jq -r '.id')"
[ -n "$SESSION" ] && [ "$SESSION" != "null" ] || { log "login failed"; exit 1; }

# GET /api/database answers {data: [...]} (older versions: a bare array)
db_id="$(api GET /api/database | jq --arg n "$DB_NAME" \
  '(if type == "array" then . else .data end) | map(select(.name == $n)) | (.[0].id // empty)')"
if [ -z "$db_id" ]; then
  log "adding the Trino connection $DB_NAME ($TRINO_HOST:$TRINO_PORT, catalog $TRINO_CATALOG)"
  db_id="$(api POST /api/database "$(jq -n --arg n "$DB_NAME" --arg h "$TRINO_HOST" \
    --argjson port "$TRINO_PORT" --arg u "$TRINO_USER" --arg c "$TRINO_CATALOG" \
    '{engine: "starburst", name: $n, is_full_sync: true,
      details: {host: $h, port: $port, catalog: $c, user: $u, ssl: false}}')" | jq '.id')"
fi
log "Trino database id: $db_id"

existing_cards="$(api GET '/api/card?f=all')"

# card NAME DISPLAY SQL -> prints the card id (creates the card if no card has that name)
card() {
  id="$(printf '%s\n' "$existing_cards" | jq --arg n "$1" 'map(select(.name == $n and (.archived | not))) | (.[0].id // empty)')"
  if [ -z "$id" ]; then
    log "creating card: $1"
    id="$(api POST /api/card "$(jq -n --arg n "$1" --arg d "$2" --arg q "$3" --argjson db "$db_id" \
      '{name: $n, display: $d, visualization_settings: {},
        dataset_query: {type: "native", database: $db, native: {query: $q}}}')" | jq '.id')"
  fi
  [ -n "$id" ] && [ "$id" != "null" ] || { log "no id for card $1"; exit 1; }
  printf '%s\n' "$id"
}

raw="$(card 'Raw rows (raw_data)' bar "SELECT 'users' AS table_name, count(*) AS row_count FROM iceberg.raw_data.users
UNION ALL SELECT 'accounts', count(*) FROM iceberg.raw_data.accounts")"
parsed="$(card 'Parsed rows (parsed_data)' bar "SELECT 'parsed_users' AS table_name, count(*) AS row_count FROM iceberg.parsed_data.parsed_users
UNION ALL SELECT 'parsed_accounts', count(*) FROM iceberg.parsed_data.parsed_accounts")"
vault="$(card 'Data Vault rows (data_vault)' bar "SELECT 'h_users' AS table_name, count(*) AS row_count FROM iceberg.data_vault.h_users
UNION ALL SELECT 'h_accounts', count(*) FROM iceberg.data_vault.h_accounts
UNION ALL SELECT 'l_users_accounts', count(*) FROM iceberg.data_vault.l_users_accounts
UNION ALL SELECT 's_users', count(*) FROM iceberg.data_vault.s_users
UNION ALL SELECT 's_accounts', count(*) FROM iceberg.data_vault.s_accounts")"
users="$(card 'Latest users' table "SELECT * FROM iceberg.data_vault.v_users_current LIMIT 200")"
accounts="$(card 'Latest accounts' table "SELECT * FROM iceberg.data_vault.v_accounts_current LIMIT 200")"

dash_id="$(api GET /api/dashboard | jq --arg n "$DASHBOARD_NAME" \
  'map(select(.name == $n and (.archived | not))) | (.[0].id // empty)')"
if [ -z "$dash_id" ]; then
  log "creating dashboard: $DASHBOARD_NAME"
  dash_id="$(api POST /api/dashboard "$(jq -n --arg n "$DASHBOARD_NAME" \
    '{name: $n, description: "Row counts per layer and the current users and accounts (provisioned by docker/metabase/provision.sh)."}')" \
    | jq '.id')"
  # new dashcards carry negative ids; the grid is 24 columns wide
  api PUT "/api/dashboard/$dash_id" "$(jq -n --argjson r "$raw" --argjson p "$parsed" --argjson v "$vault" \
    --argjson u "$users" --argjson a "$accounts" \
    '{dashcards: [
       {id: -1, card_id: $r, row: 0,  col: 0,  size_x: 8,  size_y: 6},
       {id: -2, card_id: $p, row: 0,  col: 8,  size_x: 8,  size_y: 6},
       {id: -3, card_id: $v, row: 0,  col: 16, size_x: 8,  size_y: 6},
       {id: -4, card_id: $u, row: 6,  col: 0,  size_x: 24, size_y: 8},
       {id: -5, card_id: $a, row: 14, col: 0,  size_x: 24, size_y: 8}]}')" >/dev/null
fi
log "done: dashboard $MB_PUBLIC_URL/dashboard/$dash_id (log in as $MB_ADMIN_EMAIL)"
