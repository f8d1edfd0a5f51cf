# bench-publish: the time from a save's 200 to the new answer in DNS (median, p99 over 100
# saves) and the publishing throughput with 1,000 names changed at once. bench_publish starts
# its own PowerDNS and mxapid (tests/support/dns_stack); the figures go into bench/RESULTS.md.

BENCH_PUBLISH := $(BUILD)/bench/bench_publish
$(BUILD)/bench/bench_publish.o: EXTRA_CFLAGS = $(CJSON_CFLAGS)
$(BENCH_PUBLISH): $(BUILD)/bench/bench_publish.o $(BUILD)/libtestsupport.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TEST_PKG_LIBS) -lpthread

.PHONY: bench-publish
bench-publish: $(BIN)/mxapid $(BENCH_PUBLISH)
	@MXTUI_BINDIR=$(BIN) timeout 900 $(BENCH_PUBLISH) 100 1000 8

BENCH_RUNS += bench-publish
