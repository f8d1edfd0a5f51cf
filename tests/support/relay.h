/* relay: a TCP relay for failure tests, in the manner of toxiproxy. It listens on an ephemeral
 * 127.0.0.1 port and forwards every connection to 127.0.0.1:target (a live mxapid), run by a
 * background thread of the test process, so a program under test (mxtui in a pty, mxctl, the
 * client) can be pointed at it while the test makes the network slow, silent, broken or closed.
 *
 * Every control takes effect at once: it returns after the relay's thread has applied it (or
 * after 5 s, which a healthy relay never needs), and may be called from any thread. */
#ifndef RELAY_H
#define RELAY_H

#include <stdbool.h>
#include <stddef.h>

struct relay;

/* What the relay did so far (relay_stats). */
struct relay_stats {
    unsigned long accepted;        /* connections accepted */
    unsigned long open;            /* connections open now */
    unsigned long long bytes_up;   /* client to server, passed on */
    unsigned long long bytes_down; /* server to client, passed on */
    unsigned long long held;       /* from the server, not passed on yet (delay) */
};

/* Starts a relay to 127.0.0.1:target_port with its thread. NULL on error (logged). */
struct relay *relay_start(int target_port);
/* The port it listens on (stays the same through relay_set_refuse). */
int relay_port(const struct relay *r);
/* "http://127.0.0.1:PORT" of the relay into out. */
void relay_url(const struct relay *r, char *out, size_t size);

/* Holds each chunk the server sends for ms after it arrived before passing it on (0: none);
 * chunks already held keep their time. Requests to the server are not delayed. */
void relay_set_delay_ms(struct relay *r, int ms);
/* On: connections are still accepted and read, but nothing is passed on in either direction
 * (what was held is dropped), so requests hang until the client gives up. New connections are
 * not even forwarded to the server. Off: new data flows again. */
void relay_set_blackhole(struct relay *r, bool on);
/* Closes every open connection now (both sides; the client sees the connection closed, with
 * whatever part of a reply had passed). New connections are relayed as before. */
void relay_cut(struct relay *r);
/* On: new connections are refused — the relay STOPS LISTENING (it closes its socket), so a
 * connect gets ECONNREFUSED as from a server that is down; open connections stay. Off: it
 * listens again on the same port. */
void relay_set_refuse(struct relay *r, bool on);
/* Closes each connection once bytes from the server have been passed on to its client (0: no
 * limit), like toxiproxy's limit_data: a reply larger than what is left arrives cut short. */
void relay_set_limit_down(struct relay *r, unsigned long long bytes);
/* A consistent snapshot of the counters. */
void relay_stats(struct relay *r, struct relay_stats *out);

/* Stops the thread and closes every socket (idempotent). */
void relay_stop(struct relay *r);
/* relay_stop, frees, and sets *r to NULL. NULL-safe. */
void relay_free(struct relay **r);

#endif
