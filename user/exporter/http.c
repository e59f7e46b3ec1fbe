// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The HTTP side, through libmicrohttpd: GET /metrics scrapes, GET / says
 * where the metrics are, anything else is 404 (405 for other methods).
 * One polling thread answers every connection, so scrapes never overlap:
 * each is one dump, and the groups' state needs no lock.
 *
 * libmicrohttpd is opened with dlopen() when the exporter starts, not
 * linked: linked, it and GnuTLS with its seven libraries were loaded,
 * relocated and initialised by every threadstat command (~4.2 million
 * instructions and 60 mmaps before main, on x86-64: more than the
 * formatting of 1,000 threads).
 */
#include <dlfcn.h>
#include <microhttpd.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exporter.h"

#ifndef EX_MHD_SONAME
#define EX_MHD_SONAME "libmicrohttpd.so.12"
#endif

/* The libmicrohttpd functions used here, resolved by mhd_open(). */
static struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *create_response;
	__typeof__(MHD_add_response_header) *add_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_lookup_connection_value) *lookup_value;
} mhd;

static int mhd_sym(void *lib, const char *name, void *slot)
{
	void *f = dlsym(lib, name);

	if (!f) {
		fprintf(stderr, "threadstat exporter: %s: no %s\n",
			EX_MHD_SONAME, name);
		return -1;
	}
	memcpy(slot, &f, sizeof(f));
	return 0;
}

/* Opens libmicrohttpd (kept open until exit). 0, or -1 with a message. */
static int mhd_open(void)
{
	void *lib = dlopen(EX_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		fprintf(stderr, "threadstat exporter: %s\n", dlerror());
		return -1;
	}
	if (mhd_sym(lib, "MHD_start_daemon", &mhd.start_daemon) ||
	    mhd_sym(lib, "MHD_stop_daemon", &mhd.stop_daemon) ||
	    mhd_sym(lib, "MHD_create_response_from_buffer",
		    &mhd.create_response) ||
	    mhd_sym(lib, "MHD_add_response_header", &mhd.add_header) ||
	    mhd_sym(lib, "MHD_queue_response", &mhd.queue_response) ||
	    mhd_sym(lib, "MHD_destroy_response", &mhd.destroy_response) ||
	    mhd_sym(lib, "MHD_lookup_connection_value", &mhd.lookup_value))
		return -1;
	return 0;
}

static const char index_page[] =
	"<html><head><title>threadstat exporter</title></head><body>"
	"<h1>threadstat exporter</h1>"
	"<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = mhd.create_response(len, body, mode);
	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = mhd.queue_response(conn, status, r);
	mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_len, void **state)
{
	static int headers_seen;
	struct ex_exporter *e = cls;
	struct ts_str out = { 0 };
	enum ex_format f;
	int status;

	(void)version;
	(void)upload;
	if (!*state) {	/* headers only: answer on the next call */
		*state = &headers_seen;
		return MHD_YES;
	}
	if (*upload_len)	/* a GET has no body: refuse one */
		return MHD_NO;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain",
			     "GET only\n", 9, MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/"))
		return reply(conn, MHD_HTTP_OK, "text/html",
			     (char *)index_page, sizeof(index_page) - 1,
			     MHD_RESPMEM_PERSISTENT);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain",
			     "not found\n", 10, MHD_RESPMEM_PERSISTENT);
	f = ex_format_for(mhd.lookup_value(conn, MHD_HEADER_KIND,
					       MHD_HTTP_HEADER_ACCEPT));
	status = ex_scrape(e, f, &out);
	if (!out.p)	/* nothing was written at all (no memory) */
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     "text/plain", "out of memory\n", 14,
			     MHD_RESPMEM_PERSISTENT);
	/* The body is handed to libmicrohttpd, which frees it. */
	return reply(conn, (unsigned int)status,
		     status == 200 ? ex_content_type(f) : "text/plain",
		     out.p, out.len, MHD_RESPMEM_MUST_FREE);
}

/* "ADDR:PORT", "[ADDR]:PORT" or ":PORT" (every address). */
static struct addrinfo *resolve(const char *listen)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *ai = NULL;
	const char *colon = strrchr(listen, ':');
	char host[256];
	size_t n;
	int rc;

	if (!colon || !colon[1])
		return NULL;
	n = (size_t)(colon - listen);
	if (n && listen[0] == '[' && listen[n - 1] == ']') {
		listen++;
		n -= 2;
	}
	if (n >= sizeof(host))
		return NULL;
	memcpy(host, listen, n);
	host[n] = '\0';
	rc = getaddrinfo(n ? host : NULL, colon + 1, &hints, &ai);
	if (rc) {
		fprintf(stderr, "threadstat exporter: %s: %s\n", listen,
			gai_strerror(rc));
		return NULL;
	}
	return ai;
}

int ex_serve(struct ex_exporter *e, const char *listen)
{
	struct addrinfo *ai = resolve(listen);
	struct MHD_Daemon *d;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_ERROR_LOG;
	sigset_t stop;
	int sig;

	if (!ai) {
		fprintf(stderr, "threadstat exporter: cannot listen on '%s'\n",
			listen);
		return 2;
	}
	if (mhd_open()) {
		freeaddrinfo(ai);
		return 1;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* Signals are taken by sigwait() here, not by the server thread. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = mhd.start_daemon(flags, 0, NULL, NULL, answer, e,
			      MHD_OPTION_SOCK_ADDR, ai->ai_addr,
			      MHD_OPTION_CONNECTION_LIMIT, 64u,
			      MHD_OPTION_CONNECTION_TIMEOUT, 30u,
			      MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!d) {
		fprintf(stderr, "threadstat exporter: cannot listen on %s\n",
			listen);
		return 1;
	}
	fprintf(stderr, "threadstat exporter: listening on %s\n", listen);
	sigwait(&stop, &sig);
	mhd.stop_daemon(d);
	return 0;
}
