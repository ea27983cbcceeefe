/*
 * names.h - built-in name tables (EtherType names) and the system resolver.
 */
#ifndef BPFCAP_FILTER_NAMES_H
#define BPFCAP_FILTER_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The EtherType (or SAP) for libpcap's built-in link-protocol names
 * (ip, ip6, arp, rarp, atalk, aarp, decnet, sca, lat, mopdl, moprc, iso,
 * stp, ipx, netbeui, loopback).  1 if found. */
int names_ethertype(const char *name, size_t len, uint32_t *v);

#endif
