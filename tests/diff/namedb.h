/*
 * namedb.h - a name resolver for the differential tests that reads hosts,
 * ethers and networks files from a directory (the corpus' namedb/), then
 * falls back to the system databases.
 */
#ifndef BPFCAP_TEST_NAMEDB_H
#define BPFCAP_TEST_NAMEDB_H

#include "filter/filter.h"

/* A resolver over DIR/hosts, DIR/ethers and DIR/networks, or NULL if none
 * of them can be read.  Valid until namedb_free(). */
const struct filter_resolver *namedb_open(const char *dir);
void namedb_free(void);

#endif
