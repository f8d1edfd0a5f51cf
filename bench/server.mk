# bench/server.mk: `make bench` measures mxapid — wrk against GET /v1/domains/{name}/mx, a PUT
# stream with correct If-Match (bench_put), and the memory of the server with bulk:100000.
# bench/server.sh writes the figures and the commands into bench/RESULTS.md.

BENCH_PUT := $(BUILD)/bench/bench_put
BENCH_PUT_OBJ := $(BUILD)/bench/bench_put.o

$(BENCH_PUT_OBJ): EXTRA_CFLAGS = $(CJSON_CFLAGS)
$(BENCH_PUT): $(BENCH_PUT_OBJ) $(BUILD)/libtestsupport.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(CJSON_LIBS) -lpthread

.PHONY: bench-server
bench-server: $(BIN)/mxapid $(BENCH_PUT)
	@timeout 900 sh bench/server.sh $(BIN) $(BUILD)

BENCH_RUNS += bench-server
