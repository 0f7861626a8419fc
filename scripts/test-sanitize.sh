#!/usr/bin/env bash
# `make test-sanitize`: builds the project and its tests with AddressSanitizer
# + UndefinedBehaviorSanitizer and the standard library's assertions
# (-D_GLIBCXX_ASSERTIONS) in its own build folder, then runs the suite
# (scripts/test.sh) with every finding fatal.  Extra arguments go to ctest
# (e.g. -L unit).  docs/TESTING.md.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-sanitize}
jobs=${2:-$(nproc)}
shift 2 2>/dev/null || shift $#
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cd "$here"
# -O1 -g: readable reports, quick to compile; assert() stays on (no NDEBUG).
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g" "${launcher[@]}" -DGAITLSTM_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null || exit 1
cmake --build "$build" -j "$jobs" || exit 1
# Every process the tests start (the gaitlstm binary included) inherits
# these: a finding ends it with an error, which fails its test.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=0:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$here/scripts/test.sh" "$build" "$jobs" "$@"
