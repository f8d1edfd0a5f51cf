# bench-tui: mxtui's start, keystroke, paging and memory figures beside dialog and whiptail;
# bench/tui.sh puts the table into bench/RESULTS.md.

BENCH_TUI := $(BUILD)/bench/tui-bench
$(BUILD)/bench/tui_bench.o: EXTRA_CFLAGS = $(TEST_PKG_CFLAGS)
# tests/module.mk is read after bench/*.mk: name its libraries here.
$(BENCH_TUI): $(BUILD)/bench/tui_bench.o $(BUILD)/libtestsupport.a $(BUILD)/libharness.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TEST_PKG_LIBS)

.PHONY: bench-tui
bench-tui: $(BENCH_TUI) $(BIN)/mxtui $(BIN)/mxapid $(BUILD)/tests/e2e/test_tui_mxedit
	@MXTUI_BINDIR=$(BIN) BUILD=$(BUILD) sh bench/tui.sh $(BENCH_TUI)
BENCH_RUNS += bench-tui
