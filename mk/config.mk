# Compiler, flags and libraries shared by every module fragment.
# pkg-config runs lazily (the first time a variable is used), so `make deps` works on a machine
# where the libraries are still missing.

CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif
PKG_CONFIG ?= pkg-config

BUILD ?= build
BIN ?= bin

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wwrite-strings
ifeq ($(CI),true)
WARN += -Werror
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif
OPT ?= -O2 -g
SAN ?=
CPPFLAGS_ALL := -D_POSIX_C_SOURCE=200809L -I.
CFLAGS_ALL = -std=c17 $(WARN) $(OPT) $(SAN) -MMD -MP $(CPPFLAGS_ALL) $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

# pc_cflags/pc_libs: cached pkg-config lookups, evaluated on first use.
define pkg_lazy
$(1)_CFLAGS = $$(eval $(1)_CFLAGS := $$(shell $(PKG_CONFIG) --cflags $(2)))$$($(1)_CFLAGS)
$(1)_LIBS = $$(eval $(1)_LIBS := $$(shell $(PKG_CONFIG) --libs $(2)))$$($(1)_LIBS)
endef
$(eval $(call pkg_lazy,NCURSES,ncursesw))
$(eval $(call pkg_lazy,CURL,libcurl))
$(eval $(call pkg_lazy,CJSON,libcjson))
$(eval $(call pkg_lazy,MHD,libmicrohttpd))
$(eval $(call pkg_lazy,SQLITE,sqlite3))
$(eval $(call pkg_lazy,SODIUM,libsodium))
$(eval $(call pkg_lazy,IDN2,libidn2))
$(eval $(call pkg_lazy,ICU,icu-uc icu-i18n))
$(eval $(call pkg_lazy,CARES,libcares))
$(eval $(call pkg_lazy,OATH,liboath))
$(eval $(call pkg_lazy,CRITERION,criterion))
$(eval $(call pkg_lazy,VTERM,vterm))

# Every object is built the same way; a module adds its library flags with target-specific
# variables (EXTRA_CFLAGS) in its own fragment.
$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) $(EXTRA_CFLAGS) -c -o $@ $<
