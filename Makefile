# Picket's tasks. `make help` lists them; every target with a "## " comment
# is documented there. Tool versions come from go.mod; nothing is fetched
# at @latest.

.DEFAULT_GOAL := help
SHELL := bash

GO      ?= go
BIN     := bin/picket
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# git's empty tree: the base of a root commit.
EMPTY_TREE := 4b825dc642cb6eb9a060e54bf8d69288fbee4904

.PHONY: help build run scan test bench lint generate

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## Build bin/picket (version from git describe)
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/picket

# `run` starts the GitHub App server on embedded defaults: SQLite in
# .picket/, listening on :8080. Without PICKET_APP_ID, PICKET_PRIVATE_KEY and
# PICKET_WEBHOOK_SECRET it still starts, and its home page and log say what
# is missing and how to register the app.
run: build ## Start the GitHub App server on embedded defaults (SQLite, :8080)
	PICKET_DATABASE_URL=$${PICKET_DATABASE_URL:-sqlite:.picket/picket.db} PICKET_LOG_FORMAT=$${PICKET_LOG_FORMAT:-text} ./$(BIN) serve

# `scan` runs picket scan over this repository's own last commit (the
# whole tree for a root commit). Exit code 1 (findings) does not fail it;
# 2 (an error) does.
scan: build ## Scan this repository's last commit with picket scan
	@set +e; \
	base=$$(git rev-parse -q --verify HEAD~1 || echo $(EMPTY_TREE)); \
	./$(BIN) scan --base "$$base" --head HEAD; rc=$$?; \
	if [ $$rc -gt 1 ]; then exit $$rc; fi

# `test` runs the suite against a throwaway PostgreSQL cluster as well as
# SQLite: scripts/postgres.sh starts one (initdb/pg_ctl must be installed)
# and sets PICKET_TEST_POSTGRES_URL and PICKET_REQUIRE_POSTGRES=1, so the
# PostgreSQL half of a test fails rather than skips without it.
test: ## Vet, race-test everything on SQLite and PostgreSQL (import rule included), check deploy/ and that docs/rules.md is fresh; rewrites nothing
	$(GO) vet ./...
	./scripts/postgres.sh $(GO) test -race ./...
	$(MAKE) --no-print-directory deploy-test
	@tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	$(GO) run ./cmd/picket rules --format markdown > "$$tmp" && \
	git diff --no-index --exit-code docs/rules.md "$$tmp" || \
	{ echo "docs/rules.md is stale: run make generate and commit it" >&2; exit 1; }

bench: ## Run the benchmarks (scripts/bench.sh)
	./scripts/bench.sh

lint: ## gofmt -l and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:" >&2; echo "$$out" >&2; exit 1; fi
	$(GO) vet ./...

generate: ## Regenerate docs/rules.md from the rules' metadata
	@tmp=$$(mktemp); trap 'rm -f "$$tmp"' EXIT; \
	$(GO) run ./cmd/picket rules --format markdown > "$$tmp" && cp "$$tmp" docs/rules.md

# deploy-test checks deploy/ with the nested module deploy/test (its own
# go.mod keeps Helm's and Kubernetes' dependencies out of the main module).
# -count=1: the files under check sit outside that module, and a cached
# pass must not hide an edit to them.
.PHONY: deploy-test image
deploy-test: ## Check the Dockerfile, Helm chart, compose file, dashboard and alerts
	cd deploy/test && $(GO) vet ./... && $(GO) test -count=1 ./...

image: ## Build the container image picket:VERSION (needs a Docker engine)
	docker build -f deploy/Dockerfile --build-arg VERSION=$(VERSION) -t picket:$(VERSION) .
