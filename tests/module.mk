# Tests: every tests/<layer>/*.c is one Criterion program (build/tests/<layer>/NAME), linked
# with the libraries the modules declared in LINK_LIBS. Support code for the tests lives in
# tests/support/ (live mxapid processes, raw HTTP) and tests/harness/ (pty + libvterm).
# A folder with its own extra programs adds them in its own module.mk.

-include tests/harness/module.mk

TEST_SUPPORT_SRCS := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJS := $(TEST_SUPPORT_SRCS:%.c=$(BUILD)/%.o)
LIBTESTSUPPORT := $(BUILD)/libtestsupport.a
$(LIBTESTSUPPORT): $(TEST_SUPPORT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

TEST_LAYERS := unit api e2e dns
TEST_SRCS := $(foreach l,$(TEST_LAYERS),$(wildcard tests/$(l)/*.c))
TEST_PROGS := $(TEST_SRCS:%.c=$(BUILD)/%)
TEST_BINS += $(TEST_PROGS)

# Every library flag a test might need; --as-needed drops the unused ones.
TEST_PKG_CFLAGS = $(CRITERION_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(NCURSES_CFLAGS) \
	$(VTERM_CFLAGS) $(IDN2_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS) $(OATH_CFLAGS)
TEST_PKG_LIBS = $(CRITERION_LIBS) $(CJSON_LIBS) $(CURL_LIBS) $(NCURSES_LIBS) $(VTERM_LIBS) \
	$(IDN2_LIBS) $(SQLITE_LIBS) $(SODIUM_LIBS) $(OATH_LIBS) $(CARES_LIBS) $(MHD_LIBS) -lutil -lm

$(TEST_SRCS:%.c=$(BUILD)/%.o) $(TEST_SUPPORT_OBJS): EXTRA_CFLAGS = $(TEST_PKG_CFLAGS)

# Test programs need the programs they drive, so building a test builds every program too.
$(TEST_PROGS): $(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIBTESTSUPPORT) $(TEST_LINK_LIBS) | $(BINS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(LIBTESTSUPPORT) $(TEST_LINK_LIBS) $(TEST_PKG_LIBS)

# The screenshot tool of mxtui (here: it needs the support library): walks every screen against a live demo mxapid and writes
# screenshots/tui/ (in German).
SHOOT_TUI := $(BUILD)/tests/harness/mxtui-shoot-tui
$(BUILD)/tests/harness/shoot_tui.o: EXTRA_CFLAGS = $(TEST_PKG_CFLAGS)
$(SHOOT_TUI): $(BUILD)/tests/harness/shoot_tui.o $(LIBTESTSUPPORT) $(LIBHARNESS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TEST_PKG_LIBS)
TEST_PROGRAMS += $(SHOOT_TUI)

.PHONY: screenshots-tui
screenshots-tui: $(SHOOT_TUI) $(BIN)/mxtui $(BIN)/mxapid
	@mkdir -p screenshots/tui
	MXTUI_BINDIR=$(BIN) $(SHOOT_TUI) screenshots/tui
SCREENSHOT_RUNS += screenshots-tui
