# smtplay — one entry point: make, make run, make test, make bench, make fuzz, make clean.

GO       ?= go
WASMDIR  := $(shell $(GO) env GOROOT)/lib/wasm
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LISTEN   ?= 127.0.0.1:8080
# The js/wasm tests run under Node with Go's own runner; Node 20 needs the flag for WebSocket.
WASMTEST := PATH="$(WASMDIR):$$PATH" NODE_OPTIONS=--experimental-websocket GOOS=js GOARCH=wasm $(GO) test
# Fuzzing is bounded by executions, not time: with a -fuzztime duration, Go's
# fuzzing coordinator can report "context deadline exceeded" at the deadline
# with no failing input (golang/go#75804, fixed after Go 1.26), most often on
# a loaded machine. Minimizing an input found is bounded the same way.
FUZZTIME ?= 30000x
FUZZMINIMIZE ?= 2000x

GOFILES  := $(shell find . -name '*.go' -not -path './build/*' -not -path './e2e/*' -not -path './deploy/*') go.mod go.sum
PAGE     := $(shell find static -type f -not -name main.wasm -not -name wasm_exec.js -not -name sandbox.wasm -not -path 'static/dist/*')
# The built page smtplay embeds (internal/pagebuild): index.html and a/<hash>/…, with .br and .gz copies.
DIST     := static/dist/index.html

# The main module, and the end-to-end tests' own module (e2e/: chromedp
# stays out of the main module's requirements).
E2E      := cd e2e &&

.PHONY: all run deps test test-short test-unit test-e2e test-wasm test-fuzz bench fuzz soak clean

all: bin/smtplay

static/main.wasm: $(GOFILES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm

static/wasm_exec.js: $(WASMDIR)/wasm_exec.js
	cp $< $@

# The page, built once: content-hashed paths, brotli and gzip copies. The
# copies of unchanged files are kept from the last build. smtplay does not
# carry the in-page sandbox: the static build below does.
$(DIST): static/main.wasm static/wasm_exec.js $(PAGE) $(shell find internal/pagebuild -name "*.go")
	$(GO) run ./internal/pagebuild/cmd/pagebuild -src static -out static/dist -skip sandbox.wasm

# The in-page sandbox (wasm/sandboxworker), run in a Web Worker by
# static/sandboxworker.js: the page fetches it only when no smtplay server
# answers, or with #offline.
static/sandbox.wasm: $(GOFILES)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./wasm/sandboxworker

## static: the whole playground as files for any static host, in build/static/ (content-hashed, .br/.gz beside them, the in-page sandbox included; serve index.html revalidated, a/ as immutable)
# STATIC_EMBED_ORIGINS: the course pages (origins, space-separated) whose
# embed.html frames may take commands; it goes into build/static/settings.json.
STATIC_EMBED_ORIGINS ?=
.PHONY: static static-plain
static: static/main.wasm static/wasm_exec.js static/sandbox.wasm $(PAGE)
	$(GO) run ./internal/pagebuild/cmd/pagebuild -src static -out build/static
	$(GO) run ./internal/staticsite/cmd/staticsite -dir build/static -embed-origins "$(STATIC_EMBED_ORIGINS)"

# static-plain: the same files uncompressed and unhashed, quick to make (the offline browser test serves it).
static-plain: static/main.wasm static/wasm_exec.js static/sandbox.wasm $(PAGE)
	rm -rf build/static-plain && mkdir -p build/static-plain
	cd static && cp -R index.html *.js *.css main.wasm sandbox.wasm i18n lessons ../build/static-plain/
	$(GO) run ./internal/staticsite/cmd/staticsite -dir build/static-plain -embed-origins "$(STATIC_EMBED_ORIGINS)"

# Static (no cgo): the same binary runs on any Linux, in a distroless image too.
bin/smtplay: $(DIST) $(GOFILES)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '-X main.version=$(VERSION)' -o $@ ./proxy

## run: start the playground on the built-in sandbox and print its URL
run: bin/smtplay
	./bin/smtplay -listen $(LISTEN)

## course: the example course page (examples/course) on $(COURSE_LISTEN), embedding two playgrounds served on $(LISTEN)
# SMTPLAY_URL and COURSE_URL are the two as the browser reaches them (set them when a LISTEN is :port or 0.0.0.0:port).
COURSE_LISTEN ?= 127.0.0.1:8081
SMTPLAY_URL   ?= http://$(LISTEN)/
COURSE_URL    ?= http://$(COURSE_LISTEN)
.PHONY: course
course: bin/smtplay
	@./bin/smtplay -listen $(LISTEN) -allow-origin $(COURSE_URL) -lesson-origin $(COURSE_URL) & pid=$$!; \
	trap "kill $$pid" EXIT INT TERM; \
	$(GO) run ./examples/course -listen $(COURSE_LISTEN) -dir examples/course -smtplay $(SMTPLAY_URL)

## static-course: examples/static-course on http://localhost:8001/ driving make static's build on http://127.0.0.1:8000/ (python3 http.server, both)
.PHONY: static-course
static-course:
	$(MAKE) static STATIC_EMBED_ORIGINS=http://localhost:8001
	@python3 -m http.server --bind 127.0.0.1 --directory build/static 8000 & pid=$$!; \
	trap "kill $$pid" EXIT INT TERM; \
	python3 -m http.server --bind 127.0.0.1 --directory examples/static-course 8001

## deps: install the programs the tests drive (chromium, swaks, nginx, php, …) with apt-get, or name them
deps:
	@sh e2e/deps.sh

## test: everything CI runs: vet, unit, end-to-end and browser tests (race), js/wasm tests, short fuzzing
test: deps bin/smtplay test-unit test-e2e test-wasm test-fuzz test-deploy

## test-short: the fast inner loop: every module's tests without the browser, load and real-client ones
test-short: $(DIST)
	$(GO) test -short ./...
	$(E2E) $(GO) test -short ./...

test-unit:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	$(GO) test -race -count=1 ./...

# The browser tests run without the race detector: Chromium is what they
# wait for, and every server path they drive runs under -race elsewhere.
# static: the browser tests serve make static's build (the first one compresses for a while).
test-e2e: bin/smtplay static
	$(E2E) $(GO) vet ./...
	$(E2E) $(GO) test -race -count=1 $$($(GO) list ./... | grep -v /e2e/browser)
	$(E2E) $(GO) test -count=1 ./browser/

## test-browser: only the page end to end in headless Chromium (test-e2e runs these too; skips without chromium, fails under CI=true)
.PHONY: test-browser screenshots
test-browser: $(DIST) static
	$(E2E) $(GO) test -count=1 ./browser/

## screenshots: the browser tests' screenshots, at 1280 and 375 px, light and dark, in build/screenshots/
screenshots: $(DIST)
	rm -rf build/screenshots
	$(E2E) SMTPLAY_SCREENSHOTS=$(CURDIR)/build/screenshots $(GO) test -count=1 ./browser/
	@ls build/screenshots

test-wasm:
	$(WASMTEST) -count=1 ./wasm/... ./internal/pagejson

# Short runs of every fuzz target; `make fuzz` runs them longer.
FUZZ_TARGETS := ./proxy/tunnel:FuzzSplitLines ./wire:FuzzDecodeClient ./wire:FuzzDecodeServer ./wasm/session:FuzzParseReply ./wasm/session:FuzzParseCommand ./internal/pagejson:FuzzCodec ./wasm/rfc2047:FuzzEncodeLikeMime ./wasm/rfc2047:FuzzDecodeLikeMime
test-fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=$(FUZZMINIMIZE) $$pkg || exit 1; \
	done

fuzz:
	$(MAKE) test-fuzz FUZZTIME=3000000x

# The load tests at full size: 1,000 concurrent sessions × 20 messages each,
# and a minute's flood from one address at -memory-limit 512MiB (e2e/load/flood_test.go).
soak:
	$(E2E) SMTPLAY_LOAD=1000x20 $(GO) test -count=1 -run TestLoad -v -timeout 20m ./load/

bench: bin/smtplay
	@mkdir -p build
	$(GO) test -p=1 -run='^$$' -bench=. -benchmem -count=5 -timeout=60m ./... 2>&1 | tee build/bench.txt
	$(E2E) $(GO) test -p=1 -run='^$$' -bench=. -benchmem -count=5 -timeout=60m ./... 2>&1 | tee -a ../build/bench.txt
	@echo; echo "medians of build/bench.txt (e2e/bench/bench_test.go explains the benchmarks):"
	@cd e2e/bench && $(GO) test -run='^TestBenchSummary$$' -args -bench-summary=../../build/bench.txt
	@$(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da build/bench.txt

## image: the container image smtplay:$(VERSION) (deploy/container/Containerfile) from bin/smtplay
.PHONY: image test-deploy
image: bin/smtplay
	docker build -f deploy/container/Containerfile -t smtplay:$(VERSION) .

## test-deploy: the Kubernetes manifests against the official API types (their own Go module, so the main one gains no k8s dependencies)
# The modules are fetched first; the check itself then runs with the proxy off.
test-deploy:
	cd deploy/kubernetes/validate && $(GO) mod download && \
		GOPROXY=off $(GO) vet ./... && GOPROXY=off $(GO) test -count=1 ./...

clean:
	rm -rf bin build static/main.wasm static/wasm_exec.js static/sandbox.wasm static/dist/a static/dist/index.html*
