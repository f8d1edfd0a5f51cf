# widgets/: ncurses widgets (ncursesw), knowing nothing of MX or HTTP. See docs/widgets.md.

WIDGETS_SRCS := $(wildcard widgets/*.c)
WIDGETS_OBJS := $(WIDGETS_SRCS:%.c=$(BUILD)/%.o)
LIBWIDGETS := $(BUILD)/libwidgets.a
WIDGETS_LIBS = $(NCURSES_LIBS)

$(WIDGETS_OBJS): EXTRA_CFLAGS = $(NCURSES_CFLAGS)
$(LIBWIDGETS): $(WIDGETS_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

TEST_LINK_LIBS += $(LIBWIDGETS)
