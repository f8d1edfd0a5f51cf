# tests/harness/: the pty + libvterm harness (libharness.a), the widget gallery it drives
# (mxtui-gallery, built with the test programs, never installed) and the screenshot tool.

HARNESS_SRCS := tests/harness/harness.c tests/harness/cells.c tests/harness/render.c \
	tests/harness/terminfo.c
HARNESS_OBJS := $(HARNESS_SRCS:%.c=$(BUILD)/%.o)
LIBHARNESS := $(BUILD)/libharness.a
$(HARNESS_OBJS): EXTRA_CFLAGS = $(VTERM_CFLAGS) $(NCURSES_CFLAGS)
$(LIBHARNESS): $(HARNESS_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
TEST_LINK_LIBS += $(LIBHARNESS)
HARNESS_LIBS = $(VTERM_LIBS) $(NCURSES_LIBS) -lutil

GALLERY := $(BIN)/mxtui-gallery
$(BUILD)/tests/gallery/gallery.o: EXTRA_CFLAGS = $(NCURSES_CFLAGS)
$(GALLERY): $(BUILD)/tests/gallery/gallery.o $(LIBWIDGETS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(WIDGETS_LIBS)
TEST_PROGRAMS += $(GALLERY)

# The screenshot tool: drives the gallery through the harness, writes screenshots/widgets/.
SHOOT := $(BUILD)/tests/harness/mxtui-shoot
$(BUILD)/tests/harness/shoot.o: EXTRA_CFLAGS = $(VTERM_CFLAGS) $(NCURSES_CFLAGS)
$(SHOOT): $(BUILD)/tests/harness/shoot.o $(LIBHARNESS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(HARNESS_LIBS)
TEST_PROGRAMS += $(SHOOT)

.PHONY: screenshots-widgets
screenshots-widgets: $(SHOOT) $(GALLERY)
	@mkdir -p screenshots/widgets
	$(SHOOT) $(GALLERY) screenshots/widgets
SCREENSHOT_RUNS += screenshots-widgets

# The gallery tests start the gallery: building them builds it.
$(BUILD)/tests/e2e/test_gallery: | $(GALLERY)

