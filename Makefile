# Two-command set-up: `make demo` runs the main job, `make test` builds and
# runs every test.  Both install missing Debian packages first.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DEMO_DIR ?= $(BUILD_DIR)/demo
GAITLSTM = $(BUILD_DIR)/gaitlstm

.PHONY: all deps configure build test test-sanitize fuzz demo bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The Slurm tests run against a single-node cluster started for them
# (scripts/slurm-local.sh via scripts/test.sh) and stopped afterwards.
test: build
	@scripts/test.sh $(BUILD_DIR) $(JOBS)

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer with the
# standard library's assertions, in its own build folder (docs/TESTING.md).
# SANITIZE_CTEST="-L unit" runs one class only.
SANITIZE_DIR ?= build-sanitize
SANITIZE_CTEST ?=
test-sanitize: deps
	@scripts/test-sanitize.sh $(SANITIZE_DIR) $(JOBS) $(SANITIZE_CTEST)

# libFuzzer targets of fuzz/ (clang), each run FUZZ_SECONDS (docs/TESTING.md).
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps.sh --fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh $(FUZZ_DIR)

demo: build
	@scripts/demo.sh $(GAITLSTM) $(DEMO_DIR)

bench: build
	@scripts/bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) $(FUZZ_DIR)
