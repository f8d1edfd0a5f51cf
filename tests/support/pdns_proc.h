/* pdns_proc: a live PowerDNS (pdns_server with the gsqlite3 backend) on 127.0.0.1 for tests, in a
 * private temp dir, loaded with zone data given as SQL; optionally with its HTTP API on (what
 * mxapid publishes through), and stopped and started again on the same ports. */
#ifndef PDNS_PROC_H
#define PDNS_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* One running (or stopped) PowerDNS; pid is 0 when not running. */
struct pdns_proc {
    pid_t pid;
    int port;           /* DNS: UDP and TCP on 127.0.0.1 */
    int api_port;       /* the HTTP API on 127.0.0.1, 0 when started without it */
    char api_url[64];   /* "http://127.0.0.1:API_PORT" */
    char api_key[65];   /* the generated key (hex) */
    char key_file[320]; /* <dir>/api.key: the key, one line, mode 0600 */
    char dir[256];
    char db[320];  /* the gsqlite3 database */
    char log[320]; /* stdout and stderr of pdns_server */
    char probe[256];
};

/* Creates <dir>/pdns.db from the backend's schema (PDNS_SQLITE_SCHEMA or the Debian path), runs
 * zone_sql in it (INSERTs into domains and records), starts pdns_server (PDNS_SERVER or
 * /usr/sbin/pdns_server) on a free loopback port and waits (10 s deadline) until it answers
 * probe_name (an A record zone_sql defines). Returns 0 or -1 (with the reason on stderr). */
int pdns_proc_start(struct pdns_proc *pp, const char *zone_sql, const char *probe_name);
/* The same with the HTTP API on a second free loopback port, a random key (in the config file
 * and key_file, never on pdns_server's command line), SOA-EDIT-API honoured; also waits until
 * the API answers with the key. */
int pdns_proc_start_api(struct pdns_proc *pp, const char *zone_sql, const char *probe_name);
/* SIGTERM (5 s, then SIGKILL), keeping the dir, database and ports. Returns 0, -1 when nothing
 * ran. */
int pdns_proc_stop(struct pdns_proc *pp);
/* Starts the stopped server again on the same ports with the same database and waits as
 * pdns_proc_start does. Returns 0 or -1. */
int pdns_proc_restart(struct pdns_proc *pp);
/* Stops the server (SIGTERM, 5 s, then SIGKILL) and removes the temp dir. NULL-safe state. */
void pdns_proc_cleanup(struct pdns_proc *pp);

#endif
