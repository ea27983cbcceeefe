/* addr.c - addresses and text from packets, as tcpdump prints them with -n:
 * names are never looked up (no resolver call can block the printer). */
#include <arpa/inet.h>

#include "priv.h"

static void ob_dec8(struct obuf *b, unsigned v)
{
	char t[3];
	int n = 0;
	if (v >= 100)
		t[n++] = (char)('0' + v / 100);
	if (v >= 10)
		t[n++] = (char)('0' + v / 10 % 10);
	t[n++] = (char)('0' + v % 10);
	ob_mem(b, t, (size_t)n);
}

void ob_ip4(struct obuf *b, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		if (i)
			ob_chr(b, '.');
		ob_dec8(b, a[i]);
	}
}

void ob_ip6(struct obuf *b, const uint8_t a[16])
{
	char t[INET6_ADDRSTRLEN];
	if (inet_ntop(AF_INET6, a, t, sizeof(t)))
		ob_str(b, t);
}

void ob_mac(struct obuf *b, const uint8_t a[6])
{
	for (int i = 0; i < 6; i++) {
		if (i)
			ob_chr(b, ':');
		ob_hex(b, a[i], 2);
	}
}

/* tcpdump's nd_printjn style: printable ASCII as is, the rest escaped. */
void ob_safe(struct obuf *b, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned ch = s[i];
		if (ch & 0x80) {
			ob_str(b, "M-");
			ch &= 0x7f;
		}
		if (ch < 0x20 || ch == 0x7f) {
			ob_chr(b, '^');
			ob_chr(b, (char)(ch ^ 0x40));
		} else {
			ob_chr(b, (char)ch);
		}
	}
}
