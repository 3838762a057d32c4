# Itsm — build, run and test.
#
#   make run     build and start the web app on http://localhost:5080 (SQLite under data/, demo data)
#   make test    install test prerequisites (as root), build once, run every test project against a
#                throwaway PostgreSQL cluster and Debian's Chromium, print "N passed, N failed"
#   make import  import a CMDB file through the API: make import FILE=cmdb.json [URL=…] (see docs/cmdb-import-format.md)
#   make bench   run the benchmarks (if tests/Itsm.Benchmarks exists); make bench ARGS='--filter *Impact*'
#   make clean   remove build output and test results
#
# make test honours: ITSM_TEST_POSTGRES (use that server instead of a throwaway cluster; with it,
# ITSM_TEST_POSTGRES_SUPERUSER, if set, for the few tests that play a superuser session),
# ITSM_CHROMIUM (default /usr/bin/chromium), TEST_ARGS (extra `dotnet test` arguments,
# e.g. TEST_ARGS='--filter FullyQualifiedName~Incident').

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

SOLUTION   := Itsm.sln
WEB        := src/Itsm.Web
BENCH      := tests/Itsm.Benchmarks
RUN_URL    := http://localhost:5080
ARGS       ?=
TEST_ARGS  ?=

.PHONY: help build run test bench import clean

help:
	@sed -n 's/^#   //p' Makefile

build:
	@dotnet build $(SOLUTION) -c Release

run:
	@mkdir -p data
	echo "Itsm on $(RUN_URL)  (SQLite database data/itsm.db, demo data)"
	echo "Demo accounts, all with password Itsm-demo-1:"
	for u in requester agent problemmanager changemanager cabmember engineer admin; do echo "  $$u"; done
	export ASPNETCORE_URLS=$(RUN_URL)
	export ASPNETCORE_ENVIRONMENT=Development
	export Seed__Demo=true
	export Database__Provider=Sqlite
	export ConnectionStrings__Itsm="Data Source=data/itsm.db"
	exec dotnet run --project $(WEB) --no-launch-profile

test:
	@bash scripts/ensure-packages.sh
	dotnet build $(SOLUTION) -c Release
	# Test projects: every csproj under tests/ that is a test project, except the benchmarks.
	projects=()
	while IFS= read -r p; do
	  case "$$p" in */Itsm.Benchmarks/*) continue ;; esac
	  if grep -qE 'Microsoft\.NET\.Test\.Sdk|<IsTestProject>[[:space:]]*true' "$$p"; then projects+=("$$p"); fi
	done < <(find tests -name '*.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | sort)
	mkdir -p TestResults
	results=$$(mktemp -d "$$PWD/TestResults/run.XXXXXX")
	own_pgdir=""
	cleanup() {
	  if [[ -n "$$own_pgdir" ]]; then bash scripts/pg-test-cluster.sh stop "$$own_pgdir" || true; fi
	}
	trap cleanup EXIT
	# Ctrl-C or a kill ends the run (after the running dotnet test returns) and still stops the cluster.
	trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP
	if [[ -z "$${ITSM_TEST_POSTGRES:-}" ]]; then
	  pgenv=$$(bash scripts/pg-test-cluster.sh start --owner $$$$)
	  eval "$$pgenv"
	  own_pgdir=$$ITSM_TEST_PGDIR
	fi
	export ITSM_TEST_POSTGRES
	export ITSM_CHROMIUM="$${ITSM_CHROMIUM:-/usr/bin/chromium}"
	rc=0
	for p in "$${projects[@]}"; do
	  name=$$(basename "$$p" .csproj)
	  code=0
	  dotnet test "$$p" --no-build -c Release \
	    --logger "trx;LogFileName=$$name.trx" --results-directory "$$results" $(TEST_ARGS) || code=$$?
	  # The summary counts a failed run whose .trx shows no failure (e.g. a fixture teardown error, a crash).
	  echo "$$code" >"$$results/$$name.exitcode"
	  [[ $$code -eq 0 ]] || rc=1
	done
	summary_rc=0
	bash scripts/test-summary.sh "$$results" || summary_rc=$$?
	# Keep the .trx files of a failing run for inspection.
	if [[ $$rc -eq 0 && $$summary_rc -eq 0 ]]; then rm -rf "$$results"; fi
	[[ $$rc -eq 0 && $$summary_rc -eq 0 ]]

import:
	@bash scripts/cmdb-import.sh

bench:
	@if [[ ! -d $(BENCH) ]]; then echo "no benchmark project ($(BENCH))"; exit 0; fi
	set -f   # ARGS like --filter *Impact* reach BenchmarkDotNet unexpanded
	dotnet run -c Release --project $(BENCH) -- $(ARGS)

clean:
	@for d in src tests tools; do
	  if [[ -d $$d ]]; then find $$d -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +; fi
	done
	rm -rf TestResults BenchmarkDotNet.Artifacts
