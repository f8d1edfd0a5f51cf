# api/ core: the model, the MX rules and the JSON codec (cJSON, libidn2). No curl, no curses.
# The HTTP client lives in api/client.mk.

API_CORE_SRCS := api/mx_model.c api/mx_host.c api/mx_rules.c api/mx_hints.c api/mx_json.c \
	api/mx_codec.c \
	api/mx_codec_profile.c
API_CORE_OBJS := $(API_CORE_SRCS:%.c=$(BUILD)/%.o)
LIBMXAPI := $(BUILD)/libmxapi.a

$(API_CORE_OBJS): EXTRA_CFLAGS = $(CJSON_CFLAGS) $(IDN2_CFLAGS)
$(LIBMXAPI): $(API_CORE_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
API_CORE_LIBS = $(CJSON_LIBS) $(IDN2_LIBS)

# Later libraries depend on earlier ones: list dependents first.
TEST_LINK_LIBS += $(LIBMXAPI)
FUZZ_TARGETS += fuzz_host fuzz_config_json
FUZZ_SRCS_ALL += $(API_CORE_SRCS)
