# Thin wrapper over CMake. `make demo` builds in Release and runs the main job on the
# bundled data; `make test` builds and runs every test, then again under ASan + UBSan.

BUILD_DIR ?= build/release
ASAN_DIR  ?= build/asan
FUZZ_DIR  ?= build/fuzz
FUZZ_SECONDS ?= 60
JOBS      ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build demo test test-release test-asan bench fuzz format tidy clean

all: build

deps:
	./scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRANCHE_WERROR=ON $(CMAKE_FLAGS)

$(ASAN_DIR)/build.ninja:
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DTRANCHE_SANITIZE=ON \
	  -DTRANCHE_BUILD_BENCH=OFF -DTRANCHE_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	./scripts/demo $(BUILD_DIR)/tranche

# The store's tests run against SQLite and against a throwaway PostgreSQL server.
test-release: build
	./scripts/with-postgres ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

test-asan: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ./scripts/with-postgres ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS)

test: test-release test-asan

bench: build
	$(BUILD_DIR)/bench/tranche_bench

# Explores new inputs for each parser's fuzz target with libFuzzer (clang), FUZZ_SECONDS each,
# then merges into fuzz/corpus/<name> only the inputs that reach new code (`make test`
# replays that corpus).
fuzz:
	./scripts/install-deps fuzz
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DTRANCHE_FUZZ=ON -DTRANCHE_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(patsubst fuzz/%_fuzz.cpp,tranche_fuzz_%,$(wildcard fuzz/*_fuzz.cpp))
	for source in fuzz/*_fuzz.cpp; do \
	  name=$$(basename $$source _fuzz.cpp); fuzzer=$(FUZZ_DIR)/fuzz/tranche_fuzz_$$name; \
	  rm -rf $(FUZZ_DIR)/found/$$name && mkdir -p $(FUZZ_DIR)/found/$$name; \
	  $$fuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -artifact_prefix=$(FUZZ_DIR)/ \
	    $(FUZZ_DIR)/found/$$name fuzz/corpus/$$name || exit 1; \
	  $$fuzzer -merge=1 fuzz/corpus/$$name $(FUZZ_DIR)/found/$$name 2>/dev/null || exit 1; \
	done

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy: $(BUILD_DIR)/build.ninja
	git ls-files 'src/*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet --extra-arg=-Wno-unknown-warning-option

clean:
	rm -rf build
