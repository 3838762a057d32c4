#!/usr/bin/env bash
# Sums the <Counters .../> of VSTest .trx files and prints one line:
#     N passed, N failed[, N skipped]
# Arguments: .trx files and/or directories (searched recursively for *.trx).
# Exit status: 0 when at least one test passed and none failed, 1 otherwise
# (any failure, or no test ran at all, or no .trx file was found).
#
# "failed" counts failed + error + timeout + aborted. "skipped" is everything
# counted in total that neither passed nor failed: the trx logger reports
# NUnit's ignored and inconclusive tests as total - executed, not always in
# notExecuted.
set -euo pipefail

[[ $# -gt 0 ]] || { echo "usage: $0 DIR|FILE.trx..." >&2; exit 2; }

files=()
for arg in "$@"; do
    if [[ -d "$arg" ]]; then
        while IFS= read -r -d '' f; do files+=("$f"); done \
            < <(find "$arg" -type f -name '*.trx' -print0 | sort -z)
    elif [[ -f "$arg" ]]; then
        files+=("$arg")
    fi
done

if [[ ${#files[@]} -eq 0 ]]; then
    echo "0 passed, 0 failed"
    exit 1
fi

# Records split on '<' so the element may span lines; attributes parsed by name.
awk -v RS='<' '
    function attr(rec, name,    re, m) {
        re = "[ \t\r\n]" name "=\"[0-9]+\""
        if (match(rec, re)) {
            m = substr(rec, RSTART, RLENGTH)
            sub(/^[^"]*"/, "", m); sub(/"$/, "", m)
            return m + 0
        }
        return 0
    }
    /^Counters[ \t\r\n]/ {
        t = attr($0, "total")
        p = attr($0, "passed")
        f = attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
        s = t - p - f
        if (s < 0) s = 0
        passed += p; failed += f; skipped += s
    }
    END {
        line = sprintf("%d passed, %d failed", passed, failed)
        if (skipped > 0) line = line sprintf(", %d skipped", skipped)
        print line
        exit (failed > 0 || passed + failed == 0) ? 1 : 0
    }
' "${files[@]}"
