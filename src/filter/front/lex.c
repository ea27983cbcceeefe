/* lex.c - the scanner; see lex.h.  Mirrors libpcap's scanner.l: the longest
 * match wins, and among equal lengths addresses come before numbers before
 * keywords before identifiers. */
#include "front/lex.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kwent {
	const char *name;
	enum kw kw; /* KW_NONE: a named constant */
	uint32_t num;
};

/* Sorted by name (strcmp order): lex_kw_lookup() does a binary search. */
static const struct kwent kwtab[] = {
	{"aarp", KW_AARP, 0},
	{"action", KW_OTHER_LINK, 0},
	{"addr1", KW_ADDR1, 0},
	{"addr2", KW_ADDR2, 0},
	{"addr3", KW_ADDR3, 0},
	{"addr4", KW_ADDR4, 0},
	{"address1", KW_ADDR1, 0},
	{"address2", KW_ADDR2, 0},
	{"address3", KW_ADDR3, 0},
	{"address4", KW_ADDR4, 0},
	{"ah", KW_AH, 0},
	{"and", KW_AND, 0},
	{"arp", KW_ARP, 0},
	{"atalk", KW_ATALK, 0},
	{"bcc", KW_OTHER_LINK, 0},
	{"broadcast", KW_BROADCAST, 0},
	{"byte", KW_BYTE, 0},
	{"carp", KW_CARP, 0},
	{"clnp", KW_CLNP, 0},
	{"connectmsg", KW_OTHER_LINK, 0},
	{"csnp", KW_CSNP, 0},
	{"decnet", KW_DECNET, 0},
	{"dir", KW_OTHER_LINK, 0},
	{"direction", KW_OTHER_LINK, 0},
	{"dpc", KW_OTHER_LINK, 0},
	{"dst", KW_DST, 0},
	{"es-is", KW_ESIS, 0},
	{"esis", KW_ESIS, 0},
	{"esp", KW_ESP, 0},
	{"ether", KW_LINK, 0},
	{"fddi", KW_LINK, 0},
	{"fisu", KW_OTHER_LINK, 0},
	{"gateway", KW_GATEWAY, 0},
	{"geneve", KW_GENEVE, 0},
	{"greater", KW_GREATER, 0},
	{"hdpc", KW_OTHER_LINK, 0},
	{"hfisu", KW_OTHER_LINK, 0},
	{"hlssu", KW_OTHER_LINK, 0},
	{"hmsu", KW_OTHER_LINK, 0},
	{"hopc", KW_OTHER_LINK, 0},
	{"host", KW_HOST, 0},
	{"hsio", KW_OTHER_LINK, 0},
	{"hsls", KW_OTHER_LINK, 0},
	{"icmp", KW_ICMP, 0},
	{"icmp-echo", KW_NONE, 8},
	{"icmp-echoreply", KW_NONE, 0},
	{"icmp-ireq", KW_NONE, 15},
	{"icmp-ireqreply", KW_NONE, 16},
	{"icmp-maskreply", KW_NONE, 18},
	{"icmp-maskreq", KW_NONE, 17},
	{"icmp-paramprob", KW_NONE, 12},
	{"icmp-redirect", KW_NONE, 5},
	{"icmp-routeradvert", KW_NONE, 9},
	{"icmp-routersolicit", KW_NONE, 10},
	{"icmp-sourcequench", KW_NONE, 4},
	{"icmp-timxceed", KW_NONE, 11},
	{"icmp-tstamp", KW_NONE, 13},
	{"icmp-tstampreply", KW_NONE, 14},
	{"icmp-unreach", KW_NONE, 3},
	{"icmp6", KW_ICMP6, 0},
	{"icmp6-certpathadvert", KW_NONE, 149},
	{"icmp6-certpathsolicit", KW_NONE, 148},
	{"icmp6-destinationunreach", KW_NONE, 1},
	{"icmp6-echo", KW_NONE, 128},
	{"icmp6-echoreply", KW_NONE, 129},
	{"icmp6-homeagentdiscoveryreply", KW_NONE, 145},
	{"icmp6-homeagentdiscoveryrequest", KW_NONE, 144},
	{"icmp6-ineighbordiscoveryadvert", KW_NONE, 142},
	{"icmp6-ineighbordiscoverysolicit", KW_NONE, 141},
	{"icmp6-mobileprefixadvert", KW_NONE, 147},
	{"icmp6-mobileprefixsolicit", KW_NONE, 146},
	{"icmp6-multicastlistenerdone", KW_NONE, 132},
	{"icmp6-multicastlistenerquery", KW_NONE, 130},
	{"icmp6-multicastlistenerreportv1", KW_NONE, 131},
	{"icmp6-multicastlistenerreportv2", KW_NONE, 143},
	{"icmp6-multicastrouteradvert", KW_NONE, 151},
	{"icmp6-multicastroutersolicit", KW_NONE, 152},
	{"icmp6-multicastrouterterm", KW_NONE, 153},
	{"icmp6-neighboradvert", KW_NONE, 136},
	{"icmp6-neighborsolicit", KW_NONE, 135},
	{"icmp6-nodeinformationquery", KW_NONE, 139},
	{"icmp6-nodeinformationresponse", KW_NONE, 140},
	{"icmp6-packettoobig", KW_NONE, 2},
	{"icmp6-parameterproblem", KW_NONE, 4},
	{"icmp6-redirect", KW_NONE, 137},
	{"icmp6-routeradvert", KW_NONE, 134},
	{"icmp6-routerrenum", KW_NONE, 138},
	{"icmp6-routersolicit", KW_NONE, 133},
	{"icmp6-timeexceeded", KW_NONE, 3},
	{"icmp6code", KW_NONE, 1},
	{"icmp6type", KW_NONE, 0},
	{"icmpcode", KW_NONE, 1},
	{"icmptype", KW_NONE, 0},
	{"ifindex", KW_IFINDEX, 0},
	{"ifname", KW_OTHER_LINK, 0},
	{"igmp", KW_IGMP, 0},
	{"igrp", KW_IGRP, 0},
	{"iih", KW_IIH, 0},
	{"ilmic", KW_OTHER_LINK, 0},
	{"inbound", KW_INBOUND, 0},
	{"ip", KW_IP, 0},
	{"ip6", KW_IP6, 0},
	{"ipx", KW_IPX, 0},
	{"is-is", KW_ISIS, 0},
	{"isis", KW_ISIS, 0},
	{"iso", KW_ISO, 0},
	{"l1", KW_L1, 0},
	{"l2", KW_L2, 0},
	{"lane", KW_OTHER_LINK, 0},
	{"lat", KW_LAT, 0},
	{"len", KW_LEN, 0},
	{"length", KW_LEN, 0},
	{"less", KW_LESS, 0},
	{"link", KW_LINK, 0},
	{"llc", KW_LLC, 0},
	{"lsp", KW_LSP, 0},
	{"lssu", KW_OTHER_LINK, 0},
	{"lsu", KW_OTHER_LINK, 0},
	{"mask", KW_MASK, 0},
	{"metac", KW_OTHER_LINK, 0},
	{"metaconnect", KW_OTHER_LINK, 0},
	{"mopdl", KW_MOPDL, 0},
	{"moprc", KW_MOPRC, 0},
	{"mpls", KW_MPLS, 0},
	{"msu", KW_OTHER_LINK, 0},
	{"multicast", KW_MULTICAST, 0},
	{"net", KW_NET, 0},
	{"netbeui", KW_NETBEUI, 0},
	{"not", KW_NOT, 0},
	{"oam", KW_OTHER_LINK, 0},
	{"oamf4", KW_OTHER_LINK, 0},
	{"oamf4ec", KW_OTHER_LINK, 0},
	{"oamf4sc", KW_OTHER_LINK, 0},
	{"on", KW_OTHER_LINK, 0},
	{"opc", KW_OTHER_LINK, 0},
	{"or", KW_OR, 0},
	{"outbound", KW_OUTBOUND, 0},
	{"pim", KW_PIM, 0},
	{"port", KW_PORT, 0},
	{"portrange", KW_PORTRANGE, 0},
	{"ppp", KW_LINK, 0},
	{"pppoed", KW_PPPOED, 0},
	{"pppoes", KW_PPPOES, 0},
	{"proto", KW_PROTO, 0},
	{"protochain", KW_PROTOCHAIN, 0},
	{"psnp", KW_PSNP, 0},
	{"ra", KW_RA, 0},
	{"radio", KW_RADIO, 0},
	{"rarp", KW_RARP, 0},
	{"reason", KW_OTHER_LINK, 0},
	{"rnr", KW_OTHER_LINK, 0},
	{"rset", KW_OTHER_LINK, 0},
	{"rulenum", KW_OTHER_LINK, 0},
	{"ruleset", KW_OTHER_LINK, 0},
	{"sc", KW_OTHER_LINK, 0},
	{"sca", KW_SCA, 0},
	{"sctp", KW_SCTP, 0},
	{"sio", KW_OTHER_LINK, 0},
	{"slip", KW_LINK, 0},
	{"sls", KW_OTHER_LINK, 0},
	{"snp", KW_SNP, 0},
	{"src", KW_SRC, 0},
	{"srnr", KW_OTHER_LINK, 0},
	{"stp", KW_STP, 0},
	{"subrulenum", KW_OTHER_LINK, 0},
	{"subtype", KW_OTHER_LINK, 0},
	{"ta", KW_TA, 0},
	{"tcp", KW_TCP, 0},
	{"tcp-ack", KW_NONE, 16},
	{"tcp-cwr", KW_NONE, 128},
	{"tcp-ece", KW_NONE, 64},
	{"tcp-fin", KW_NONE, 1},
	{"tcp-push", KW_NONE, 8},
	{"tcp-rst", KW_NONE, 4},
	{"tcp-syn", KW_NONE, 2},
	{"tcp-urg", KW_NONE, 32},
	{"tcpflags", KW_NONE, 13},
	{"tr", KW_LINK, 0},
	{"type", KW_OTHER_LINK, 0},
	{"udp", KW_UDP, 0},
	{"vci", KW_OTHER_LINK, 0},
	{"vlan", KW_VLAN, 0},
	{"vpi", KW_OTHER_LINK, 0},
	{"vrrp", KW_VRRP, 0},
	{"vxlan", KW_VXLAN, 0},
	{"wlan", KW_LINK, 0},
};

static const struct kwent *kw_lookup(const char *s, size_t n)
{
	size_t lo = 0, hi = sizeof(kwtab) / sizeof(kwtab[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strncmp(kwtab[mid].name, s, n);
		if (c == 0 && kwtab[mid].name[n] != '\0')
			c = 1;
		if (c == 0)
			return &kwtab[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int kw_is_proto(enum kw kw)
{
	return kw >= KW_LINK && kw <= KW_RADIO;
}

void lex_init(struct lexer *lx, const char *src, size_t len, struct diag_sink *diag)
{
	lx->src = src;
	lx->len = len;
	lx->pos = 0;
	lx->diag = diag;
}

static int is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
static int is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int hexval(int c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Length of the identifier pattern [A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])? at P. */
static size_t id_run(const char *p, size_t n)
{
	if (n == 0 || !is_alnum((unsigned char)p[0]))
		return 0;
	size_t last = 1, i = 1;
	while (i < n) {
		int c = (unsigned char)p[i];
		if (is_alnum(c) || c == '.')
			last = i + 1;
		else if (c != '-' && c != '_')
			break;
		i++;
	}
	return last;
}

/* Parse a number token S[0..N) (decimal, 0x hex, leading-0 octal) into *V.
 * Returns 0, or -1 with a message in MSG. */
static int parse_num(const char *s, size_t n, uint32_t *v, const char **msg)
{
	uint64_t acc = 0;
	unsigned base = 10;
	size_t i = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < n; i++) {
		int c = (unsigned char)s[i];
		unsigned d;
		if (base == 16 && is_hex(c))
			d = (unsigned)hexval(c);
		else if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else {
			*msg = "is not a number";
			return -1;
		}
		if (d >= base) {
			*msg = "contains a digit that is not octal (a leading 0 means octal)";
			return -1;
		}
		acc = acc * base + d;
		if (acc > UINT32_MAX) {
			*msg = "does not fit in 32 bits (the largest value is 4294967295)";
			return -1;
		}
	}
	*v = (uint32_t)acc;
	return 0;
}

static int all_digits_num(const char *s, size_t n)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (size_t i = 2; i < n; i++)
			if (!is_hex((unsigned char)s[i]))
				return 0;
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* Dotted numbers with 2 to 4 decimal parts: an IPv4 address (or prefix) when
 * each is at most 255, else maybe a DECnet address.  1 if S is one (address
 * left-aligned into *V, the parts into PARTS_OUT), 0 if not, -1 if a part is out of
 * range. */
static int parse_hid(const char *s, size_t n, uint32_t *v, int *parts, uint32_t *parts_out)
{
	uint32_t acc = 0, part = 0, out[4] = {0};
	int np = 0, digits = 0, bad = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (!digits)
				return 0;
			if (np < 4)
				out[np] = part;
			if (part > 255)
				bad = 1;
			acc = (acc << 8) | (part & 0xff);
			np++;
			part = 0;
			digits = 0;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (part <= 0xffff)
			part = part * 10 + (uint32_t)(s[i] - '0');
		digits++;
	}
	if (np < 2 || np > 4)
		return 0;
	*v = acc << (8 * (4 - np));
	*parts = np;
	memcpy(parts_out, out, sizeof(out));
	return bad ? -1 : 1;
}

/* MAC in one of libpcap's spellings: 6 groups of 1-2 hex digits separated
 * by SEP (':', '-' or '.'), 3 groups of 4 hex digits separated by '.', or
 * 12 hex digits. */
static int parse_groups(const char *s, size_t n, char sep, int ngroups, int width, uint8_t *mac)
{
	int g = 0, w = 0;
	uint32_t cur = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == sep) {
			if (w == 0 || (width == 4 && w != 4) || g >= ngroups)
				return 0;
			if (width == 4) {
				mac[2 * g] = (uint8_t)(cur >> 8);
				mac[2 * g + 1] = (uint8_t)cur;
			} else {
				mac[g] = (uint8_t)cur;
			}
			g++;
			w = 0;
			cur = 0;
			continue;
		}
		if (!is_hex((unsigned char)s[i]) || ++w > width)
			return 0;
		cur = (cur << 4) | (uint32_t)hexval((unsigned char)s[i]);
	}
	return g == ngroups;
}

static int parse_eid(const char *s, size_t n, uint8_t *mac)
{
	if (n == 12) {
		size_t i;
		for (i = 0; i < 12 && is_hex((unsigned char)s[i]); i++)
			mac[i / 2] = (uint8_t)((mac[i / 2] << 4) | hexval((unsigned char)s[i]));
		if (i == 12)
			return 1;
	}
	return parse_groups(s, n, ':', 6, 2, mac) || parse_groups(s, n, '-', 6, 2, mac) ||
	       parse_groups(s, n, '.', 6, 2, mac) || parse_groups(s, n, '.', 3, 4, mac);
}

static struct token tok_at(struct lexer *lx, enum tok kind, size_t n)
{
	struct token t;
	memset(&t, 0, sizeof(t));
	t.kind = kind;
	t.begin = lx->pos;
	t.end = lx->pos + n;
	t.text = lx->src + lx->pos;
	t.textlen = n;
	lx->pos += n;
	return t;
}

static struct token tok_error(struct lexer *lx, size_t n, const char *fmt, ...) DIAG_PRINTF(3, 4);
static struct token tok_error(struct lexer *lx, size_t n, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_set(lx->diag, FILTER_ERR_SYNTAX, lx->pos, lx->pos + n, "%s", msg);
	return tok_at(lx, TOK_ERROR, n);
}

/* Tokens with colons: MACs and IPv6 addresses.  Returns 1 with *T set, or
 * 0 if the text at the cursor is not one (the caller lexes it otherwise). */
static int lex_colon_word(struct lexer *lx, struct token *t)
{
	const char *s = lx->src + lx->pos;
	size_t n = 0, colons = 0;
	while (lx->pos + n < lx->len && (is_hex((unsigned char)s[n]) || s[n] == ':' || s[n] == '.'))
		colons += s[n++] == ':';
	if (colons == 0)
		return 0;
	uint8_t mac[6];
	if (parse_groups(s, n, ':', 6, 2, mac)) {
		*t = tok_at(lx, TOK_EID, n);
		memcpy(t->addr, mac, 6);
		return 1;
	}
	char buf[64];
	if (n < sizeof(buf)) {
		memcpy(buf, s, n);
		buf[n] = '\0';
		struct in6_addr a6;
		if (inet_pton(AF_INET6, buf, &a6) == 1) {
			*t = tok_at(lx, TOK_HID6, n);
			memcpy(t->addr, &a6, 16);
			return 1;
		}
	}
	if (colons < 2)
		return 0;
	*t = tok_error(lx, n, "'%.*s' is neither a MAC address nor an IPv6 address", (int)n, s);
	return 1;
}

static struct token lex_word(struct lexer *lx, size_t n)
{
	const char *s = lx->src + lx->pos;
	struct token t;
	uint8_t mac[6] = {0};
	const char *msg = NULL;
	if (n == 12 && parse_eid(s, n, mac)) {
		t = tok_at(lx, TOK_EID, n);
		memcpy(t.addr, mac, 6);
		return t;
	}
	if (all_digits_num(s, n)) {
		uint32_t v;
		if (parse_num(s, n, &v, &msg) < 0) {
			diag_set(lx->diag, FILTER_ERR_RANGE, lx->pos, lx->pos + n, "number %.*s %s",
				 (int)n, s, msg);
			return tok_at(lx, TOK_ERROR, n);
		}
		t = tok_at(lx, TOK_NUM, n);
		t.num = v;
		return t;
	}
	uint32_t v4, part[4];
	int parts, h = parse_hid(s, n, &v4, &parts, part);
	if (h != 0) {
		t = tok_at(lx, TOK_HID, n);
		t.num = v4;
		t.parts = parts;
		t.bad4 = h < 0;
		memcpy(t.part, part, sizeof(part));
		return t;
	}
	if (parse_eid(s, n, mac)) {
		t = tok_at(lx, TOK_EID, n);
		memcpy(t.addr, mac, 6);
		return t;
	}
	const struct kwent *k = kw_lookup(s, n);
	if (k && k->kw == KW_NONE) {
		t = tok_at(lx, TOK_NUM, n);
		t.num = k->num;
		return t;
	}
	if (k) {
		t = tok_at(lx, TOK_KW, n);
		t.kw = k->kw;
		return t;
	}
	return tok_at(lx, TOK_ID, n);
}

static const struct {
	char s[3];
	enum tok t;
} punct[] = {
	{"<<", TOK_LSH},   {">>", TOK_RSH},    {"<=", TOK_LE},	   {">=", TOK_GE},
	{"==", TOK_EQ},	   {"!=", TOK_NE},     {"&&", TOK_ANDAND}, {"||", TOK_OROR},
	{"(", TOK_LPAREN}, {")", TOK_RPAREN},  {"[", TOK_LBRACK},  {"]", TOK_RBRACK},
	{":", TOK_COLON},  {"/", TOK_SLASH},   {"+", TOK_PLUS},	   {"-", TOK_MINUS},
	{"*", TOK_STAR},   {"%", TOK_PERCENT}, {"&", TOK_AMP},	   {"|", TOK_PIPE},
	{"^", TOK_CARET},  {"=", TOK_EQ},      {"<", TOK_LT},	   {">", TOK_GT},
	{"!", TOK_BANG},
};

struct token lex_next(struct lexer *lx)
{
	while (lx->pos < lx->len && strchr(" \t\r\n", lx->src[lx->pos]) && lx->src[lx->pos])
		lx->pos++;
	if (lx->pos >= lx->len)
		return tok_at(lx, TOK_EOF, 0);
	const char *s = lx->src + lx->pos;
	size_t rest = lx->len - lx->pos;
	int c = (unsigned char)s[0];
	struct token t;
	if (c == '\\') {
		size_t n = 1;
		while (n < rest && !strchr(" !()\n\t", s[n]) && s[n])
			n++;
		if (n == 1)
			return tok_error(lx, 1, "'%.*s' must be followed by a name", (int)1, s);
		t = tok_at(lx, TOK_ID, n);
		t.text++;
		t.textlen--;
		return t;
	}
	if ((is_hex(c) || c == ':') && lex_colon_word(lx, &t))
		return t;
	if (is_alnum(c))
		return lex_word(lx, id_run(s, rest));
	for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
		size_t n = strlen(punct[i].s);
		if (n <= rest && memcmp(s, punct[i].s, n) == 0)
			return tok_at(lx, punct[i].t, n);
	}
	if (c < 0x20 || c >= 0x7f) {
		diag_set(lx->diag, FILTER_ERR_SYNTAX, lx->pos, lx->pos + 1,
			 "unexpected byte 0x%02x in the expression", (unsigned)c);
		return tok_at(lx, TOK_ERROR, 1);
	}
	return tok_error(lx, 1, "unexpected character '%.*s'", (int)1, s);
}
