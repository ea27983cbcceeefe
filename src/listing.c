/* listing.c - -D and -L in tcpdump's formats, and the link type a live
 * capture will use; see app.h. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "capture/capture.h"

static void print_flags(const struct capture_iface *e)
{
	const char *sep = "";
	printf(" [");
	if (e->up)
		printf("%sUp", sep), sep = ", ";
	if (e->running)
		printf("%sRunning", sep), sep = ", ";
	if (e->wireless)
		printf("%sWireless", sep), sep = ", ";
	if (e->loopback)
		printf("%sLoopback", sep), sep = ", ";
	if (!*sep)
		printf("none"), sep = ", ";
	if (e->connected >= 0)
		printf("%s%s", sep, e->connected ? "Connected" : "Disconnected");
	printf("]\n");
}

int live_list_ifaces(void)
{
	struct capture_iface *v;
	size_t n;
	char err[256];
	if (capture_iface_list(&v, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "bpfcap: %s\n", err);
		return EXIT_IO;
	}
	for (size_t i = 0; i < n; i++) {
		printf("%zu.%s", i + 1, v[i].name);
		if (v[i].desc[0])
			printf(" (%s)", v[i].desc);
		print_flags(&v[i]);
	}
	free(v);
	return fflush(stdout) ? EXIT_IO : 0;
}

int live_list_dlts(const struct config *cfg)
{
	int dlts[8], n = capture_iface_dlts(cfg->iface, dlts, 8);
	if (n == 0) {
		fprintf(stderr, "bpfcap: %s: no such interface (bpfcap -D lists them)\n",
			cfg->iface);
		return EXIT_USAGE;
	}
	printf("Data link types for %s (use option -y to set):\n", cfg->iface);
	for (int i = 0; i < n; i++)
		printf("  %s (%s)\n", pcap_datalink_val_to_name(dlts[i]),
		       pcap_datalink_val_to_description(dlts[i]));
	return fflush(stdout) ? EXIT_IO : 0;
}

int live_wanted_dlt(const struct config *cfg, int *want)
{
	*want = -1;
	if (cfg->linktype && (*want = filter_dlt_from_name(cfg->linktype)) < 0) {
		fprintf(stderr, "bpfcap: unknown link type '%s' (bpfcap -L -i %s lists them)\n",
			cfg->linktype, cfg->iface);
		return -1;
	}
	return 0;
}

int live_dlt(const struct config *cfg)
{
	char err[256];
	int want;
	if (live_wanted_dlt(cfg, &want) < 0)
		return -1;
	int dlt = capture_iface_pick_dlt(cfg->iface, want, err, sizeof(err));
	if (dlt < 0)
		fprintf(stderr, "bpfcap: %s\n", err);
	return dlt < 0 ? -1 : dlt;
}

/* tcpdump without -i: the first interface that is up and running and not a
 * loopback, else "any". */
const char *live_default_iface(char *buf, size_t len)
{
	struct capture_iface *v;
	size_t n;
	char err[256];
	snprintf(buf, len, "any");
	if (capture_iface_list(&v, &n, err, sizeof(err)) < 0)
		return buf;
	for (size_t i = 0; i < n; i++)
		if (v[i].up && v[i].running && !v[i].loopback && strcmp(v[i].name, "any")) {
			snprintf(buf, len, "%s", v[i].name);
			break;
		}
	free(v);
	return buf;
}
