# mxtui — one non-recursive Makefile. Each folder adds its sources, binaries and tests in its
# own module.mk; this file only ties them together. `make help` lists the targets.

.DEFAULT_GOAL := all
include mk/config.mk

BINS :=          # programs under $(BIN)/
TEST_BINS :=     # Criterion test programs, run by `make test`
FUZZ_TARGETS :=  # names of libFuzzer targets: tests/fuzz/NAME.c
FUZZ_SRCS_ALL := # library sources the fuzz targets link (built again with clang)
TEST_PROGRAMS := # helper programs only tests use (not installed), e.g. the widget gallery
BENCH_RUNS :=    # phony targets that run one benchmark each (bench/*.mk)
SCREENSHOT_RUNS := # phony targets that regenerate part of screenshots/

-include api/client.mk
-include api/module.mk
-include widgets/module.mk
-include server/module.mk
-include tui/module.mk
-include $(wildcard cli/*.mk)
-include $(wildcard bench/*.mk)
-include tests/module.mk

PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 20
CLANG ?= clang

.PHONY: all deps test check run asan fuzz lint format install clean help screenshots bench

all: $(BINS)

help:
	@echo "make            build every program into $(BIN)/"
	@echo "make deps       install missing packages (apt-get, as root)"
	@echo "make test       install what is missing, build, run every test"
	@echo "make run        start mxapid with the demo data and open mxtui"
	@echo "make asan       every test under AddressSanitizer + UBSan"
	@echo "make fuzz       build the libFuzzer targets and run each FUZZ_SECONDS"
	@echo "make lint       cppcheck and clang-tidy"
	@echo "make format     clang-format every C file"
	@echo "make screenshots  regenerate screenshots/"
	@echo "make bench      run the benchmarks in bench/"
	@echo "make install    install into DESTDIR/PREFIX"

deps:
	@sh mk/deps.sh

# The build runs in a second make so that pkg-config sees what `deps` just installed.
test: deps
	@$(MAKE) --no-print-directory all tests
	@BIN=$(BIN) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BIN=$(BUILD)/fuzz TEST_OUT=$(BUILD)/test-results \
		sh tests/run.sh $(TEST_BINS)

check: test

tests: $(TEST_BINS) $(TEST_PROGRAMS) $(if $(filter true,$(CI)),fuzz-build)

run: deps
	@$(MAKE) --no-print-directory all
	@sh mk/run.sh

asan: deps
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	$(MAKE) --no-print-directory BUILD=build/asan BIN=bin/asan OPT="-O1 -g -fno-omit-frame-pointer" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" FUZZ_SECONDS=0 test

FUZZ_FLAGS = -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined $(CPPFLAGS_ALL) \
	$(CJSON_CFLAGS) $(IDN2_CFLAGS) $(ICU_CFLAGS) $(CURL_CFLAGS)
FUZZ_LIBS = $(CJSON_LIBS) $(IDN2_LIBS) $(ICU_LIBS) $(CURL_LIBS) -lpthread
FUZZ_EXES := $(addprefix $(BUILD)/fuzz/,$(FUZZ_TARGETS))

$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS_ALL)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRCS_ALL) $(FUZZ_LIBS)

.PHONY: fuzz-build
fuzz-build: $(FUZZ_EXES)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s"; \
		mkdir -p $(BUILD)/fuzz/corpus-$$t; \
		$(BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/corpus-$$t tests/fuzz/corpus/$$t || exit 1; \
	done

LINT_SRCS = $(shell git ls-files '*.c' 2>/dev/null)
# cppcheck reads no system headers; tests/cppcheck.cfg tells it what Criterion's Test()/TestSuite()/
# cr_assert*() and cJSON_ArrayForEach() expand to, so test bodies are checked, not skipped.
# clang-tidy runs once per file: clang-tidy 14 given several files keeps some analyser state from
# the first one (its va_list checker then misses va_start and reports an uninitialised va_list).
lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--inline-suppr --std=c11 -D_POSIX_C_SOURCE=200809L --library=tests/cppcheck.cfg -I. \
		$(LINT_SRCS)
	printf '%s\n' $(LINT_SRCS) | xargs -I{} clang-tidy --quiet {} -- -std=c17 $(CPPFLAGS_ALL) \
		$(CJSON_CFLAGS) $(CRITERION_CFLAGS) $(OATH_CFLAGS) $(NCURSES_CFLAGS) $(CURL_CFLAGS) \
		$(VTERM_CFLAGS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	if [ -d docs/man ]; then install -d $(DESTDIR)$(PREFIX)/share/man/man1 && \
		install -m 644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/; fi
	for l in $(PO_LANGS); do install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
		install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/mxtui.mo \
			$(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; done

clean:
	rm -rf build bin

bench: deps
	@$(MAKE) --no-print-directory all bench-run
.PHONY: bench-run screenshots-run
bench-run: $(BENCH_RUNS)

screenshots: deps
	@$(MAKE) --no-print-directory all screenshots-run
screenshots-run: $(SCREENSHOT_RUNS)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
