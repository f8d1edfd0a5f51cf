# mxctl: the non-interactive command over the API client, for scripts and tickets.

MXCTL_SRCS := cli/mxctl.c cli/mxctl_cmd.c cli/mxctl_report.c cli/mxctl_out.c
MXCTL_OBJS := $(MXCTL_SRCS:%.c=$(BUILD)/%.o)

$(MXCTL_OBJS): EXTRA_CFLAGS = $(CJSON_CFLAGS)
# Output goes through the widgets' sanitiser (pure code, no curses): one set of escapes.
$(BIN)/mxctl: $(MXCTL_OBJS) $(BUILD)/widgets/sanitize.o $(LIBMXCLIENT) $(LIBMXAPI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MXCTL_OBJS) $(BUILD)/widgets/sanitize.o $(LIBMXCLIENT) \
		$(LIBMXAPI) $(API_CORE_LIBS) \
		$(CURL_LIBS)

BINS += $(BIN)/mxctl
