/* parse_test.c - AST shapes: precedence, associativity, qualifier
 * inheritance, the '%'/'^' quirk, and syntax errors with their spans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "front/parse.h"

static const char *opname(enum ast_op op)
{
	static const char *n[] = {"+",	"-",  "*", "/",	 "%", "&",  "|", "^",
				  "<<", ">>", "=", "!=", "<", "<=", ">", ">="};
	return n[op];
}

/* An S-expression of the tree: (and A B), (or A B), (not A), id:TEXT,
 * proto:N, (rel OP A B), num:N, len, load:PROTO[IDX:SIZE], (OP A B). */
static void show(const struct ast *n, char *out, size_t cap)
{
	size_t l = strlen(out);
	char a[2048] = "", b[2048] = "";
	switch (n->kind) {
	case AST_AND:
	case AST_OR:
		show(n->l, a, sizeof(a));
		show(n->r, b, sizeof(b));
		snprintf(out + l, cap - l, "(%s %s %s)", n->kind == AST_AND ? "and" : "or", a, b);
		break;
	case AST_NOT:
		show(n->l, a, sizeof(a));
		snprintf(out + l, cap - l, "(not %s)", a);
		break;
	case AST_ID:
		snprintf(out + l, cap - l, "id[p%d d%d t%d]:%.*s", n->q.proto ? 1 : 0,
			 (int)n->q.dir, (int)n->q.type, (int)n->id.textlen, n->id.text);
		break;
	case AST_PROTO: snprintf(out + l, cap - l, "proto"); break;
	case AST_REL:
	case AST_BINOP:
		show(n->l, a, sizeof(a));
		show(n->r, b, sizeof(b));
		snprintf(out + l, cap - l, "(%s %s %s)", opname(n->op), a, b);
		break;
	case AST_NEG:
		show(n->l, a, sizeof(a));
		snprintf(out + l, cap - l, "(neg %s)", a);
		break;
	case AST_NUM: snprintf(out + l, cap - l, "%u", n->num); break;
	case AST_LEN: snprintf(out + l, cap - l, "len"); break;
	case AST_LOAD:
		show(n->l, a, sizeof(a));
		snprintf(out + l, cap - l, "[%s:%u]", a, n->num);
		break;
	default: snprintf(out + l, cap - l, "kind%d", (int)n->kind); break;
	}
}

static void shape(const char *expr, const char *want)
{
	struct arena a;
	struct diag_sink d;
	int empty;
	arena_init(&a, 0);
	diag_clear(&d);
	struct ast *n = parse_expr_string(&a, &d, expr, strlen(expr), &empty);
	if (!n)
		fail_msg("'%s' did not parse: %s", expr, d.d.message);
	char got[4096] = "";
	show(n, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("'%s'\n got  %s\n want %s", expr, got, want);
	arena_release(&a);
}

static void refuse(const char *expr, size_t begin, const char *msg_part)
{
	struct arena a;
	struct diag_sink d;
	int empty;
	arena_init(&a, 0);
	diag_clear(&d);
	assert_null(parse_expr_string(&a, &d, expr, strlen(expr), &empty));
	assert_true(d.set);
	if (d.d.begin != begin || !strstr(d.d.message, msg_part))
		fail_msg("'%s': at %zu '%s' (want %zu, containing '%s')", expr, d.d.begin,
			 d.d.message, begin, msg_part);
	arena_release(&a);
}

static void logic(void **state)
{
	(void)state;
	/* and/or: one precedence, left to right; not binds tighter */
	shape("tcp or udp and icmp", "(and (or proto proto) proto)");
	shape("tcp and not udp or icmp", "(or (and proto (not proto)) proto)");
	shape("!tcp && (udp || icmp)", "(and (not proto) (or proto proto))");
	/* bare ids inherit the qualifiers before them */
	shape("tcp port 22 or 80", "(or id[p1 d0 t3]:22 id[p1 d0 t3]:80)");
	shape("host a and not b", "(and id[p0 d0 t1]:a (not id[p0 d0 t1]:b))");
	shape("src host a or (b or c)", "(or id[p0 d1 t1]:a (or id[p0 d1 t1]:b id[p0 d1 t1]:c))");
	shape("host (a or b)", "(or id[p0 d0 t1]:a id[p0 d0 t1]:b)");
	shape("port 80 or (81)", "(or id[p0 d0 t3]:80 id[p0 d0 t3]:81)");
	shape("src or dst port 53", "id[p0 d3 t3]:53");
	shape("src and dst net 10.0.0.0/8", "id[p0 d4 t2]:10.0.0.0");
}

static void arithmetic(void **state)
{
	(void)state;
	shape("len + 2 * 3 = 1", "(= (+ len (* 2 3)) 1)");
	shape("len - 1 - 2 = 0", "(= (- (- len 1) 2) 0)");
	shape("1 | 2 & 3 << 4 + 5 = 0", "(= (| 1 (& 2 (<< 3 (+ 4 5)))) 0)");
	/* '%' and '^' take the rest of the arithmetic as their right operand */
	shape("len % 3 + 1 = 2", "(= (% len (+ 3 1)) 2)");
	shape("len * 2 % 3 = 0", "(= (* len (% 2 3)) 0)");
	shape("len ^ 1 | 2 = 0", "(= (^ len (| 1 2)) 0)");
	shape("-len % 2 = 0", "(= (neg (% len 2)) 0)");
	shape("-len + 1 = 0", "(= (+ (neg len) 1) 0)");
	shape("tcp[13] & 2 != 0", "(!= (& [13:1] 2) 0)");
	shape("ip[6:2] & 0x1fff = 0", "(= (& [6:2] 8191) 0)");
	shape("(len) > 100", "(> len 100)");
	shape("((ip[0] & 0xf0) >> 4) = 4", "(= (>> (& [0:1] 240) 4) 4)");
	shape("tcp[((tcp[12]&0xf0)>>2):4] = 1", "(= [(>> (& [12:1] 240) 2):4] 1)");
}

static void errors(void **state)
{
	(void)state;
	refuse("tcp and", 7, "end of the expression");
	refuse("foo", 0, "needs a qualifier");
	refuse("(tcp", 4, "expected ')'");
	refuse("tcp)", 3, "unbalanced ')'");
	refuse("ip[0:3] = 1", 5, "access size 3");
	refuse("port", 4, "expected a host");
	refuse("len +", 5, "expected a number");
	refuse("vpi 1", 0, "link types bpfcap does not support");
	refuse("tcp or 80", 7, "needs a qualifier");
	refuse("len = 1 2", 8, "expected 'and', 'or'");
	refuse("iso[0] = 1", 0, "does not support the [offset] accessor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(logic),
		cmocka_unit_test(arithmetic),
		cmocka_unit_test(errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
