/*
 * ipfix.c - --ipfix HOST:PORT: flows as IPFIX (RFC 7011) over UDP or TCP, through
 * libfixbuf (CERT NetSA, packaged in Debian): it knows the IANA information
 * elements, builds template and data sets and the message headers, which a
 * hand-written encoder would have to get right byte by byte; it costs a
 * glib dependency, which Debian has anyway.
 *
 * Records carry deltas: what the flow counted since its previous record.
 * A flow gets a record when it expires (idle), when it has been active for
 * the active timeout (60 s) since its previous record, and when bpfcap
 * stops.  Templates are sent first and, over UDP, again every 60 s; over
 * TCP (tcp://HOST:PORT) once: a stream loses none.
 * The per-flow state (what was exported) is an array sorted by key, merged
 * with each read (which run.c hands over sorted by key).  See flow.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fixbuf/public.h>

#include "flow/flow.h"

#define ACTIVE_NS   (60ull * 1000000000u)
#define TEMPLATE_NS (60ull * 1000000000u)

/* Laid out as the template specs below: no padding. */
struct rec4 {
	uint64_t start_ms, end_ms, octets, packets;
	uint32_t src, dst, ifindex;
	uint16_t sport, dport, vlan, icmp, tcp_flags;
	uint8_t proto, direction;
};

struct rec6 {
	uint64_t start_ms, end_ms, octets, packets;
	uint8_t src[16], dst[16];
	uint32_t ifindex;
	uint16_t sport, dport, vlan, icmp, tcp_flags;
	uint8_t proto, direction;
};

_Static_assert(sizeof(struct rec4) == 56, "struct rec4 has no padding");
_Static_assert(sizeof(struct rec6) == 80, "struct rec6 has no padding");

static fbInfoElementSpec_t spec4[] = {
	{"flowStartMilliseconds", 8, 0},
	{"flowEndMilliseconds", 8, 0},
	{"octetDeltaCount", 8, 0},
	{"packetDeltaCount", 8, 0},
	{"sourceIPv4Address", 4, 0},
	{"destinationIPv4Address", 4, 0},
	{"ingressInterface", 4, 0},
	{"sourceTransportPort", 2, 0},
	{"destinationTransportPort", 2, 0},
	{"vlanId", 2, 0},
	{"icmpTypeCodeIPv4", 2, 0},
	{"tcpControlBits", 2, 0},
	{"protocolIdentifier", 1, 0},
	{"flowDirection", 1, 0},
	FB_IESPEC_NULL,
};

static fbInfoElementSpec_t spec6[] = {
	{"flowStartMilliseconds", 8, 0},
	{"flowEndMilliseconds", 8, 0},
	{"octetDeltaCount", 8, 0},
	{"packetDeltaCount", 8, 0},
	{"sourceIPv6Address", 16, 0},
	{"destinationIPv6Address", 16, 0},
	{"ingressInterface", 4, 0},
	{"sourceTransportPort", 2, 0},
	{"destinationTransportPort", 2, 0},
	{"vlanId", 2, 0},
	{"icmpTypeCodeIPv6", 2, 0},
	{"tcpControlBits", 2, 0},
	{"protocolIdentifier", 1, 0},
	{"flowDirection", 1, 0},
	FB_IESPEC_NULL,
};

struct sent {
	struct flow_key key;
	uint64_t packets, bytes, at_ns;
};

struct flow_ipfix {
	fbInfoModel_t *model;
	fBuf_t *buf;
	fbSession_t *session;
	uint16_t tid4, tid6;
	uint64_t templates_ns;
	struct sent *sent, *next;
	size_t nsent, cap;
	uint64_t records;
	int tcp; /* a stream keeps the templates: they are sent once */
};

static int add_template(struct flow_ipfix *x, fbInfoElementSpec_t *spec, uint16_t *tid, GError **ge)
{
	fbTemplate_t *t = fbTemplateAlloc(x->model);
	if (!fbTemplateAppendSpecArray(t, spec, 0xffffffff, ge)) {
		fbTemplateFreeUnused(t);
		return -1;
	}
	*tid = fbSessionAddTemplate(x->session, TRUE, FB_TID_AUTO, t, ge);
	if (!*tid || !fbSessionAddTemplate(x->session, FALSE, *tid, t, ge))
		return -1;
	return 0;
}

/* "host:port" or "[v6]:port" into HOST and PORT (pointers into BUF). */
static int split(const char *hostport, char *buf, size_t len, char **host, char **port)
{
	if (strlen(hostport) >= len)
		return -1;
	strcpy(buf, hostport);
	char *colon = strrchr(buf, ':');
	if (!colon || colon == buf || !colon[1])
		return -1;
	*colon = '\0';
	*port = colon + 1;
	*host = buf;
	if (buf[0] == '[') {
		size_t l = strlen(buf);
		if (l < 3 || buf[l - 1] != ']')
			return -1;
		buf[l - 1] = '\0';
		*host = buf + 1;
	}
	return 0;
}

struct flow_ipfix *flow_ipfix_open(const char *hostport, char *err, size_t errlen)
{
	char hp[300], *host, *port;
	int tcp = !strncmp(hostport, "tcp://", 6);
	if (split(hostport + (tcp ? 6 : 0), hp, sizeof(hp), &host, &port) < 0) {
		snprintf(err, errlen, "expected HOST:PORT, [IPv6]:PORT or tcp://HOST:PORT");
		return NULL;
	}
	struct flow_ipfix *x = calloc(1, sizeof(*x));
	GError *ge = NULL;
	if (!x)
		return NULL;
	x->model = fbInfoModelAlloc();
	x->session = fbSessionAlloc(x->model);
	/* the templates before the buffer: with a buffer, adding an external
	 * template writes it out at once */
	if (add_template(x, spec4, &x->tid4, &ge) < 0 || add_template(x, spec6, &x->tid6, &ge) < 0)
		goto fail_ge;
	fbConnSpec_t cs = {.transport = tcp ? FB_TCP : FB_UDP, .host = host, .svc = port};
	x->tcp = tcp;
	fbExporter_t *ex = fbExporterAllocNet(&cs);
	if (!ex) {
		snprintf(err, errlen, "cannot export to %s", hostport);
		goto fail;
	}
	x->buf = fBufAllocForExport(x->session, ex);
	return x;
fail_ge:
	snprintf(err, errlen, "%s", ge ? ge->message : "cannot set up the templates");
	g_clear_error(&ge);
fail:
	flow_ipfix_close(x);
	return NULL;
}

void flow_ipfix_close(struct flow_ipfix *x)
{
	if (!x)
		return;
	if (x->buf) {
		fBufEmit(x->buf, NULL);
		fBufFree(x->buf); /* the session and the exporter with it */
	} else if (x->session) {
		fbSessionFree(x->session);
	}
	if (x->model)
		fbInfoModelFree(x->model);
	free(x->sent);
	free(x->next);
	free(x);
}

static uint8_t direction(const struct flow_key *k)
{
	return k->hook == FLOW_HOOK_TC_EGRESS; /* 0 ingress, 1 egress */
}

static int append(struct flow_ipfix *x, const struct flow_rec *r, uint64_t packets, uint64_t bytes,
		  uint64_t wall_ns, GError **ge)
{
	const struct flow_key *k = &r->key;
	if (k->ethertype != 0x0800 && k->ethertype != 0x86dd)
		return 1; /* these elements describe IP flows only */
	uint64_t s = (r->first_ns + wall_ns) / 1000000u, e = (r->last_ns + wall_ns) / 1000000u;
	uint16_t icmp = (uint16_t)(k->sport << 8 | k->dport);
	int is_icmp = k->l4proto == 1 || k->l4proto == 58;
	if (k->ethertype == 0x0800) {
		struct rec4 v = {s,
				 e,
				 bytes,
				 packets,
				 0,
				 0,
				 k->ifindex,
				 is_icmp ? 0 : k->sport,
				 is_icmp ? 0 : k->dport,
				 k->vlan,
				 is_icmp ? icmp : 0,
				 r->tcp_flags,
				 k->l4proto,
				 direction(k)};
		/* libfixbuf takes IPv4 addresses as host-order integers */
		v.src = (uint32_t)k->src[0] << 24 | (uint32_t)k->src[1] << 16 |
			(uint32_t)k->src[2] << 8 | k->src[3];
		v.dst = (uint32_t)k->dst[0] << 24 | (uint32_t)k->dst[1] << 16 |
			(uint32_t)k->dst[2] << 8 | k->dst[3];
		return fBufSetInternalTemplate(x->buf, x->tid4, ge) &&
		       fBufSetExportTemplate(x->buf, x->tid4, ge) &&
		       fBufAppend(x->buf, (uint8_t *)&v, sizeof(v), ge);
	}
	struct rec6 v = {s,
			 e,
			 bytes,
			 packets,
			 {0},
			 {0},
			 k->ifindex,
			 is_icmp ? 0 : k->sport,
			 is_icmp ? 0 : k->dport,
			 k->vlan,
			 is_icmp ? icmp : 0,
			 r->tcp_flags,
			 k->l4proto,
			 direction(k)};
	memcpy(v.src, k->src, 16);
	memcpy(v.dst, k->dst, 16);
	return fBufSetInternalTemplate(x->buf, x->tid6, ge) &&
	       fBufSetExportTemplate(x->buf, x->tid6, ge) &&
	       fBufAppend(x->buf, (uint8_t *)&v, sizeof(v), ge);
}

static struct sent *find(struct flow_ipfix *x, const struct flow_key *k)
{
	size_t lo = 0, hi = x->nsent;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = memcmp(&x->sent[mid].key, k, sizeof(*k));
		if (c == 0)
			return &x->sent[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* One record for R if it counted anything since its previous one. */
static int emit(struct flow_ipfix *x, const struct flow_rec *r, struct sent *s, uint64_t now,
		uint64_t wall_ns, GError **ge)
{
	uint64_t p = r->packets >= s->packets ? r->packets - s->packets : r->packets;
	uint64_t b = r->bytes >= s->bytes ? r->bytes - s->bytes : r->bytes;
	s->packets = r->packets;
	s->bytes = r->bytes;
	s->at_ns = now;
	if (!p)
		return 1;
	x->records++;
	return append(x, r, p, b, wall_ns, ge);
}

static int grow(struct flow_ipfix *x, size_t n)
{
	if (n <= x->cap)
		return 0;
	size_t cap = n * 2;
	struct sent *a = realloc(x->sent, cap * sizeof(*a)), *b;
	if (!a)
		return -ENOMEM;
	x->sent = a;
	if (!(b = realloc(x->next, cap * sizeof(*b))))
		return -ENOMEM;
	x->next = b;
	x->cap = cap;
	return 0;
}

/* The flows still in the map: a record on the active timeout (or for all
 * with FLUSH), and the state array rebuilt from them. */
static int active(struct flow_ipfix *x, const struct flow_rec *recs, size_t n, uint64_t wall_ns,
		  uint64_t now, int flush, GError **ge)
{
	if (grow(x, n + 1) < 0)
		return -ENOMEM;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		const struct flow_rec *r = &recs[i];
		int c = 1;
		while (j < x->nsent && (c = memcmp(&x->sent[j].key, &r->key, sizeof(r->key))) < 0)
			j++;
		struct sent s = {.key = r->key, .at_ns = r->first_ns};
		if (j < x->nsent && c == 0)
			s = x->sent[j];
		if ((flush || now - s.at_ns >= ACTIVE_NS) && !emit(x, r, &s, now, wall_ns, ge))
			return -EIO;
		x->next[i] = s;
	}
	struct sent *t = x->sent;
	x->sent = x->next;
	x->next = t;
	x->nsent = n;
	return 0;
}

int flow_ipfix_export(struct flow_ipfix *x, const struct flow_rec *recs, size_t n,
		      uint64_t mono_to_wall_ns, uint64_t now_ns, enum flow_ipfix_what what)
{
	GError *ge = NULL;
	int rc = 0;
	if (!x->templates_ns || (!x->tcp && now_ns - x->templates_ns >= TEMPLATE_NS)) {
		if (!fbSessionExportTemplates(x->session, &ge))
			rc = -EIO;
		x->templates_ns = now_ns;
	}
	if (!rc && what == FLOW_IPFIX_ENDED) {
		for (size_t i = 0; i < n && !rc; i++) {
			struct sent *s = find(x, &recs[i].key), fresh = {.key = recs[i].key};
			if (!emit(x, &recs[i], s ? s : &fresh, now_ns, mono_to_wall_ns, &ge))
				rc = -EIO;
		}
	} else if (!rc) {
		rc = active(x, recs, n, mono_to_wall_ns, now_ns, what == FLOW_IPFIX_ALL, &ge);
	}
	if (!rc && !fBufEmit(x->buf, &ge))
		rc = -EIO;
	if (rc) {
		fprintf(stderr, "bpfcap: IPFIX export: %s\n", ge ? ge->message : "out of memory");
		g_clear_error(&ge);
	}
	return rc;
}
