# The two commands: `make run` and `make test`. Everything else is a helper for them.
BUILD_DIR ?= build
DATA_DIR ?= data
LISTEN ?= 127.0.0.1:8080
JOBS ?= 2

.PHONY: run test build bootstrap clean format bench

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR) -j$(JOBS)

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
	rm -rf $(BUILD_DIR)
