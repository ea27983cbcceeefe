/* pktline.c - the one line a packet prints until the protocol printer
 * lands; see app.h. */
#include <stdio.h>
#include <time.h>

#include "app.h"

int app_print_pkt(const struct capture_pkt *p, int nano, const char *where, const char *dlt_name)
{
	struct tm tm;
	time_t t = (time_t)p->ts_sec;
	localtime_r(&t, &tm);
	int rc = nano ? printf("%02d:%02d:%02d.%09u ", tm.tm_hour, tm.tm_min, tm.tm_sec, p->ts_nsec)
		      : printf("%02d:%02d:%02d.%06u ", tm.tm_hour, tm.tm_min, tm.tm_sec,
			       p->ts_nsec / 1000);
	if (rc >= 0 && where)
		rc = printf("%s ", where);
	if (rc >= 0)
		rc = printf("%s, length %u\n", dlt_name, p->len);
	return rc < 0 ? -1 : 0;
}
