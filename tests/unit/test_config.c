/* Configuration rules (mx_config_validate), the effective record set
 * (mx_config_derive_records) and the model helpers. Each test asserts exact fields and codes. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/mx_rules.h"

struct expected {
    const char *field;
    enum mx_code code;
};

/* Validates cfg against profile (NULL: the default) and asserts exactly the n problems given
 * as field/code pairs, in order. */
static void expect_problems(struct mx_config *cfg, const struct mx_profile *profile, size_t n, ...)
{
    struct mx_problems got = {0};
    size_t added = mx_config_validate(cfg, profile, &got);
    char list[1024] = "";
    size_t o = 0;
    for (size_t i = 0; i < got.count && o < sizeof(list); i++)
        o += (size_t)snprintf(list + o, sizeof(list) - o, " %s:%s", got.items[i].field,
                              mx_code_name(got.items[i].code));
    cr_assert_eq(added, got.count);
    cr_assert_eq(got.count, n, "want %zu problems, got%s", n, o ? list : " none");
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        const char *field = va_arg(ap, const char *);
        enum mx_code code = (enum mx_code)va_arg(ap, int);
        cr_assert_str_eq(got.items[i].field, field, "problem %zu: got%s", i, list);
        cr_assert_eq(got.items[i].code, code, "problem %zu: want %s, got%s", i, mx_code_name(code),
                     list);
    }
    va_end(ap);
    cr_assert_eq(mx_problems_reject(&got), n > 0);
    mx_problems_free(&got);
}

static struct mx_config *custom(void)
{
    struct mx_config *cfg = mx_config_new();
    cr_assert_not_null(cfg);
    cfg->mode = MX_MODE_CUSTOM;
    return cfg;
}

static void add(struct mx_config *cfg, bool backup, const char *host, long prio)
{
    cr_assert_eq(mx_config_add_entry(cfg, backup, host, prio), 0);
}

Test(config, valid_custom_normalises_hosts_in_place)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "MAIL.Example.DE.", 10);
    add(cfg, true, "mx.müller.de.", 50);
    expect_problems(cfg, NULL, 0);
    cr_assert_str_eq(cfg->primary[0].host, "mail.example.de.");
    cr_assert_str_eq(cfg->backup[0].host, "mx.xn--mller-kva.de.");
    mx_config_free(&cfg);
    cr_assert_null(cfg);
}

Test(config, custom_needs_a_primary)
{
    struct mx_config *cfg = custom();
    expect_problems(cfg, NULL, 1, "primary", MX_NO_PRIMARY);
    mx_config_free(&cfg);
}

Test(config, backups_alone_are_not_enough)
{
    struct mx_config *cfg = custom();
    add(cfg, true, "mx2.example.de.", 50);
    expect_problems(cfg, NULL, 1, "primary", MX_NO_PRIMARY);
    mx_config_free(&cfg);
}

Test(config, backup_with_equal_priority_rejected)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 20);
    add(cfg, true, "mx2.example.de.", 20);
    expect_problems(cfg, NULL, 1, "backup[0].priority", MX_BACKUP_NOT_LOWER_PRIORITY);
    mx_config_free(&cfg);
}

Test(config, backup_with_higher_priority_rejected)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 30);
    add(cfg, true, "mx2.example.de.", 10);
    expect_problems(cfg, NULL, 1, "backup[0].priority", MX_BACKUP_NOT_LOWER_PRIORITY);
    mx_config_free(&cfg);
}

Test(config, every_primary_counts_against_every_backup)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail1.example.de.", 10);
    add(cfg, false, "mail2.example.de.", 40);
    add(cfg, true, "mx2.example.de.", 30);
    add(cfg, true, "mx3.example.de.", 50);
    expect_problems(cfg, NULL, 1, "backup[0].priority", MX_BACKUP_NOT_LOWER_PRIORITY);
    mx_config_free(&cfg);
}

Test(config, provider_backup_must_rank_after_primaries)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 90); /* the default profile's backup has 90 */
    cfg->provider_backup = true;
    expect_problems(cfg, NULL, 1, "provider_backup", MX_BACKUP_NOT_LOWER_PRIORITY);
    mx_config_free(&cfg);
}

Test(config, provider_backup_with_own_servers_accepted)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, true, "mx2.example.net.", 50);
    cfg->provider_backup = true;
    expect_problems(cfg, NULL, 0);
    mx_config_free(&cfg);
}

Test(config, priority_bounds)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 0);
    add(cfg, true, "mx2.example.de.", 65535);
    expect_problems(cfg, NULL, 0);
    mx_config_free(&cfg);

    cfg = custom();
    add(cfg, false, "mail.example.de.", -1);
    add(cfg, true, "mx2.example.de.", 65536);
    expect_problems(cfg, NULL, 2, "primary[0].priority", MX_PRIORITY_OUT_OF_RANGE,
                    "backup[0].priority", MX_PRIORITY_OUT_OF_RANGE);
    mx_config_free(&cfg);
}

Test(config, priority_outside_options_is_kept)
{
    /* 15 is not a drop-down option of the default profile; stored values survive. */
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 15);
    expect_problems(cfg, NULL, 0);
    mx_config_free(&cfg);
}

Test(config, duplicate_after_case_folding)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, false, "MAIL.EXAMPLE.DE.", 20);
    expect_problems(cfg, NULL, 1, "primary[1].host", MX_DUPLICATE_HOST);
    mx_config_free(&cfg);
}

Test(config, duplicate_between_primary_and_backup)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, true, "mail.example.de.", 50);
    expect_problems(cfg, NULL, 1, "backup[0].host", MX_DUPLICATE_HOST);
    mx_config_free(&cfg);
}

Test(config, duplicate_across_idn_forms)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mx.müller.de.", 10);
    add(cfg, true, "mx.xn--mller-kva.de.", 50);
    expect_problems(cfg, NULL, 1, "backup[0].host", MX_DUPLICATE_HOST);
    mx_config_free(&cfg);
}

Test(config, duplicate_of_provider_backup_host)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, true, "Backup-MX.provider.example.", 50);
    expect_problems(cfg, NULL, 0); /* without the provider backup it is just a host */
    cfg->provider_backup = true;
    expect_problems(cfg, NULL, 1, "backup[0].host", MX_DUPLICATE_HOST);
    mx_config_free(&cfg);
}

Test(config, too_many_primaries_and_backups)
{
    struct mx_config *cfg = custom();
    char host[64];
    for (int i = 0; i < 4; i++) {
        snprintf(host, sizeof(host), "mail%d.example.de.", i);
        add(cfg, false, host, 10);
        snprintf(host, sizeof(host), "mx%d.example.de.", i);
        add(cfg, true, host, 50);
    }
    expect_problems(cfg, NULL, 2, "primary", MX_TOO_MANY_PRIMARY, "backup", MX_TOO_MANY_BACKUP);
    mx_config_free(&cfg);
}

Test(config, limits_come_from_the_profile)
{
    struct mx_profile p = *mx_profile_default();
    p.max_primary = 1;
    p.max_backup = 0;
    struct mx_config *cfg = custom();
    add(cfg, false, "mail1.example.de.", 10);
    expect_problems(cfg, &p, 0);
    add(cfg, false, "mail2.example.de.", 10);
    add(cfg, true, "mx.example.de.", 20);
    expect_problems(cfg, &p, 2, "primary", MX_TOO_MANY_PRIMARY, "backup", MX_TOO_MANY_BACKUP);
    mx_config_free(&cfg);
}

Test(config, host_problems_name_their_field)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, false, "mail2.example.de", 20);
    add(cfg, true, "192.0.2.1.", 50);
    expect_problems(cfg, NULL, 2, "primary[1].host", MX_NO_TRAILING_DOT, "backup[0].host",
                    MX_IP_LITERAL);
    mx_config_free(&cfg);
}

Test(config, provider_mode_carries_no_entries)
{
    struct mx_config *cfg = mx_config_new();
    expect_problems(cfg, NULL, 0);
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, true, "mx2.example.de.", 50);
    cfg->provider_backup = true;
    expect_problems(cfg, NULL, 3, "primary", MX_ENTRIES_NOT_ALLOWED, "backup",
                    MX_ENTRIES_NOT_ALLOWED, "provider_backup", MX_PROVIDER_BACKUP_NOT_ALLOWED);
    mx_config_free(&cfg);
}

Test(config, null_mx_stands_alone)
{
    struct mx_config *cfg = mx_config_new();
    cfg->mode = MX_MODE_NONE;
    expect_problems(cfg, NULL, 0);
    add(cfg, false, "mail.example.de.", 0);
    expect_problems(cfg, NULL, 1, "primary", MX_NULL_MX_NOT_ALONE);
    mx_config_free(&cfg);

    cfg = mx_config_new();
    cfg->mode = MX_MODE_NONE;
    cfg->provider_backup = true;
    expect_problems(cfg, NULL, 1, "provider_backup", MX_PROVIDER_BACKUP_NOT_ALLOWED);
    mx_config_free(&cfg);
}

Test(records, null_mx_is_one_dot_with_preference_zero)
{
    struct mx_config *cfg = mx_config_new();
    cfg->mode = MX_MODE_NONE;
    cr_assert_eq(mx_config_derive_records(cfg, NULL), 0);
    cr_assert_eq(cfg->n_records, 1u);
    cr_assert_str_eq(cfg->records[0].host, ".");
    cr_assert_eq(cfg->records[0].priority, 0);
    mx_config_free(&cfg);
}

Test(records, provider_mode_uses_profile_mail_hosts)
{
    struct mx_config *cfg = mx_config_new();
    cr_assert_eq(mx_config_derive_records(cfg, NULL), 0);
    cr_assert_eq(cfg->n_records, 2u);
    cr_assert_str_eq(cfg->records[0].host, "mx1.provider.example.");
    cr_assert_eq(cfg->records[0].priority, 10);
    cr_assert_str_eq(cfg->records[1].host, "mx2.provider.example.");
    cr_assert_eq(cfg->records[1].priority, 20);
    mx_config_free(&cfg);
}

Test(records, custom_sorted_primaries_first_on_ties_with_provider_backup)
{
    struct mx_config *cfg = custom();
    add(cfg, true, "b1.example.de.", 50);
    add(cfg, false, "p1.example.de.", 20);
    add(cfg, false, "p2.example.de.", 10);
    add(cfg, true, "b2.example.de.", 20); /* invalid order, but derive must still be stable */
    add(cfg, false, "p3.example.de.", 20);
    cfg->provider_backup = true;
    cr_assert_eq(mx_config_derive_records(cfg, NULL), 0);
    const char *want[] = {"p2.example.de.", "p1.example.de.", "p3.example.de.",
                          "b2.example.de.", "b1.example.de.", "backup-mx.provider.example."};
    long prio[] = {10, 20, 20, 20, 50, 90};
    cr_assert_eq(cfg->n_records, 6u);
    for (size_t i = 0; i < 6; i++) {
        cr_assert_str_eq(cfg->records[i].host, want[i], "record %zu", i);
        cr_assert_eq(cfg->records[i].priority, prio[i], "record %zu", i);
    }
    /* Deriving again replaces, never appends. */
    cfg->provider_backup = false;
    cr_assert_eq(mx_config_derive_records(cfg, NULL), 0);
    cr_assert_eq(cfg->n_records, 5u);
    mx_config_free(&cfg);
}

Test(model, add_entry_refuses_oversized_host)
{
    struct mx_config *cfg = custom();
    char big[400];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cr_assert_eq(mx_config_add_entry(cfg, false, big, 10), -1);
    cr_assert_eq(cfg->n_primary, 0u);
    mx_config_free(&cfg);
}

Test(model, copy_is_deep)
{
    struct mx_config *cfg = custom();
    add(cfg, false, "mail.example.de.", 10);
    add(cfg, true, "mx2.example.de.", 50);
    cr_assert_eq(mx_config_derive_records(cfg, NULL), 0);
    struct mx_config copy = {0};
    cr_assert_eq(mx_config_copy(&copy, cfg), 0);
    cr_assert_neq(copy.primary, cfg->primary);
    cr_assert_str_eq(copy.backup[0].host, "mx2.example.de.");
    cr_assert_eq(copy.n_records, 2u);
    mx_config_free(&cfg);
    cr_assert_str_eq(copy.primary[0].host, "mail.example.de.");
    mx_config_clear(&copy);
    cr_assert_null(copy.primary);
    mx_config_free(&cfg); /* NULL-safe */
}

Test(model, mode_and_kind_names)
{
    cr_assert_str_eq(mx_mode_name(MX_MODE_CUSTOM), "custom");
    cr_assert_eq(mx_mode_from_name("none"), MX_MODE_NONE);
    cr_assert_eq(mx_mode_from_name("Custom"), -1);
    cr_assert_str_eq(mx_kind_name(MX_KIND_SUBDOMAIN), "subdomain");
    cr_assert_eq(mx_kind_from_name("domain"), MX_KIND_DOMAIN);
    cr_assert_eq(mx_kind_from_name(""), -1);
}

Test(model, default_profile_has_help_article_values)
{
    const struct mx_profile *p = mx_profile_default();
    cr_assert_eq(p->backup_delay_hours, 4);
    cr_assert_eq(p->backup_retention_days, 5);
    cr_assert_eq(p->propagation_hours, 24);
    cr_assert_str_eq(p->backup_host, "backup-mx.provider.example.");
    cr_assert_eq(p->backup_priority, 90);
    cr_assert_eq(p->n_backup_ips, 3u);
    cr_assert_eq(p->n_name_servers, 3u);
    cr_assert_eq(p->n_priority_options, 10u);
    cr_assert_eq(p->max_primary, 3);
}

Test(problems, warnings_alone_do_not_reject)
{
    struct mx_problems p = {0};
    cr_assert_eq(mx_problems_add(&p, "backup[0].host", MX_AAAA_ONLY), 0);
    cr_assert_eq(mx_problems_add(&p, "primary[0].host", MX_UNVERIFIABLE), 0);
    cr_assert(!mx_problems_reject(&p));
    cr_assert_eq(mx_problems_add(&p, "primary[1].host", MX_NO_ADDRESS), 0);
    cr_assert(mx_problems_reject(&p));
    mx_problems_clear(&p);
    cr_assert_eq(p.count, 0u);
    cr_assert(!mx_problems_reject(&p));
    for (int i = 0; i < 100; i++)
        cr_assert_eq(mx_problems_add(&p,
                                     "a-field-name-that-is-far-too-long-for-the-struct-"
                                     "and-must-be-cut",
                                     MX_EMPTY),
                     0);
    cr_assert_eq(p.count, 100u);
    cr_assert_eq(strlen(p.items[99].field), sizeof(p.items[99].field) - 1);
    mx_problems_free(&p);
    cr_assert_null(p.items);
    cr_assert_eq(p.count, 0u);
}

/* A valid host that looks like another name is a warning on its field, not a rejection; a
 * label with "--" at 3 and 4 is a rejection. */
Test(config, lookalike_host_is_a_warning_and_hyphen_3_4_a_rejection)
{
    struct mx_config cfg = {0};
    cfg.mode = MX_MODE_CUSTOM;
    cr_assert_eq(mx_config_add_entry(&cfg, false, "m\xd0\xb0il.example.de.", 10), 0);
    cr_assert_eq(mx_config_add_entry(&cfg, true, "mx2.example.de.", 20), 0);
    struct mx_problems got = {0};
    cr_assert_eq(mx_config_validate(&cfg, NULL, &got), 1);
    cr_assert_str_eq(got.items[0].field, "primary[0].host");
    cr_assert_eq(got.items[0].code, MX_CONFUSABLE);
    cr_assert_not(mx_problems_reject(&got));
    cr_assert_str_eq(cfg.primary[0].host, "xn--mil-6cd.example.de.");
    mx_problems_clear(&got);
    cr_assert_eq(mx_config_add_entry(&cfg, true, "ab--cd.example.de.", 30), 0);
    cr_assert_eq(mx_config_validate(&cfg, NULL, &got), 2);
    cr_assert_str_eq(got.items[1].field, "backup[1].host");
    cr_assert_eq(got.items[1].code, MX_HYPHEN_3_4);
    cr_assert(mx_problems_reject(&got));
    mx_problems_free(&got);
    mx_config_clear(&cfg);
}
