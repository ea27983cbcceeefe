/* view_batch.c - one record per interval on a stream: aligned text, or a
 * JSON object per line (the field names are documented in bpfcap(8)).
 * See flow.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "flow/flow.h"

static double secs_of(uint64_t ns)
{
	return (double)ns / 1e9;
}

static double age_of(const struct flow_batch_info *bi, const struct flow_rec *r)
{
	return bi->now_ns > r->first_ns ? secs_of(bi->now_ns - r->first_ns) : 0;
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

int flow_print_text(FILE *out, const struct flow_batch_info *bi, const struct flow_totals *t,
		    const struct flow_rec *recs, size_t n)
{
	char when[32], h[5][16];
	time_t now = (time_t)((bi->now_ns + bi->mono_to_wall_ns) / 1000000000u);
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	fprintf(out,
		"%s %s %s%s%s: %llu packets, %llu bytes, %s pps, %sbit/s; %zu flows, %llu "
		"evictions, %llu drops, %llu expired\n",
		when, bi->iface, bi->hook, bi->filter && *bi->filter ? " filter " : "",
		bi->filter && *bi->filter ? bi->filter : "", (unsigned long long)t->packets,
		(unsigned long long)t->bytes, flow_human(t->pps, h[0], sizeof(h[0])),
		flow_human(t->bps, h[1], sizeof(h[1])), t->flows, (unsigned long long)t->evictions,
		(unsigned long long)t->insert_failed, (unsigned long long)t->expired);
	fprintf(out, "%-18s %-28s %-28s %10s %12s %8s %8s %-8s %7s\n", "PROTO", "SOURCE",
		"DESTINATION", "PACKETS", "BYTES", "PPS", "BIT/S", "FLAGS", "AGE");
	for (size_t i = 0; i < n; i++) {
		const struct flow_rec *r = &recs[i];
		char p[48], s[64], d[64], f[12];
		fprintf(out, "%-18s %-28s %-28s %10llu %12llu %8s %8s %-8s %7.1f\n",
			flow_proto_col(&r->key, p, sizeof(p)),
			flow_endpoint(&r->key, 1, s, sizeof(s)),
			flow_endpoint(&r->key, 0, d, sizeof(d)), (unsigned long long)r->packets,
			(unsigned long long)r->bytes, flow_human(r->pps, h[2], sizeof(h[2])),
			flow_human(r->bps, h[3], sizeof(h[3])),
			flow_tcp_flags(r->tcp_flags, f, sizeof(f)), age_of(bi, r));
	}
	fputc('\n', out);
	return fflush(out) || ferror(out) ? -1 : 0;
}

static void json_flow(FILE *out, const struct flow_batch_info *bi, const struct flow_rec *r)
{
	const struct flow_key *k = &r->key;
	char p[32], a[64], f[12];
	fprintf(out, "{\"ifindex\":%u,\"hook\":\"%s\",\"vlan\":%u,\"ethertype\":%u,\"proto\":",
		k->ifindex, flow_hook_name(k->hook), k->vlan, k->ethertype);
	json_str(out, flow_proto_name(k, p, sizeof(p)));
	if (k->ethertype == 0x0800 || k->ethertype == 0x86dd) {
		fprintf(out, ",\"l4proto\":%u,\"src\":\"%s\"", k->l4proto,
			flow_addr(k, 1, a, sizeof(a)));
		fprintf(out, ",\"dst\":\"%s\"", flow_addr(k, 0, a, sizeof(a)));
		if (k->l4proto == 1 || k->l4proto == 58)
			fprintf(out, ",\"icmp_type\":%u,\"icmp_code\":%u", k->sport, k->dport);
		else
			fprintf(out, ",\"sport\":%u,\"dport\":%u", k->sport, k->dport);
	}
	fprintf(out,
		",\"packets\":%llu,\"bytes\":%llu,\"pps\":%.3f,\"bps\":%.3f,\"tcp_flags\":\"%s\","
		"\"first\":%.6f,\"last\":%.6f,\"age\":%.3f}",
		(unsigned long long)r->packets, (unsigned long long)r->bytes, r->pps, r->bps,
		flow_tcp_flags(r->tcp_flags, f, sizeof(f)),
		secs_of(r->first_ns + bi->mono_to_wall_ns),
		secs_of(r->last_ns + bi->mono_to_wall_ns), age_of(bi, r));
}

int flow_print_json(FILE *out, const struct flow_batch_info *bi, const struct flow_totals *t,
		    const struct flow_rec *recs, size_t n)
{
	fprintf(out, "{\"time\":%.6f,\"interval\":%.3f,\"interface\":",
		secs_of(bi->now_ns + bi->mono_to_wall_ns), bi->interval);
	json_str(out, bi->iface);
	fputs(",\"hook\":", out);
	json_str(out, bi->hook);
	fputs(",\"filter\":", out);
	json_str(out, bi->filter ? bi->filter : "");
	fprintf(out,
		",\"packets\":%llu,\"bytes\":%llu,\"pps\":%.3f,\"bps\":%.3f,\"flow_count\":%zu,"
		"\"inserts\":%llu,\"evictions\":%llu,\"drops\":%llu,\"expired\":%llu,\"flows\":[",
		(unsigned long long)t->packets, (unsigned long long)t->bytes, t->pps, t->bps,
		t->flows, (unsigned long long)t->inserts, (unsigned long long)t->evictions,
		(unsigned long long)t->insert_failed, (unsigned long long)t->expired);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		json_flow(out, bi, &recs[i]);
	}
	fputs("]}\n", out);
	return fflush(out) || ferror(out) ? -1 : 0;
}
