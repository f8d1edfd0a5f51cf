# tui/: mxtui, the terminal application (one file per screen, the event loop in app.c). Links
# the widgets, the API client and the api/ core. The translations (po/) are built into
# $(BUILD)/locale, where mxtui finds them when run from the build tree.

TUI_SRCS := $(filter-out tui/main.c,$(wildcard tui/*.c))
TUI_OBJS := $(TUI_SRCS:%.c=$(BUILD)/%.o)
LIBTUI := $(BUILD)/libtui.a
# Where the catalogues are: installed, and in the build tree relative to the binary.
TUI_LOCALE_DEFS = -DMXTUI_LOCALEDIR='"$(PREFIX)/share/locale"' \
	-DMXTUI_TREE_LOCALEDIR='"$(shell realpath -m --relative-to=$(BIN) $(BUILD)/locale)"'

$(TUI_OBJS) $(BUILD)/tui/main.o: EXTRA_CFLAGS = $(NCURSES_CFLAGS) $(TUI_LOCALE_DEFS)
$(LIBTUI): $(TUI_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

PO_LANGS := de en
MO_FILES := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/mxtui.mo)
$(BUILD)/locale/%/LC_MESSAGES/mxtui.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

$(BIN)/mxtui: $(BUILD)/tui/main.o $(LIBTUI) $(LIBWIDGETS) $(LIBMXCLIENT) $(LIBMXAPI) | $(MO_FILES)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $(BUILD)/tui/main.o $(LIBTUI) $(LIBWIDGETS) $(LIBMXCLIENT) \
		$(LIBMXAPI) $(NCURSES_LIBS) $(API_CLIENT_LIBS) $(API_CORE_LIBS)

BINS += $(BIN)/mxtui
TEST_LINK_LIBS := $(LIBTUI) $(TEST_LINK_LIBS)

# po/mxtui.pot from the texts marked in tui/; de.po follows it (translate what is new there),
# en.po is the texts themselves. The dates are fixed so that a run without new texts changes
# nothing. `make test` checks that the catalogue is current and fully translated
# (tests/scripts/po.sh).
PO_SRCS = $(sort $(wildcard tui/*.c))
XGETTEXT = xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 \
	--add-comments=TRANSLATORS --no-wrap --no-location --sort-output --package-name=mxtui \
	--msgid-bugs-address=none
PO_HEADER_FIX = sed -i -e 's/^"POT-Creation-Date: .*/"POT-Creation-Date: 2026-12-01 00:00+0000\\n"/'
.PHONY: po-update
po-update:
	$(XGETTEXT) -o po/mxtui.pot $(PO_SRCS)
	$(PO_HEADER_FIX) po/mxtui.pot
	msgmerge --quiet --update --backup=none --no-location --no-wrap --sort-output po/de.po \
		po/mxtui.pot
	msgattrib --no-obsolete --no-wrap --sort-output -o po/de.po po/de.po
	msgen --no-wrap --sort-output -o po/en.po po/mxtui.pot
	sed -i -e '1,/^$$/{/^#, fuzzy/d;s/^"Language: .*/"Language: en\\n"/;' \
		-e 's/^"PO-Revision-Date: .*/"PO-Revision-Date: 2026-12-01 00:00+0000\\n"/;' \
		-e 's/^"Last-Translator: .*/"Last-Translator: mxtui developers\\n"/;' \
		-e 's/^"Language-Team: .*/"Language-Team: English\\n"/;' \
		-e 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=2; plural=(n != 1);\\n"/}' po/en.po
