# Two-command set-up: `make demo` runs the main job, `make test` builds and
# runs every test.  Both install missing Debian packages first.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
DEMO_DIR ?= $(BUILD_DIR)/demo
GAITLSTM = $(BUILD_DIR)/gaitlstm

.PHONY: all deps configure build test demo bench clean

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

demo: build
	@scripts/demo.sh $(GAITLSTM) $(DEMO_DIR)

bench: build
	@scripts/bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
