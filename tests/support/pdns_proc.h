/* pdns_proc: a live PowerDNS (pdns_server with the gsqlite3 backend) on 127.0.0.1 for tests, in a
 * private temp dir, loaded with zone data given as SQL. */
#ifndef PDNS_PROC_H
#define PDNS_PROC_H

#include <sys/types.h>

/* One running PowerDNS; pid is 0 when not running. */
struct pdns_proc {
    pid_t pid;
    int port; /* UDP and TCP on 127.0.0.1 */
    char dir[256];
    char db[320];
    char log[320];
};

/* Creates <dir>/pdns.db from the backend's schema (PDNS_SQLITE_SCHEMA or the Debian path), runs
 * zone_sql in it (INSERTs into domains and records), starts pdns_server (PDNS_SERVER or
 * /usr/sbin/pdns_server) on a free loopback port and waits (10 s deadline) until it answers
 * probe_name (an A record zone_sql defines). Returns 0 or -1 (with the reason on stderr). */
int pdns_proc_start(struct pdns_proc *pp, const char *zone_sql, const char *probe_name);
/* Stops the server (SIGTERM, 5 s, then SIGKILL) and removes the temp dir. NULL-safe state. */
void pdns_proc_cleanup(struct pdns_proc *pp);

#endif
