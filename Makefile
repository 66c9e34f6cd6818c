# The two commands: `make run` and `make test`. Everything else is a helper for them.
BUILD_DIR ?= build
DATA_DIR ?= data
LISTEN ?= 127.0.0.1:8080
JOBS ?= 2

.PHONY: run test build bootstrap clean format bench web

bootstrap:
	@scripts/bootstrap

# The agent workspace is built with the server when web/ is there (see web/README.md).
WEB := $(if $(wildcard web/package.json),web)

build: bootstrap $(WEB)
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)

# web/dist: dependencies exactly as web/package-lock.json pins them (npm ci, again only when the
# lock file changes), then the type check and the Vite build.
web: bootstrap web/node_modules/.package-lock.json
	@cd web && npm run --silent build

web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	@cd web && npm ci --no-audit --no-fund
	@touch $@

run: build
	@scripts/run-demo "$(BUILD_DIR)/src/app/steadfast" "$(DATA_DIR)" "$(LISTEN)"

test: build
	@scripts/run-tests "$(BUILD_DIR)"

# Every benchmark workload at 1,000,000 tickets (builds the dataset once, about 7 minutes);
# results are appended to bench/RESULTS.md. See bench/README.md.
bench: build
	@bench/run all --tickets $(or $(TICKETS),1000000)

format:
	@find src tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) web/dist
