/* seed: the fixed demo data (DESIGN section 7) and the bulk data set for scale work. */
#ifndef SEED_H
#define SEED_H

#include <stdbool.h>

#include "server/auth.h"
#include "server/db.h"

/* The base32 TOTP secret of demo customer 10003 (documented in docs/demo.md). */
#define SEED_DEMO_TOTP_SECRET "OTTOZWEIFAKTOR2FADEMOMXTUI234567"

/* Checks a --seed value: "demo" or "bulk:N" (1 <= N <= 1000000); *bulk_n gets N (0 for demo).
 * Returns false when malformed. */
bool seed_parse(const char *spec, long *bulk_n);
/* Seeds an empty database according to spec (see seed_parse; bulk:N seeds the demo data too)
 * in one transaction; a database that already holds data is left alone. Passwords are hashed
 * with auth's cost. Returns 0, or -1 on error (logged). */
int seed_run(struct db *db, const char *spec, const struct auth *auth);

#endif
