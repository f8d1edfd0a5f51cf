# api/ HTTP client: the non-blocking request engine (libcurl multi), the reply decoders and the
# synchronous wrapper. Depends on the api/ core (LIBMXAPI, api/module.mk).

API_CLIENT_SRCS := api/client.c api/client_calls.c api/client_status.c api/client_result.c \
	api/client_json.c api/client_decode.c api/client_sync.c api/client_mem.c \
	api/client_transport.c
API_CLIENT_OBJS := $(API_CLIENT_SRCS:%.c=$(BUILD)/%.o)
LIBMXCLIENT := $(BUILD)/libmxclient.a

$(API_CLIENT_OBJS): EXTRA_CFLAGS = $(CURL_CFLAGS) $(CJSON_CFLAGS)
$(LIBMXCLIENT): $(API_CLIENT_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^
API_CLIENT_LIBS = $(CURL_LIBS)

# Dependents first: the client needs libmxapi, which api/module.mk appends after this.
TEST_LINK_LIBS += $(LIBMXCLIENT)
FUZZ_TARGETS += fuzz_client_replies
FUZZ_SRCS_ALL += api/client.c api/client_calls.c api/client_status.c api/client_result.c \
	api/client_json.c api/client_decode.c api/client_mem.c api/client_transport.c
