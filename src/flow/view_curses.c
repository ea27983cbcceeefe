/*
 * view_curses.c - the live flow view of --top on a terminal; the only file
 * that includes curses.h.  A header with the totals, one row per flow,
 * single keys: b bytes, P packets, r rate, a age (sort), n names, p pause,
 * / display filter, q quit.  Names come from names.c without waiting; the
 * rows that do not fit are counted ("+N more"); colours only where the
 * terminal has them.  See flow.h.
 */
#include <arpa/inet.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow/flow.h"
#include "flow/names.h"

struct flow_view {
	const struct flow_run_opts *o;
	enum flow_sort sort;
	int paused, names, color, editing;
	char filter[64], edit[64];
	struct flow_names *resolver;
	/* the last interval, for redrawing after a key or a resize */
	struct flow_totals t;
	struct flow_rec *recs;
	size_t n;
	int have;
};

enum { C_HEAD = 1, C_TITLE, C_TCP, C_UDP, C_OTHER };

struct flow_view *flow_view_open(const struct flow_run_opts *o)
{
	struct flow_view *v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->o = o;
	v->names = !o->numeric;
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr,
			"bpfcap: the terminal cannot show the flow view (TERM=%s); use "
			"--batch\n",
			getenv("TERM") ? getenv("TERM") : "");
		free(v);
		return NULL;
	}
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(C_HEAD, COLOR_BLACK, COLOR_CYAN);
		init_pair(C_TITLE, COLOR_YELLOW, -1);
		init_pair(C_TCP, COLOR_GREEN, -1);
		init_pair(C_UDP, COLOR_CYAN, -1);
		init_pair(C_OTHER, COLOR_MAGENTA, -1);
		v->color = 1;
	}
	v->resolver = flow_names_new();
	return v;
}

void flow_view_close(struct flow_view *v)
{
	if (!v)
		return;
	endwin();
	flow_names_free(v->resolver);
	free(v);
}

int flow_view_paused(const struct flow_view *v)
{
	return v->paused;
}

static void attr(struct flow_view *v, int pair, int on)
{
	if (!v->color)
		return;
	if (on)
		attron(COLOR_PAIR(pair));
	else
		attroff(COLOR_PAIR(pair));
}

/* An endpoint as shown: the host name when known and wanted. */
static const char *endpoint(struct flow_view *v, const struct flow_key *k, int src, char *buf,
			    size_t len)
{
	char name[256];
	int fam = k->ethertype == 0x0800 ? AF_INET : k->ethertype == 0x86dd ? AF_INET6 : 0;
	if (!v->names || !fam || !v->resolver ||
	    !flow_names_get(v->resolver, fam, src ? k->src : k->dst, name, sizeof(name)))
		return flow_endpoint(k, src, buf, len);
	char num[80];
	flow_endpoint(k, src, num, sizeof(num));
	const char *port = strrchr(num, ':');
	int ports = port && (fam == AF_INET || num[0] == '[');
	snprintf(buf, len, "%s%s", name, ports ? port : "");
	return buf;
}

static void header(struct flow_view *v, size_t shown)
{
	const struct flow_totals *t = &v->t;
	const struct flow_run_opts *o = v->o;
	static const char *const sorts[] = {"bytes", "packets", "rate", "age"};
	char h[4][16];
	attr(v, C_TITLE, 1);
	mvprintw(0, 0, "bpfcap --top  %s  hook %s  filter: %s", o->iface, o->hook,
		 o->filter && *o->filter ? o->filter : "(all packets)");
	attr(v, C_TITLE, 0);
	if (v->paused)
		printw("  [paused]");
	mvprintw(1, 0,
		 "packets %llu (%s pps)  bytes %llu (%sbit/s)  flows %zu  evictions %llu  "
		 "drops %llu",
		 (unsigned long long)t->packets, flow_human(t->pps, h[0], sizeof(h[0])),
		 (unsigned long long)t->bytes, flow_human(t->bps, h[1], sizeof(h[1])), t->flows,
		 (unsigned long long)t->evictions, (unsigned long long)t->insert_failed);
	mvprintw(2, 0, "sort: %s  names: %s  display filter: %s  (%zu shown)", sorts[v->sort],
		 v->names ? "on" : "off", v->filter[0] ? v->filter : "none", shown);
}

static int proto_pair(const struct flow_key *k)
{
	if (k->ethertype != 0x0800 && k->ethertype != 0x86dd)
		return C_OTHER;
	return k->l4proto == 6 ? C_TCP : k->l4proto == 17 ? C_UDP : C_OTHER;
}

static uint64_t mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void row(struct flow_view *v, int y, int aw, const struct flow_rec *r, uint64_t now)
{
	char p[48], s[300], d[300], f[12], h[3][16];
	double age = now > r->first_ns ? (double)(now - r->first_ns) / 1e9 : 0;
	attr(v, proto_pair(&r->key), 1);
	mvprintw(y, 0, "%-14.14s", flow_proto_col(&r->key, p, sizeof(p)));
	attr(v, proto_pair(&r->key), 0);
	printw(" %-*.*s %-*.*s %9llu %9s %7s %8s %-6s %6.0f", aw, aw,
	       endpoint(v, &r->key, 1, s, sizeof(s)), aw, aw, endpoint(v, &r->key, 0, d, sizeof(d)),
	       (unsigned long long)r->packets, flow_human((double)r->bytes, h[0], sizeof(h[0])),
	       flow_human(r->pps, h[1], sizeof(h[1])), flow_human(r->bps, h[2], sizeof(h[2])),
	       flow_tcp_flags(r->tcp_flags, f, sizeof(f)), age);
}

static void draw(struct flow_view *v)
{
	erase();
	int fixed = 14 + 9 + 9 + 7 + 8 + 6 + 6 + 8;
	int aw = (COLS - fixed) / 2;
	if (aw < 12)
		aw = 12;
	flow_sort(v->recs, v->n, v->sort);
	size_t match = 0;
	for (size_t i = 0; i < v->n; i++)
		match += flow_match(&v->recs[i], v->filter);
	header(v, match);
	attr(v, C_HEAD, 1);
	mvprintw(4, 0, "%-14s %-*s %-*s %9s %9s %7s %8s %-6s %6s", "PROTO", aw, "SOURCE", aw,
		 "DESTINATION", "PACKETS", "BYTES", "PPS", "BIT/S", "FLAGS", "AGE");
	attr(v, C_HEAD, 0);
	int y = 5, last = LINES - 2;
	size_t drawn = 0;
	uint64_t now = mono_ns();
	for (size_t i = 0; i < v->n && y < last; i++)
		if (flow_match(&v->recs[i], v->filter)) {
			row(v, y++, aw, &v->recs[i], now);
			drawn++;
		}
	if (match > drawn)
		mvprintw(y, 0, "+%zu more", match - drawn);
	if (v->editing)
		mvprintw(LINES - 1, 0, "display filter (address or port, Enter/Esc): %s", v->edit);
	else
		mvprintw(LINES - 1, 0,
			 "b bytes  P packets  r rate  a age  n names  p pause  / filter  q quit");
	refresh();
}

void flow_view_draw(struct flow_view *v, const struct flow_totals *t, struct flow_rec *recs,
		    size_t n)
{
	v->t = *t;
	v->recs = recs;
	v->n = n;
	v->have = 1;
	draw(v);
}

/* A key while the display filter is typed. */
static void edit_key(struct flow_view *v, int ch)
{
	size_t l = strlen(v->edit);
	if (ch == '\n' || ch == KEY_ENTER) {
		memcpy(v->filter, v->edit, sizeof(v->filter));
		v->editing = 0;
	} else if (ch == 27) {
		v->editing = 0;
	} else if ((ch == KEY_BACKSPACE || ch == 127 || ch == 8) && l) {
		v->edit[l - 1] = '\0';
	} else if (ch >= 0x20 && ch < 0x7f && l + 1 < sizeof(v->edit)) {
		v->edit[l] = (char)ch;
		v->edit[l + 1] = '\0';
	}
}

/* 1: quit. */
static int key(struct flow_view *v, int ch)
{
	if (v->editing) {
		edit_key(v, ch);
		return 0;
	}
	switch (ch) {
	case 'q':
	case 'Q': return 1;
	case 'b': v->sort = FLOW_SORT_BYTES; break;
	case 'P': v->sort = FLOW_SORT_PACKETS; break;
	case 'r': v->sort = FLOW_SORT_RATE; break;
	case 'a': v->sort = FLOW_SORT_AGE; break;
	case 'n': v->names = !v->names; break;
	case 'p': v->paused = !v->paused; break;
	case '/':
		v->editing = 1;
		v->edit[0] = '\0';
		break;
	case KEY_RESIZE: break;
	default: return 0;
	}
	return 0;
}

int flow_view_wait(struct flow_view *v, int ms)
{
	timeout(ms < 0 ? 0 : ms);
	int ch = getch();
	if (ch == ERR)
		return 0;
	if (key(v, ch))
		return 1;
	if (v->have)
		draw(v);
	return 0;
}
