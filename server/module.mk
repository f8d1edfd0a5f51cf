# server/: mxapid, the provider API (libmicrohttpd, SQLite, libsodium, c-ares, liboath, cJSON) and
# its PowerDNS publisher (libcurl).
# server/dnscheck.c and dnscheck_async.c are compiled here too; their tests include them directly.

MXAPID_SRCS := server/main.c server/http.c server/reply.c server/reqlog.c server/db.c server/auth.c \
	server/auth_throttle.c server/auth_store.c server/seed.c server/store.c server/publish.c \
	server/publish_sync.c server/publish_round.c server/publish_zone.c server/pdns.c \
	server/dnscheck.c server/dnscheck_async.c server/connguard.c server/netaddr.c \
	server/routes_session.c server/routes_account.c server/routes_dns.c server/routes_check.c \
	server/routes_mx.c server/access.c
MXAPID_OBJS := $(MXAPID_SRCS:%.c=$(BUILD)/%.o)

$(MXAPID_OBJS): EXTRA_CFLAGS = $(MHD_CFLAGS) $(SQLITE_CFLAGS) $(SODIUM_CFLAGS) $(CARES_CFLAGS) \
	$(OATH_CFLAGS) $(CJSON_CFLAGS) $(IDN2_CFLAGS) $(CURL_CFLAGS)

$(BIN)/mxapid: $(MXAPID_OBJS) $(LIBMXAPI)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MXAPID_OBJS) $(LIBMXAPI) $(API_CORE_LIBS) $(MHD_LIBS) \
		$(SQLITE_LIBS) $(SODIUM_LIBS) $(CARES_LIBS) $(OATH_LIBS) $(CJSON_LIBS) $(CURL_LIBS) -lpthread

BINS += $(BIN)/mxapid
