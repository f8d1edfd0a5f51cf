# mxcheck: the MX rules on the command line (host names on stdin, or --config FILE.json).

BINS += $(BIN)/mxcheck

$(BUILD)/cli/mxcheck.o: EXTRA_CFLAGS = $(CJSON_CFLAGS) $(IDN2_CFLAGS)
# mxctl_out: the same output sanitiser as mxctl.
$(BIN)/mxcheck: $(BUILD)/cli/mxcheck.o $(BUILD)/cli/mxctl_out.o $(BUILD)/widgets/sanitize.o \
		$(LIBMXAPI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(API_CORE_LIBS)
