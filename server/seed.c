/* seed: demo and bulk data, written in one transaction with prepared statements. */
#include "server/seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/mx_codec.h"

static const char SQL_HAS_DATA[] = "SELECT count(*) FROM customers";
static const char SQL_CUSTOMER[] = "INSERT INTO customers(id, name) VALUES(?1, ?2)";
static const char SQL_ACCOUNT[] = "INSERT INTO accounts(login, pwhash, role, customer_id, name,"
                                  " totp_secret) VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_PACKAGE[] = "INSERT INTO packages(id, customer_id, name) VALUES(?1, ?2, ?3)";
static const char SQL_DOMAIN[] =
    "INSERT INTO domains(name, display_name, kind, parent, package_id, ns_mode, ns_servers,"
    " dyndns, sort_key) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
    " CASE WHEN ?4 IS NULL THEN ?1 ELSE ?4 || ' ' || ?1 END)";
static const char SQL_RECORD[] = "INSERT INTO records(name, type, value) VALUES(?1, ?2, ?3)";
static const char SQL_MX[] =
    "INSERT INTO mx_configs(domain, version, mode, config, updated_at, updated_by, pub_state,"
    " pub_version) VALUES(?1, 1, ?2, ?3, ?4, 'system', 'disabled', 1)";
static const char SQL_MAIL_COUNTS[] =
    "INSERT INTO mail_counts(name, mailboxes, forwards) VALUES(?1, ?2, ?3)";
static const char SQL_META[] = "INSERT OR REPLACE INTO meta(key, value) VALUES('seed', ?1)";

/* Seeding stops at the first failing statement; this keeps each insert one line. */
struct seeder {
    struct db *db;
    const struct auth *auth;
    char now[32];
    int failed;
};

static void step(struct seeder *s, sqlite3_stmt *st)
{
    if (!st) {
        s->failed = 1;
        return;
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        fprintf(stderr, "mxapid: seed: %s\n", sqlite3_errmsg(db_handle(s->db)));
        s->failed = 1;
    }
    db_release(st);
}

static void customer(struct seeder *s, const char *id, const char *name)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_CUSTOMER);
    if (st) {
        db_bind_text(st, 1, id);
        db_bind_text(st, 2, name);
    }
    step(s, st);
}

static void account_hashed(struct seeder *s, const char *login, const char *hash, const char *role,
                           const char *cust, const char *name, const char *totp)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_ACCOUNT);
    if (st) {
        db_bind_text(st, 1, login);
        db_bind_text(st, 2, hash);
        db_bind_text(st, 3, role);
        db_bind_text(st, 4, cust);
        db_bind_text(st, 5, name);
        db_bind_text(st, 6, totp);
    }
    step(s, st);
}

static void account(struct seeder *s, const char *login, const char *password, const char *role,
                    const char *cust, const char *name, const char *totp)
{
    char hash[crypto_pwhash_STRBYTES];
    if (auth_hash_password(s->auth, password, hash) != 0) {
        fprintf(stderr, "mxapid: seed: password hashing failed (out of memory?)\n");
        s->failed = 1;
        return;
    }
    account_hashed(s, login, hash, role, cust, name, totp);
}

static void package(struct seeder *s, long long id, const char *cust, const char *name)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_PACKAGE);
    if (st) {
        sqlite3_bind_int64(st, 1, id);
        db_bind_text(st, 2, cust);
        db_bind_text(st, 3, name);
    }
    step(s, st);
}

static void mx_row(struct seeder *s, const char *name, const char *mode, const char *config)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_MX);
    if (st) {
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, mode);
        db_bind_text(st, 3, config);
        db_bind_text(st, 4, s->now);
    }
    step(s, st);
}

/* A domain or subdomain (parent NULL for a domain) with a version-1 provider MX row. */
static void domain(struct seeder *s, const char *name, const char *display, const char *parent,
                   long long pkg, const char *ns_servers, int dyndns)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_DOMAIN);
    if (st) {
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, display);
        db_bind_text(st, 3, parent ? "subdomain" : "domain");
        if (parent)
            db_bind_text(st, 4, parent);
        sqlite3_bind_int64(st, 5, pkg);
        db_bind_text(st, 6, ns_servers ? "own" : "provider");
        db_bind_text(st, 7, ns_servers ? ns_servers : "");
        sqlite3_bind_int(st, 8, dyndns);
    }
    step(s, st);
}

static void record(struct seeder *s, const char *name, const char *type, const char *value)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_RECORD);
    if (st) {
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, type);
        db_bind_text(st, 3, value);
    }
    step(s, st);
}

/* What the provider's mail system holds for name: what leaving provider mail would strand. */
static void mail_count(struct seeder *s, const char *name, int mailboxes, int forwards)
{
    sqlite3_stmt *st = db_stmt(s->db, SQL_MAIL_COUNTS);
    if (st) {
        db_bind_text(st, 1, name);
        sqlite3_bind_int(st, 2, mailboxes);
        sqlite3_bind_int(st, 3, forwards);
    }
    step(s, st);
}

/* The editable fields of a configuration as the codec stores them. */
static void mx_config_row(struct seeder *s, const char *name, const struct mx_config *cfg)
{
    char *json = mx_config_request_to_json(cfg);
    if (!json) {
        s->failed = 1;
        return;
    }
    mx_row(s, name, mx_mode_name(cfg->mode), json);
    free(json);
}

static void mx_provider(struct seeder *s, const char *name)
{
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_PROVIDER;
    mx_config_row(s, name, &cfg);
}

static void seed_demo(struct seeder *s)
{
    customer(s, "10001", "Erika Mustermann");
    customer(s, "10002", "Max Beispiel");
    customer(s, "10003", "Otto Zweifaktor");
    account(s, "10001", "demo-10001", "customer", "10001", "Erika Mustermann", NULL);
    account(s, "10002", "demo-10002", "customer", "10002", "Max Beispiel", NULL);
    account(s, "10003", "demo-10003", "customer", "10003", "Otto Zweifaktor",
            SEED_DEMO_TOTP_SECRET);
    account(s, "support", "demo-support", "staff", NULL, "Support", NULL);
    package(s, 1, "10001", "Hosting Plus");
    package(s, 2, "10001", "Mail Basic");
    package(s, 3, "10002", "Starter");
    package(s, 4, "10003", "Hosting Basic");

    domain(s, "example.de", "example.de", NULL, 1, NULL, 0);
    domain(s, "shop.example.de", "shop.example.de", "example.de", 1, NULL, 0);
    domain(s, "dyn.example.de", "dyn.example.de", "example.de", 1, NULL, 1);
    domain(s, "delegated.example.de", "delegated.example.de", "example.de", 1,
           "ns1.delegated-dns.example. ns2.delegated-dns.example.", 0);
    domain(s, "www.example.de", "www.example.de", "example.de", 1, NULL, 0);
    domain(s, "xn--mller-kva.de", "müller.de", NULL, 1, NULL, 0);
    domain(s, "example.org", "example.org", NULL, 2, NULL, 0);
    domain(s, "beispiel.de", "beispiel.de", NULL, 3, NULL, 0);
    domain(s, "zwei-faktor.de", "zwei-faktor.de", NULL, 4, NULL, 0);

    static const char *const provider_mx[] = {
        "example.de",       "dyn.example.de", "delegated.example.de", "www.example.de",
        "xn--mller-kva.de", "example.org",    "beispiel.de",          "zwei-faktor.de"};
    for (size_t i = 0; i < sizeof provider_mx / sizeof provider_mx[0]; i++)
        mx_provider(s, provider_mx[i]);
    struct mx_config shop = {0};
    shop.mode = MX_MODE_CUSTOM;
    if (mx_config_add_entry(&shop, false, "mail.example.de.", 10) != 0)
        s->failed = 1;
    mx_config_row(s, "shop.example.de", &shop);
    mx_config_clear(&shop);

    record(s, "example.de.", "A", "192.0.2.10");
    record(s, "example.de.", "TXT", "v=spf1 mx -all");
    record(s, "shop.example.de.", "A", "192.0.2.11");
    record(s, "dyn.example.de.", "A", "198.51.100.7");
    record(s, "www.example.de.", "CNAME", "example.de.");
    record(s, "mail.example.de.", "A", "192.0.2.25");
    record(s, "mx2.example.de.", "A", "192.0.2.26");
    record(s, "alias.example.de.", "CNAME", "mail.example.de.");
    record(s, "v6.example.de.", "AAAA", "2001:db8::25");
    record(s, "xn--mller-kva.de.", "A", "192.0.2.40");
    record(s, "mail.xn--mller-kva.de.", "A", "192.0.2.41");
    record(s, "example.org.", "A", "192.0.2.20");
    record(s, "beispiel.de.", "A", "192.0.2.30");
    record(s, "zwei-faktor.de.", "A", "192.0.2.50");

    mail_count(s, "example.de", 3, 2);
    mail_count(s, "shop.example.de", 1, 0);
    mail_count(s, "xn--mller-kva.de", 1, 1);
    mail_count(s, "example.org", 2, 0);
    mail_count(s, "beispiel.de", 2, 1);
}

/* Customer 20001 with one package of n names: every fourth a domain, the others its
 * subdomains (www, shop, mail), so listings page through both kinds. */
static void seed_bulk(struct seeder *s, long n)
{
    customer(s, "20001", "Bulk Testkunde");
    account(s, "20001", "demo-20001", "customer", "20001", "Bulk Testkunde", NULL);
    package(s, 5, "20001", "Bulk");
    static const char *const subs[] = {"www", "shop", "mail"};
    char parent[64] = "", name[96], fq[100];
    for (long i = 0; i < n && !s->failed; i++) {
        if (i % 4 == 0) {
            snprintf(parent, sizeof parent, "bulk%07ld.example", i / 4);
            domain(s, parent, parent, NULL, 5, NULL, 0);
            snprintf(fq, sizeof fq, "%s.", parent);
            record(s, fq, "A", "192.0.2.99");
            mx_provider(s, parent);
        } else {
            snprintf(name, sizeof name, "%s.%s", subs[i % 4 - 1], parent);
            domain(s, name, name, parent, 5, NULL, 0);
            mx_provider(s, name);
        }
    }
}

bool seed_parse(const char *spec, long *bulk_n)
{
    *bulk_n = 0;
    if (strcmp(spec, "demo") == 0)
        return true;
    if (strncmp(spec, "bulk:", 5) != 0)
        return false;
    char *end = NULL;
    long n = strtol(spec + 5, &end, 10);
    if (end == spec + 5 || *end || n < 1 || n > 1000000)
        return false;
    *bulk_n = n;
    return true;
}

int seed_run(struct db *db, const char *spec, const struct auth *auth)
{
    long bulk_n = 0;
    if (!spec)
        return 0;
    if (!seed_parse(spec, &bulk_n))
        return -1;
    struct seeder s = {.db = db, .auth = auth};
    db_time_iso(time(NULL), s.now);
    if (db_exec(db, "BEGIN IMMEDIATE") != 0)
        return -1;
    sqlite3_stmt *st = db_stmt(db, SQL_HAS_DATA);
    long long have = 0;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        have = sqlite3_column_int64(st, 0);
    db_release(st);
    if (!st) {
        db_exec(db, "ROLLBACK");
        return -1;
    }
    if (have > 0) {
        /* Restarts keep their data: seeding only ever fills an empty database. */
        db_exec(db, "ROLLBACK");
        return 0;
    }
    seed_demo(&s);
    if (bulk_n)
        seed_bulk(&s, bulk_n);
    st = db_stmt(db, SQL_META);
    if (st)
        db_bind_text(st, 1, spec);
    step(&s, st);
    if (s.failed) {
        db_exec(db, "ROLLBACK");
        return -1;
    }
    return db_exec(db, "COMMIT");
}
