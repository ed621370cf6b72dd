// SPDX-License-Identifier: MIT
/* Reading a workload file (the format is in README.md). Any mistake ends the run. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#include <kairos/time.h>

#include "../../kernel/sched/sched.h"

#define MAX_TOKENS	32

static const char *cur_path;
static int cur_line;

static void __attribute__((noreturn, format(printf, 1, 2))) parse_error(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cur_line) {
		fprintf(stderr, "%s:%d: %s\n", cur_path, cur_line, msg);
		sim_tap_bail("%s:%d: %s", cur_path, cur_line, msg);
	} else {
		fprintf(stderr, "%s: %s\n", cur_path, msg);
		sim_tap_bail("%s: %s", cur_path, msg);
	}
	exit(2);
}

static void *zalloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p)
		parse_error("out of memory");
	return p;
}

static long parse_int(const char *s, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		parse_error("'%s' is not a number from %ld to %ld", s, lo, hi);
	return v;
}

/* "1.5ms" -> 1500000: decimal digits, an optional fraction, then ns, us, ms or s. */
static u64 parse_time(const char *s)
{
	static const struct { const char *unit; u64 ns; } units[] = {
		{ "ns", 1 }, { "us", NSEC_PER_USEC }, { "ms", NSEC_PER_MSEC }, { "s", NSEC_PER_SEC },
	};
	u64 whole = 0, frac = 0, scale = 1;
	const char *p = s;
	size_t i;

	if (!isdigit((unsigned char)*p))
		parse_error("'%s' is not a time (like 10ms)", s);
	while (isdigit((unsigned char)*p) && whole < UINT64_MAX / 100)
		whole = whole * 10 + (u64)(*p++ - '0');
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && scale < NSEC_PER_SEC; p++) {
			frac = frac * 10 + (u64)(*p - '0');
			scale *= 10;
		}
	}
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(p, units[i].unit)) {
			if (whole > UINT64_MAX / 4 / units[i].ns)
				parse_error("'%s' is too long", s);
			return whole * units[i].ns + frac * units[i].ns / scale;
		}
	}
	parse_error("'%s' is not a time (like 10ms)", s);
}

/* "0-3,6" */
static void parse_cpulist(const char *s, struct cpumask *mask)
{
	char buf[256], *tok, *save;

	if (strlen(s) >= sizeof(buf))
		parse_error("CPU list too long");
	strcpy(buf, s);
	cpumask_clear(mask);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		long lo, hi, cpu;

		if (dash)
			*dash = '\0';
		lo = parse_int(tok, 0, NR_CPUS - 1);
		hi = dash ? parse_int(dash + 1, lo, NR_CPUS - 1) : lo;
		for (cpu = lo; cpu <= hi; cpu++)
			cpumask_set_cpu(cpu, mask);
	}
	if (cpumask_empty(mask))
		parse_error("empty CPU list '%s'", s);
}

/* Tolerances of a tick are only right for the HZ they were written for. */
static void check_hz(const char *s)
{
	if (parse_int(s, 1, 100000) != HZ)
		parse_error("this workload assumes HZ %s, the kernel's is %d", s, HZ);
}

static int parse_policy(const char *s)
{
	static const struct { const char *name; int policy; } policies[] = {
		{ "normal", SCHED_NORMAL }, { "batch", SCHED_BATCH }, { "idle", SCHED_IDLE },
		{ "fifo", SCHED_FIFO }, { "rr", SCHED_RR }, { "deadline", SCHED_DEADLINE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(policies); i++)
		if (!strcmp(s, policies[i].name))
			return policies[i].policy;
	parse_error("unknown policy '%s'", s);
}

static int parse_errname(const char *s)
{
	int err;

	if (!strcmp(s, "ok"))
		return 0;
	for (err = 1; err < 200; err++)
		if (!strcmp(s, sim_errname(-err)))
			return -err;
	parse_error("unknown error name '%s' (want ok, EBUSY, EINVAL, ...)", s);
}

static bool valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= TASK_COMM_LEN || !strncmp(s, "swapper", 7))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' && *s != '.')
			return false;
	return true;
}

static void add_task(struct sim_workload *w, struct sim_task *st)
{
	size_t i;

	for (i = 0; i < w->nr_tasks; i++)
		if (!strcmp(w->tasks[i]->name, st->name))
			parse_error("task '%s' defined twice", st->name);
	w->tasks = realloc(w->tasks, (w->nr_tasks + 1) * sizeof(*w->tasks));
	if (!w->tasks)
		parse_error("out of memory");
	w->tasks[w->nr_tasks++] = st;
}

/*
 * task NAME[*COUNT] [policy P] [nice N] [prio N] [dl R D P] [affinity LIST|each]
 *      [forkcpu N|each] [start T] (cpu | run T sleep T | periodic R P [deadline D])
 */
static void parse_task(struct sim_workload *w, char **tok, int n)
{
	struct sim_task proto = { .policy = SCHED_NORMAL, .kind = SIM_CPU, .last_cpu = -1 };
	bool behaviour = false, each_cpu = false, each_fork = false, has_prio = false;
	bool has_dl = false;
	char *star = strchr(tok[1], '*');
	long count = 1, i;
	int k;

	if (!w->ncpus)
		parse_error("'cpus N' must come before the tasks");
	if (star) {
		*star = '\0';
		count = parse_int(star + 1, 1, 4096);
	}
	/* Room for the instance number: four digits. */
	if (!valid_name(tok[1]) || (star && strlen(tok[1]) + 4 >= TASK_COMM_LEN))
		parse_error("bad task name '%s' (letters, digits, _ - .; up to %d characters, %d with *)",
			    tok[1], TASK_COMM_LEN - 1, TASK_COMM_LEN - 5);
	for (k = 2; k < n; k++) {
		const char *key = tok[k];
		int args = 1;

		if (!strcmp(key, "cpu")) {
			proto.kind = SIM_CPU;
			args = 0;
		} else if (!strcmp(key, "run")) {
			if (k + 3 >= n || strcmp(tok[k + 2], "sleep"))
				parse_error("want: run TIME sleep TIME");
			proto.kind = SIM_RUN_SLEEP;
			proto.run = parse_time(tok[k + 1]);
			proto.sleep = parse_time(tok[k + 3]);
			if (!proto.run)
				parse_error("a run of 0 never ends");
			args = 3;
		} else if (!strcmp(key, "periodic")) {
			if (k + 2 >= n)
				parse_error("want: periodic RUNTIME PERIOD [deadline TIME]");
			proto.kind = SIM_PERIODIC;
			proto.job_runtime = parse_time(tok[k + 1]);
			proto.job_period = proto.job_deadline = parse_time(tok[k + 2]);
			args = 2;
			if (k + 4 < n && !strcmp(tok[k + 3], "deadline")) {
				proto.job_deadline = parse_time(tok[k + 4]);
				args = 4;
			}
			if (!proto.job_runtime || !proto.job_period || !proto.job_deadline)
				parse_error("periodic times must not be 0");
		} else if (k + 1 >= n) {
			parse_error("'%s' wants a value", key);
		} else if (!strcmp(key, "policy")) {
			proto.policy = parse_policy(tok[k + 1]);
		} else if (!strcmp(key, "nice")) {
			proto.nice = parse_int(tok[k + 1], MIN_NICE, MAX_NICE);
		} else if (!strcmp(key, "prio")) {
			proto.rt_prio = parse_int(tok[k + 1], 1, MAX_RT_PRIO - 1);
			has_prio = true;
		} else if (!strcmp(key, "dl")) {
			if (k + 3 >= n)
				parse_error("want: dl RUNTIME DEADLINE PERIOD");
			proto.dl_runtime = parse_time(tok[k + 1]);
			proto.dl_deadline = parse_time(tok[k + 2]);
			proto.dl_period = parse_time(tok[k + 3]);
			has_dl = true;
			args = 3;
		} else if (!strcmp(key, "affinity")) {
			proto.pinned = true;
			if (!strcmp(tok[k + 1], "each"))
				each_cpu = true;
			else
				parse_cpulist(tok[k + 1], &proto.affinity);
		} else if (!strcmp(key, "forkcpu")) {
			if (!strcmp(tok[k + 1], "each"))
				each_fork = true;
			else
				proto.fork_cpu = parse_int(tok[k + 1], 0, NR_CPUS - 1);
		} else if (!strcmp(key, "start")) {
			proto.start = parse_time(tok[k + 1]);
		} else {
			parse_error("unknown task attribute '%s'", key);
		}
		behaviour |= !strcmp(key, "cpu") || !strcmp(key, "run") || !strcmp(key, "periodic");
		k += args;
	}
	if (!behaviour)
		parse_error("task '%s' does nothing: give cpu, run ... sleep ... or periodic ...",
			    tok[1]);
	if (rt_policy(proto.policy) != has_prio)
		parse_error("prio goes with, and only with, policy fifo or rr");
	if (dl_policy(proto.policy) != has_dl)
		parse_error("dl goes with, and only with, policy deadline");

	for (i = 0; i < count; i++) {
		struct sim_task *st = zalloc(sizeof(*st));
		char name[64];

		*st = proto;
		st->line = cur_line;
		if (star)
			snprintf(name, sizeof(name), "%s%ld", tok[1], i);
		else
			snprintf(name, sizeof(name), "%s", tok[1]);
		strcpy(st->name, name);
		/* Instance i on CPU i, wrapping around. */
		if (each_cpu) {
			cpumask_clear(&st->affinity);
			cpumask_set_cpu(i % w->ncpus, &st->affinity);
		}
		if (each_fork)
			st->fork_cpu = i % w->ncpus;
		add_task(w, st);
	}
}

static enum sim_op parse_op(const char *s)
{
	static const char *const ops[] = {
		[SIM_EQ] = "==", [SIM_NE] = "!=", [SIM_LT] = "<", [SIM_LE] = "<=",
		[SIM_GT] = ">", [SIM_GE] = ">=",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(s, ops[i]))
			return i;
	parse_error("unknown comparison '%s'", s);
}

static const struct { const char *name; enum sim_metric metric; bool time; } metrics[] = {
	{ "cputime", SIM_M_CPUTIME, true }, { "wait", SIM_M_WAIT, true },
	{ "switches", SIM_M_SWITCHES, false }, { "preempted", SIM_M_PREEMPTED, false },
	{ "migrations", SIM_M_MIGRATIONS, false }, { "jobs", SIM_M_JOBS, false },
	{ "misses", SIM_M_MISSES, false }, { "kmisses", SIM_M_KMISSES, false },
};

static void set_name(char *dst, const char *src)
{
	if (strlen(src) >= SIM_NAME_LEN)
		parse_error("no task is called '%s'", src);
	strcpy(dst, src);
}

static double parse_percent(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || strcmp(end, "%") || v < 0)
		parse_error("'%s' is not a percentage (like 1%%)", s);
	return v / 100;
}

static void parse_expect(struct sim_workload *w, char **tok, int n, const char *text)
{
	struct sim_expect *e;
	size_t i;

	w->expects = realloc(w->expects, (w->nr_expects + 1) * sizeof(*w->expects));
	if (!w->expects)
		parse_error("out of memory");
	e = &w->expects[w->nr_expects++];
	memset(e, 0, sizeof(*e));
	e->line = cur_line;
	snprintf(e->text, sizeof(e->text), "%s", text);

	if (n == 2 && !strcmp(tok[1], "placement")) {
		e->kind = SIM_E_PLACEMENT;
	} else if (n == 2 && !strcmp(tok[1], "preemption")) {
		e->kind = SIM_E_PREEMPTION;
	} else if (n == 2 && !strcmp(tok[1], "deterministic")) {
		e->kind = SIM_E_DETERMINISTIC;
		w->check_determinism = true;
	} else if (n == 4 && !strcmp(tok[1], "admit")) {
		e->kind = SIM_E_ADMIT;
		set_name(e->a, tok[2]);
		e->err = parse_errname(tok[3]);
	} else if (n == 7 && !strcmp(tok[1], "ratio") && !strcmp(tok[5], "within")) {
		e->kind = SIM_E_RATIO;
		set_name(e->a, tok[2]);
		set_name(e->b, tok[3]);
		e->ratio = strtod(tok[4], NULL);
		if (e->ratio <= 0)
			parse_error("'%s' is not a positive ratio", tok[4]);
		e->within = parse_percent(tok[6]);
	} else if (n == 7 && !strcmp(tok[1], "slices") && !strcmp(tok[5], "within")) {
		e->kind = SIM_E_SLICES;
		set_name(e->a, tok[2]);
		set_name(e->b, tok[3]);
		e->slice = parse_time(tok[4]);
		e->slice_tol = parse_time(tok[6]);
	} else if (n == 5) {
		for (i = 0; i < ARRAY_SIZE(metrics); i++)
			if (!strcmp(tok[1], metrics[i].name))
				break;
		if (i == ARRAY_SIZE(metrics))
			parse_error("unknown expectation '%s'", tok[1]);
		e->kind = SIM_E_METRIC;
		e->metric = metrics[i].metric;
		set_name(e->a, tok[2]);
		e->op = parse_op(tok[3]);
		e->value = metrics[i].time ? parse_time(tok[4]) : (u64)parse_int(tok[4], 0, LONG_MAX);
	} else {
		parse_error("cannot read this expectation (see tools/schedsim/README.md)");
	}
}

size_t sim_match_tasks(const struct sim_workload *w, const char *name,
		       struct sim_task **out, size_t max)
{
	size_t len = strlen(name), i, n = 0;
	bool prefix = len && name[len - 1] == '*';

	for (i = 0; i < w->nr_tasks && n < max; i++) {
		struct sim_task *st = w->tasks[i];

		if (prefix ? !strncmp(st->name, name, len - 1) : !strcmp(st->name, name))
			out[n++] = st;
	}
	return n;
}

/* Names must exist and pairs match up; run intervals are kept only where checked. */
static void check_expects(struct sim_workload *w)
{
	struct sim_task **a = zalloc(w->nr_tasks * sizeof(*a) + 1);
	struct sim_task **b = zalloc(w->nr_tasks * sizeof(*b) + 1);
	size_t i, j, na, nb;

	for (i = 0; i < w->nr_expects; i++) {
		struct sim_expect *e = &w->expects[i];

		cur_line = e->line;
		if (e->kind == SIM_E_PLACEMENT || e->kind == SIM_E_PREEMPTION ||
		    e->kind == SIM_E_DETERMINISTIC)
			continue;
		na = sim_match_tasks(w, e->a, a, w->nr_tasks);
		if (!na)
			parse_error("no task is called '%s'", e->a);
		if (e->kind != SIM_E_RATIO && e->kind != SIM_E_SLICES)
			continue;
		nb = sim_match_tasks(w, e->b, b, w->nr_tasks);
		if (!nb)
			parse_error("no task is called '%s'", e->b);
		if (na != nb)
			parse_error("'%s' and '%s' are not as many tasks", e->a, e->b);
		for (j = 0; e->kind == SIM_E_SLICES && j < na; j++)
			a[j]->record_slices = true;
	}
	free(a);
	free(b);
}

struct sim_workload *sim_parse_workload(const char *path)
{
	struct sim_workload *w = zalloc(sizeof(*w));
	char line[1024];
	size_t i;
	FILE *f;

	cur_path = w->path = path;
	cur_line = 0;
	sim_workload = w;	/* names the failure, if any */
	f = fopen(path, "r");
	if (!f)
		parse_error("cannot open: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *tok[MAX_TOKENS], *save, *t, text[sizeof(line)];
		int n = 0;

		cur_line++;
		if (!strchr(line, '\n') && !feof(f))
			parse_error("line too long");
		t = strchr(line, '#');
		if (t)
			*t = '\0';
		line[strcspn(line, "\n")] = '\0';
		snprintf(text, sizeof(text), "%s", line);
		for (t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
			if (n == MAX_TOKENS)
				parse_error("too many words");
			tok[n++] = t;
		}
		if (!n)
			continue;
		if (!strcmp(tok[0], "cpus") && n == 2)
			w->ncpus = parse_int(tok[1], 1, NR_CPUS);
		else if (!strcmp(tok[0], "duration") && n == 2)
			w->duration = parse_time(tok[1]);
		else if (!strcmp(tok[0], "hz") && n == 2)
			check_hz(tok[1]);
		else if (!strcmp(tok[0], "task") && n >= 3)
			parse_task(w, tok, n);
		else if (!strcmp(tok[0], "expect") && n >= 2)
			parse_expect(w, tok, n, text + strspn(text, " \t") + strlen("expect "));
		else
			parse_error("cannot read this line (see tools/schedsim/README.md)");
	}
	fclose(f);

	cur_line = 0;
	if (!w->ncpus || !w->duration)
		parse_error("a workload needs 'cpus N' and 'duration TIME'");
	for (i = 0; i < w->nr_tasks; i++) {
		struct sim_task *st = w->tasks[i];

		cur_line = st->line;
		if (st->pinned && cpumask_last(&st->affinity) >= w->ncpus)
			parse_error("%s: affinity names a CPU the machine lacks", st->name);
		if (st->fork_cpu >= w->ncpus)
			parse_error("%s: forkcpu names a CPU the machine lacks", st->name);
		if (st->start >= w->duration)
			parse_error("%s starts after the end", st->name);
	}
	check_expects(w);
	return w;
}
