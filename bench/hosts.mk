# bench-hosts: the time to validate one million host names (api/mx_rules); the figure goes
# into bench/RESULTS.md.

BENCH_HOSTS := $(BUILD)/bench/bench_hosts
$(BUILD)/bench/bench_hosts.o: EXTRA_CFLAGS = $(IDN2_CFLAGS)
$(BENCH_HOSTS): $(BUILD)/bench/bench_hosts.o $(LIBMXAPI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(API_CORE_LIBS)

.PHONY: bench-hosts
bench-hosts: $(BENCH_HOSTS)
	@$(BENCH_HOSTS) 1000000
BENCH_RUNS += bench-hosts
