# bench-widgets: bytes written, cells changed and time to screen per keystroke in a text field
# and in a 100,000-row list (the widget gallery driven through the harness); the table goes
# into bench/RESULTS.md by bench/widgets.sh.

BENCH_WIDGETS := $(BUILD)/bench/widgets-keys
$(BUILD)/bench/widgets_keys.o: EXTRA_CFLAGS = $(VTERM_CFLAGS)
# tests/module.mk (the harness) is read after bench/*.mk: name its library and the gallery here.
$(BENCH_WIDGETS): $(BUILD)/bench/widgets_keys.o $(BUILD)/libharness.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(HARNESS_LIBS)

.PHONY: bench-widgets
bench-widgets: $(BENCH_WIDGETS) $(BIN)/mxtui-gallery
	@sh bench/widgets.sh $(BENCH_WIDGETS) $(BIN)/mxtui-gallery
BENCH_RUNS += bench-widgets
