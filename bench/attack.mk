# bench/attack.mk: `make bench-attack` measures mxapid under the loads of issue 11 — GET while
# DNS checks wait on a silent resolver (bench_checks), 8 writers (bench_put), slow clients
# (bench_slow); bench/attack.sh writes the figures and the commands into bench/RESULTS.md.

BENCH_CHECKS := $(BUILD)/bench/bench_checks
BENCH_SLOW := $(BUILD)/bench/bench_slow

$(BUILD)/bench/bench_checks.o $(BUILD)/bench/bench_slow.o: EXTRA_CFLAGS = $(CJSON_CFLAGS)
$(BENCH_CHECKS): $(BUILD)/bench/bench_checks.o $(BUILD)/libtestsupport.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(CJSON_LIBS)
$(BENCH_SLOW): $(BUILD)/bench/bench_slow.o $(BUILD)/libtestsupport.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(CJSON_LIBS)

.PHONY: bench-attack
# bench_put by its path: BENCH_PUT comes from bench/server.mk, read after this file, and a
# rule's prerequisites are expanded when it is read (it was empty here, so a clean tree failed).
bench-attack: $(BIN)/mxapid $(BENCH_CHECKS) $(BENCH_SLOW) $(BUILD)/bench/bench_put
	@timeout 900 sh bench/attack.sh $(BIN) $(BUILD)

BENCH_RUNS += bench-attack
