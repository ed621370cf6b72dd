// SPDX-License-Identifier: MIT
/*
 * What a run writes: the context-switch trace, Chrome trace-event JSON, the per-task
 * summary, and one TAP result per expectation. Everything but the TAP results also goes
 * to sim_out.capture, which the determinism check compares between two runs. Times are
 * printed from integer nanoseconds, so the output depends on nothing but the run.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#include <kairos/time.h>
#include <uapi/errno.h>

#include "../../kernel/sched/sched.h"

static int tap_count, tap_failed;

static void out(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* To f (if any) and to the capture (if any). */
static void out(FILE *f, const char *fmt, ...)
{
	va_list ap;

	if (f) {
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
	}
	if (sim_out.capture) {
		va_start(ap, fmt);
		vfprintf(sim_out.capture, fmt, ap);
		va_end(ap);
	}
}

/* "1234.567890" for ns in ms, "1.234" for ns in us. */
#define MS_FMT		"%llu.%06llu"
#define MS(ns)		(unsigned long long)((ns) / NSEC_PER_MSEC), \
			(unsigned long long)((ns) % NSEC_PER_MSEC)
#define US_FMT		"%llu.%03llu"
#define US(ns)		(unsigned long long)((ns) / NSEC_PER_USEC), \
			(unsigned long long)((ns) % NSEC_PER_USEC)
/* Summary columns: ms to the microsecond. */
#define MS3_FMT		"%9llu.%03llu"
#define MS3(ns)		(unsigned long long)((ns) / NSEC_PER_MSEC), \
			(unsigned long long)((ns) % NSEC_PER_MSEC / NSEC_PER_USEC)

const char *sim_errname(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ESRCH, "ESRCH" }, { EAGAIN, "EAGAIN" },
		{ ENOMEM, "ENOMEM" }, { EBUSY, "EBUSY" }, { EINVAL, "EINVAL" },
	};
	size_t i;

	if (!err)
		return "ok";
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (-err == names[i].err)
			return names[i].name;
	return "E?";
}

const char *sim_policy_name(int policy)
{
	switch (policy) {
	case SCHED_NORMAL:
		return "normal";
	case SCHED_BATCH:
		return "batch";
	case SCHED_IDLE:
		return "idle";
	case SCHED_FIFO:
		return "fifo";
	case SCHED_RR:
		return "rr";
	default:
		return "deadline";
	}
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void sim_tap_bail(const char *fmt, ...)
{
	va_list ap;

	printf("not ok %d - %s: ", ++tap_count,
	       sim_workload ? basename_of(sim_workload->path) : "schedsim");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n1..%d\n", tap_count);
	fflush(stdout);
}

static void chrome_event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void chrome_event(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (!sim_out.chrome && !sim_out.capture)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	out(sim_out.chrome, "%s%s", sim_out.chrome_first ? "" : ",\n", buf);
	sim_out.chrome_first = false;
}

void sim_report_begin(const struct sim_workload *w)
{
	unsigned int cpu;

	out(sim_out.trace, "# schedsim %s: %u CPUs; ms cpu prev -> next\n", w->path, w->ncpus);
	out(sim_out.chrome, "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n");
	sim_out.chrome_first = true;
	chrome_event("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,\"tid\":0,"
		     "\"args\":{\"name\":\"schedsim %s\"}}", basename_of(w->path));
	for (cpu = 0; cpu < w->ncpus; cpu++) {
		chrome_event("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":%u,"
			     "\"args\":{\"name\":\"CPU %u\"}}", cpu, cpu);
		chrome_event("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":0,\"tid\":%u,"
			     "\"args\":{\"sort_index\":%u}}", cpu, cpu);
	}
}

void sim_report_switch(unsigned int cpu, const struct task_struct *prev,
		       const struct task_struct *next)
{
	if (sim_out.trace || sim_out.capture)
		out(sim_out.trace, MS_FMT " cpu%u %s -> %s\n", MS(sim_now), cpu, prev->comm,
		    next->comm);
}

/* A run of p on cpu, as a complete ("X") event; names are [A-Za-z0-9_.-], no escaping. */
void sim_report_interval(unsigned int cpu, const struct task_struct *p, u64 start, u64 end)
{
	if (end > start)
		chrome_event("{\"name\":\"%s\",\"cat\":\"%s\",\"ph\":\"X\",\"ts\":" US_FMT
			     ",\"dur\":" US_FMT ",\"pid\":0,\"tid\":%u}", p->comm,
			     sim_policy_name(sim_task_of(p)->policy),
			     US(start), US(end - start), cpu);
}

/* "10" for 10 ms, "0.5" for 500 us: deadline parameters, short. */
static void ms_short(char *buf, size_t size, u64 ns)
{
	if (ns % NSEC_PER_MSEC)
		snprintf(buf, size, "%llu.%03llu", (unsigned long long)(ns / NSEC_PER_MSEC),
			 (unsigned long long)(ns % NSEC_PER_MSEC / NSEC_PER_USEC));
	else
		snprintf(buf, size, "%llu", (unsigned long long)(ns / NSEC_PER_MSEC));
}

static void policy_desc(const struct sim_task *st, char *buf, size_t size)
{
	const char *name = sim_policy_name(st->policy);
	char r[24], d[24], p[24];

	if (dl_policy(st->policy)) {
		ms_short(r, sizeof(r), st->dl_runtime);
		ms_short(d, sizeof(d), st->dl_deadline);
		ms_short(p, sizeof(p), st->dl_period);
		snprintf(buf, size, "dl:%s/%s/%s", r, d, p);
	} else if (rt_policy(st->policy)) {
		snprintf(buf, size, "%s:%u", name, st->rt_prio);
	} else if (st->policy == SCHED_IDLE) {
		snprintf(buf, size, "%s", name);
	} else {
		snprintf(buf, size, "%s:%d", name, st->nice);
	}
	if (st->admit_err || st->affinity_err)
		snprintf(buf + strlen(buf), size - strlen(buf), "!%s",
			 sim_errname(st->admit_err ? st->admit_err : st->affinity_err));
}

/* The summary: one line per task (deadline parameters in ms). */
void sim_report_end(const struct sim_workload *w)
{
	size_t i;

	if (sim_out.chrome || sim_out.capture)
		out(sim_out.chrome, "\n]}\n");
	out(stdout, "# schedsim %s: %u CPUs, HZ %d, " MS3_FMT " ms\n", w->path, w->ncpus, HZ,
	    MS3(w->duration));
	out(stdout, "# %-15s %-22s %13s %13s %8s %8s %6s %6s %6s %7s\n", "task", "policy",
	    "cpu_ms", "wait_ms", "switches", "preempt", "migr", "jobs", "misses", "kmisses");
	for (i = 0; i < w->nr_tasks; i++) {
		const struct sim_task *st = w->tasks[i];
		char policy[96];

		policy_desc(st, policy, sizeof(policy));
		out(stdout, "# %-15s %-22s " MS3_FMT " " MS3_FMT " %8lu %8lu %6lu %6lu %6lu %7llu\n",
		    st->name, policy, MS3(st->cputime), MS3(st->waittime), st->switches,
		    st->preempted, st->migrations, st->jobs, st->misses,
		    (unsigned long long)st->kmisses);
	}
}

static void tap(bool ok, const struct sim_workload *w, const struct sim_expect *e,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void tap(bool ok, const struct sim_workload *w, const struct sim_expect *e,
		const char *fmt, ...)
{
	va_list ap;

	tap_failed += !ok;
	printf("%s %d - %s", ok ? "ok" : "not ok", ++tap_count, basename_of(w->path));
	if (e)
		printf(":%d: %s", e->line, e->text);
	printf(" (");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(")\n");
}

static u64 metric_of(const struct sim_task *st, enum sim_metric m)
{
	switch (m) {
	case SIM_M_CPUTIME:
		return st->cputime;
	case SIM_M_WAIT:
		return st->waittime;
	case SIM_M_SWITCHES:
		return st->switches;
	case SIM_M_PREEMPTED:
		return st->preempted;
	case SIM_M_MIGRATIONS:
		return st->migrations;
	case SIM_M_JOBS:
		return st->jobs;
	case SIM_M_MISSES:
		return st->misses;
	default:
		return st->kmisses;
	}
}

static bool compare(u64 v, enum sim_op op, u64 ref)
{
	switch (op) {
	case SIM_EQ:
		return v == ref;
	case SIM_NE:
		return v != ref;
	case SIM_LT:
		return v < ref;
	case SIM_LE:
		return v <= ref;
	case SIM_GT:
		return v > ref;
	default:
		return v >= ref;
	}
}

static void format_value(char *buf, size_t size, enum sim_metric m, u64 v)
{
	if (m == SIM_M_CPUTIME || m == SIM_M_WAIT)
		snprintf(buf, size, MS_FMT "ms", MS(v));
	else
		snprintf(buf, size, "%llu", (unsigned long long)v);
}

/* Every task the name stands for must pass; the report names the first that does not. */
static void check_metric(const struct sim_workload *w, const struct sim_expect *e,
			 struct sim_task **a, size_t n)
{
	u64 lo = UINT64_MAX, hi = 0;
	char vlo[32], vhi[32];
	size_t i, bad = n;

	for (i = 0; i < n; i++) {
		u64 v = metric_of(a[i], e->metric);

		lo = min(lo, v);
		hi = max(hi, v);
		if (bad == n && !compare(v, e->op, e->value))
			bad = i;
	}
	format_value(vlo, sizeof(vlo), e->metric, lo);
	format_value(vhi, sizeof(vhi), e->metric, hi);
	if (bad < n) {
		format_value(vlo, sizeof(vlo), e->metric, metric_of(a[bad], e->metric));
		tap(false, w, e, "%s: %s", a[bad]->name, vlo);
	} else if (n == 1) {
		tap(true, w, e, "%s", vlo);
	} else {
		tap(true, w, e, "%zu tasks, %s to %s", n, vlo, vhi);
	}
}

static void check_ratio(const struct sim_workload *w, const struct sim_expect *e,
			struct sim_task **a, struct sim_task **b, size_t n)
{
	double worst = 0, worst_ratio = 0;
	size_t i, bad = n;

	for (i = 0; i < n; i++) {
		double r = b[i]->cputime ? (double)a[i]->cputime / (double)b[i]->cputime : 0;
		double off = r / e->ratio - 1;

		if (off < 0)
			off = -off;
		if (!b[i]->cputime || off > e->within) {
			if (bad == n)
				bad = i;
		}
		if (off >= worst) {
			worst = off;
			worst_ratio = r;
		}
	}
	if (bad < n)
		tap(false, w, e, "%s/%s = %.6g", a[bad]->name, b[bad]->name,
		    b[bad]->cputime ? (double)a[bad]->cputime / (double)b[bad]->cputime : 0.0);
	else if (n == 1)
		tap(true, w, e, "%.6g, off by %.3f%%", worst_ratio, worst * 100);
	else
		tap(true, w, e, "%zu pairs, worst %.6g, off by %.3f%%", n, worst_ratio,
		    worst * 100);
}

static void check_admit(const struct sim_workload *w, const struct sim_expect *e,
			struct sim_task **a, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i]->admit_err != e->err) {
			tap(false, w, e, "%s: %s", a[i]->name, sim_errname(a[i]->admit_err));
			return;
		}
	}
	tap(true, w, e, "%s", sim_errname(e->err));
}

/* The run intervals of A that B ended and that began when B gave A the CPU. */
static void check_slices(const struct sim_workload *w, const struct sim_expect *e,
			 struct sim_task **a, struct sim_task **b, size_t n)
{
	u64 lo = UINT64_MAX, hi = 0;
	size_t i, j, count = 0;
	char slo[32], shi[32];
	bool ok = true;

	for (i = 0; i < n; i++) {
		for (j = 0; j < a[i]->nr_slices; j++) {
			const struct sim_slice *s = &a[i]->slices[j];
			u64 len = s->end - s->start;

			if (s->from != b[i] || s->to != b[i])
				continue;
			count++;
			lo = min(lo, len);
			hi = max(hi, len);
			if (len + e->slice_tol < e->slice || len > e->slice + e->slice_tol) {
				if (ok)
					printf("# first bad slice: %s " MS_FMT " to " MS_FMT " ms\n",
					       a[i]->name, MS(s->start), MS(s->end));
				ok = false;
			}
		}
	}
	format_value(slo, sizeof(slo), SIM_M_CPUTIME, count ? lo : 0);
	format_value(shi, sizeof(shi), SIM_M_CPUTIME, hi);
	tap(ok && count, w, e, "%zu slices, %s to %s", count, slo, shi);
}

int sim_report_results(const struct sim_workload *w, const char *determinism)
{
	struct sim_task **a = calloc(w->nr_tasks + 1, sizeof(*a));
	struct sim_task **b = calloc(w->nr_tasks + 1, sizeof(*b));
	size_t i, n;

	if (!a || !b)
		sim_fatal("out of memory");
	tap(!sim_warnings, w, NULL, "%llu ms on %u CPUs, %lu kernel warnings",
	    (unsigned long long)(w->duration / NSEC_PER_MSEC), w->ncpus, sim_warnings);
	for (i = 0; i < w->nr_expects; i++) {
		const struct sim_expect *e = &w->expects[i];
		const struct sim_wakeup_stats *s = &sim_wakeups;
		bool ok;

		n = sim_match_tasks(w, e->a, a, w->nr_tasks);
		sim_match_tasks(w, e->b, b, w->nr_tasks);
		switch (e->kind) {
		case SIM_E_METRIC:
			check_metric(w, e, a, n);
			break;
		case SIM_E_RATIO:
			check_ratio(w, e, a, b, n);
			break;
		case SIM_E_ADMIT:
			check_admit(w, e, a, n);
			break;
		case SIM_E_SLICES:
			check_slices(w, e, a, b, n);
			break;
		case SIM_E_PLACEMENT:
			ok = s->placed && !s->misplaced;
			tap(ok, w, e, "%lu wake-ups placed right, %lu wrong", s->placed,
			    s->misplaced);
			if (s->misplaced)
				printf("# first: %s\n", s->first_misplaced);
			break;
		case SIM_E_PREEMPTION:
			ok = s->preempted && s->not_preempted && !s->wrong_preempt;
			tap(ok, w, e, "%lu preempted and %lu not, as they should; %lu wrong",
			    s->preempted, s->not_preempted, s->wrong_preempt);
			if (s->wrong_preempt)
				printf("# first: %s\n", s->first_wrong_preempt);
			break;
		case SIM_E_DETERMINISTIC:
			tap(determinism && !determinism[0], w, e, "%s",
			    determinism && !determinism[0] ? "two runs, byte-identical output" :
			    determinism ? determinism : "not checked");
			break;
		}
	}
	printf("1..%d\n", tap_count);
	free(a);
	free(b);
	return tap_failed ? 1 : 0;
}
