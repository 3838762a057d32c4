#!/usr/bin/env bash
# Sums the <Counters .../> of VSTest .trx files and prints one line:
#     N passed, N failed[, N skipped]
# Arguments: .trx files and/or directories (searched recursively for *.trx and *.exitcode).
# Exit status: 0 when at least one test passed and none failed, 1 otherwise
# (any failure, or no test ran at all, or no .trx file was found).
#
# "failed" counts failed + error + timeout + aborted, plus the errors of the run
# itself that no test counter shows: a fixture's OneTimeTearDown that throws
# leaves every test "passed" but is reported as a <RunInfo outcome="Error"> and
# makes `dotnet test` exit 1. Each such error counts as one failure and is
# printed above the summary line, so a red run never reads "N passed, 0 failed".
# A NAME.exitcode file (written by `make test`: the exit status of `dotnet test`
# for NAME.csproj) that is not 0 counts as one failure when NAME.trx is missing
# or shows none: the run failed for a reason its results do not record.
#
# "skipped" is everything counted in total that neither passed nor failed: the
# trx logger reports NUnit's ignored and inconclusive tests as total - executed,
# not always in notExecuted.
set -euo pipefail

[[ $# -gt 0 ]] || { echo "usage: $0 DIR|FILE.trx..." >&2; exit 2; }

files=()
exitcodes=()
for arg in "$@"; do
    if [[ -d "$arg" ]]; then
        while IFS= read -r -d '' f; do files+=("$f"); done \
            < <(find "$arg" -type f -name '*.trx' -print0 | sort -z)
        while IFS= read -r -d '' f; do exitcodes+=("$f"); done \
            < <(find "$arg" -type f -name '*.exitcode' -print0 | sort -z)
    elif [[ -f "$arg" ]]; then
        files+=("$arg")
    fi
done

# One trx: prints "error: ..." lines for run-level errors, then "COUNTS passed failed skipped".
# Records split on '<' so an element may span lines; attributes parsed by name.
count_trx() {
    awk -v RS='<' -v name="$(basename "$1" .trx)" '
        function attr(rec, key,    re, m) {
            re = "[ \t\r\n]" key "=\"[0-9]+\""
            if (match(rec, re)) {
                m = substr(rec, RSTART, RLENGTH)
                sub(/^[^"]*"/, "", m); sub(/"$/, "", m)
                return m + 0
            }
            return 0
        }
        function unescape(s) {
            gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&amp;/, "\\&", s)
            return s
        }
        /^Counters[ \t\r\n]/ {
            t = attr($0, "total")
            p = attr($0, "passed")
            f = attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
            s = t - p - f
            if (s < 0) s = 0
            passed += p; failed += f; skipped += s
        }
        /^ResultSummary[ \t\r\n]/ && /outcome="(Failed|Error|Aborted|Timeout)"/ { red = 1 }
        /^RunInfo[ \t\r\n]/ { in_error = ($0 ~ /outcome="Error"/) }
        /^Text>/ && in_error {
            text = substr($0, 6); sub(/\r?\n.*/, "", text)
            texts[++n] = unescape(text)
            in_error = 0
        }
        END {
            # NUnit reports a failed fixture teardown as a header ("TearDown failed for test fixture X") followed by
            # the exception: count the headers when there are any, else each error once.
            headers = 0
            for (i = 1; i <= n; i++) if (texts[i] ~ /failed for test fixture/) headers++
            errors = 0
            for (i = 1; i <= n; i++) {
                if (headers > 0 && texts[i] !~ /failed for test fixture/) { print "error: " name ": " texts[i]; continue }
                print "error: " name ": " texts[i] " (counted as failed)"
                errors++
            }
            # A red run that counted no failure and gave no reason still failed.
            if (red && failed + errors == 0) { print "error: " name ": the run failed without a failed test (counted as failed)"; errors = 1 }
            printf "COUNTS %d %d %d\n", passed, failed + errors, skipped
        }
    ' "$1"
}

passed=0; failed=0; skipped=0
[[ ${#files[@]} -gt 0 ]] || echo "error: no test results (.trx) found"
declare -A failed_in=()
for f in "${files[@]}"; do
    while IFS= read -r line; do
        if [[ "$line" == COUNTS\ * ]]; then
            read -r _ p fl s <<<"$line"
            passed=$((passed + p)); failed=$((failed + fl)); skipped=$((skipped + s))
            failed_in[$(basename "$f" .trx)]=$(( ${failed_in[$(basename "$f" .trx)]:-0} + fl ))
        else
            echo "$line"
        fi
    done < <(count_trx "$f")
done

for e in "${exitcodes[@]}"; do
    name=$(basename "$e" .exitcode)
    code=$(tr -dc '0-9' <"$e")
    if [[ "${code:-1}" != 0 && "${failed_in[$name]:-0}" -eq 0 ]]; then
        echo "error: $name: dotnet test exited ${code:-?} and its results show no failure (counted as failed)"
        failed=$((failed + 1))
    fi
done

line="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && line+=", $skipped skipped"
echo "$line"
[[ $failed -eq 0 && $((passed + failed)) -gt 0 ]]
