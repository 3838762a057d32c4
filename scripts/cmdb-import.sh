#!/usr/bin/env bash
# Imports a CMDB file (docs/cmdb-import-format.md) through the API: `make import FILE=estate.json`.
#
#   FILE           the file: *.json, or *.csv with ROWS=cis or ROWS=relationships
#   URL            the app (default http://localhost:5080)
#   SOURCE, REASON the import's source and why (optional; a JSON document may carry its own)
#   ITSM_TOKEN     an API token of an Engineer or Admin; without it the script signs in as ITSM_USER (default
#                  engineer) with ITSM_PASSWORD, or asks for the password (never taken on the command line)
#
# Prints the import's answer (created, updated, unchanged and rejected rows, each rejection with its reason) and
# exits 1 when the server refused the file or rejected a row.
set -euo pipefail

file=${FILE:?"Give the file: make import FILE=path/to/cmdb.json (or a .csv with ROWS=cis or ROWS=relationships)"}
url=${URL:-http://localhost:5080}
[[ -r "$file" ]] || { echo "cmdb-import: cannot read $file" >&2; exit 2; }
for tool in curl python3; do command -v "$tool" >/dev/null || { echo "cmdb-import: needs $tool" >&2; exit 2; }; done

params=()
case "$file" in
  *.json) type=application/json ;;
  *.csv) type="text/csv; charset=utf-8"; params+=("rows=${ROWS:?"A CSV file holds one kind of row: add ROWS=cis or ROWS=relationships"}") ;;
  *) echo "cmdb-import: $file is neither .json nor .csv" >&2; exit 2 ;;
esac
[[ -n "${SOURCE:-}" ]] && params+=("source=$SOURCE")
[[ -n "${REASON:-}" ]] && params+=("reason=$REASON")
query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlencode([a.split("=", 1) for a in sys.argv[1:]]))' "${params[@]}")

token=${ITSM_TOKEN:-}
if [[ -z "$token" ]]; then
  user=${ITSM_USER:-engineer}
  password=${ITSM_PASSWORD:-}
  if [[ -z "$password" ]]; then read -rsp "Password for $user: " password; echo >&2; fi
  # The credentials travel on stdin, never in the process list.
  answer=$(USER_NAME="$user" PASSWORD="$password" python3 -c \
      'import json, os; print(json.dumps({"userName": os.environ["USER_NAME"], "password": os.environ["PASSWORD"], "name": "cmdb-import"}))' |
    curl -sS -X POST "$url/api/v1/auth/token" -H 'Content-Type: application/json' --data-binary @-)
  token=$(python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))' <<<"$answer" 2>/dev/null || true)
  [[ -n "$token" ]] || { echo "cmdb-import: sign-in refused: $answer" >&2; exit 1; }
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
# The token goes in a header read from stdin (curl -H @-), so it does not show in the process list either.
status=$(printf 'Authorization: Bearer %s\n' "$token" |
  curl -sS -o "$out" -w '%{http_code}' -X POST "$url/api/v1/cmdb/import${query:+?$query}" \
    -H @- -H "Content-Type: $type" --data-binary "@$file")
python3 -m json.tool "$out" 2>/dev/null || cat "$out"
[[ "$status" == 200 ]] || { echo "cmdb-import: HTTP $status" >&2; exit 1; }
python3 -c 'import json, sys; sys.exit(1 if json.load(open(sys.argv[1])).get("rejections") else 0)' "$out"
