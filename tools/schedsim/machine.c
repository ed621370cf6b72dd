// SPDX-License-Identifier: MIT
/*
 * The simulated machine: what arch/arm64, the drivers and the allocators give the kernel
 * on real hardware. N CPUs share one host thread; sim_cpu_id is the CPU whose code the
 * host is executing.
 *
 * Each task's kernel stack is a host stack, with its execution context (ucontext) kept
 * above it, so that __switch_to really switches: a task resumes exactly where it called
 * schedule(), a new one starts in schedule_tail() as after ret_from_fork, and an idle
 * task loops in cpu_startup_entry(). The event loop (sim.c) has a context of its own; a
 * task gives the host back to it when it waits for an interrupt (idle) or runs user code
 * (the workload). Interrupt handlers run on the event loop's stack with current set to
 * the CPU's task, which is all a handler can tell of the stack it runs on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/common_interface_defs.h>
#endif

#include "sim.h"

#include <kairos/interrupt.h>
#include <kairos/kallsyms.h>
#include <kairos/mm_types.h>
#include <kairos/printk.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/tick.h>
#include <kairos/time.h>
#include <kairos/vmalloc.h>

#include "../../kernel/sched/sched.h"

/* Deep enough for the kernel's call chains, with the sanitizers' larger frames. */
#define SIM_STACK_SIZE		(256 * 1024)
/* A simulated CPU that spins this long cannot be waiting for another: deadlock. */
#define SIM_SPIN_LIMIT		10000000UL

/* Above the stack it runs on, in the same allocation. */
struct sim_context {
	ucontext_t uc;
	void *stack;
	size_t size;
	int (*fn)(void *);		/* a new kernel thread's function ... */
	void *arg;
	void (*entry)(void);		/* ... or where an idle or boot task starts */
	enum sim_cmd cmd;
};

unsigned int sim_cpu_id;
struct task_struct *sim_current[NR_CPUS];
bool sim_irqs_off[NR_CPUS];
unsigned long __per_cpu_offset[NR_CPUS];
DEFINE_PER_CPU(unsigned int, cpu_number);

unsigned int nr_cpu_ids;
struct cpumask cpu_possible_mask;
struct cpumask cpu_online_mask;

u64 sim_now;
unsigned int sim_ncpus;
u64 sim_timer_next[NR_CPUS];
bool sim_ipi_pending[NR_CPUS];
unsigned long sim_warnings;

/* The task each CPU switched away from last: what __switch_to returns to the next. */
static struct task_struct *sim_last[NR_CPUS];
static struct sim_context sim_loop_ctx;	/* the event loop's */
static unsigned long sim_spins;

extern char __start_sim_percpu[], __stop_sim_percpu[];

void sim_fatal(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "schedsim: %s (cpu%u, at %llu ns)\n", msg, sim_cpu_id,
		(unsigned long long)sim_now);
	sim_tap_bail("%s (cpu%u, at %llu ns)", msg, sim_cpu_id, (unsigned long long)sim_now);
	exit(2);
}

void sim_bug(const char *file, int line, const char *cond)
{
	sim_fatal("kernel BUG at %s:%d%s%s", file, line, cond ? ": " : "", cond ? cond : "");
}

void __warn(const char *file, int line, const char *cond)
{
	sim_warnings++;
	fprintf(stderr, "schedsim: WARNING at %s:%d: %s (cpu%u, at %llu ns)\n", file, line,
		cond, sim_cpu_id, (unsigned long long)sim_now);
}

void panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sim_fatal("Kernel panic - not syncing: %s", msg);
}

/* Kernel messages go to stderr, stamped with virtual time, without the level prefix. */
int vprintk(const char *fmt, va_list ap)
{
	if (fmt[0] == KERN_SOH[0] && fmt[1])
		fmt += 2;
	fprintf(stderr, "[%5llu.%06llu] ", (unsigned long long)(sim_now / NSEC_PER_SEC),
		(unsigned long long)(sim_now % NSEC_PER_SEC / NSEC_PER_USEC));
	return vfprintf(stderr, fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void sim_cpu_relax(void)
{
	if (++sim_spins > SIM_SPIN_LIMIT)
		sim_fatal("spinning forever: a lock or flag no other CPU can release");
}

u64 ktime_get_ns(void)
{
	return sim_now;
}

/* The generic counter ticks once a nanosecond here. */
u32 arch_timer_rate = NSEC_PER_SEC;

u64 arch_counter_get_cntvct(void)
{
	return sim_now;
}

/* %pS: the host's symbols are not the kernel's; an address is all there is. */
int sprint_symbol(char *buf, size_t size, unsigned long addr, bool with_offset)
{
	return snprintf(buf, size, "%#lx", addr);
}

/* The CPU's one-shot timer; the event loop raises its interrupt once sim_now reaches it. */
void arch_timer_set_next_event(u64 expires_ns)
{
	sim_timer_next[sim_cpu_id] = expires_ns;
}

/* No user processes here: no CPU-time interval timers for the tick to check. */
void run_posix_cpu_timers(void)
{
}

/* Delivered after the current event, at the same virtual time. */
void smp_send_reschedule(int cpu)
{
	sim_ipi_pending[cpu] = true;
}

/* The allocators: the host's, so that AddressSanitizer watches every object. */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		sim_fatal("out of memory");
	s->name = name;
	s->align = max(align, 16U);
	s->size = ALIGN(size, s->align);
	return s;
}

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp)
{
	void *p = aligned_alloc(s->align, s->size);

	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, s->size);
	return p;
}

void kmem_cache_free(struct kmem_cache *s, void *obj)
{
	free(obj);
}

void *kmalloc(size_t size, gfp_t gfp)
{
	if (!size)
		return ZERO_SIZE_PTR;
	return gfp & __GFP_ZERO ? calloc(1, size) : malloc(size);
}

void kfree(const void *ptr)
{
	if (!ZERO_OR_NULL_PTR(ptr))
		free((void *)ptr);
}

static struct sim_context *stack_context(void *stack)
{
	return (struct sim_context *)((char *)stack + SIM_STACK_SIZE);
}

void *alloc_thread_stack(void)
{
	void *stack = aligned_alloc(16, SIM_STACK_SIZE + ALIGN(sizeof(struct sim_context), 16));

	if (stack)
		memset(stack_context(stack), 0, sizeof(struct sim_context));
	return stack;
}

void free_thread_stack(void *stack)
{
	free(stack);
}

/*
 * Host context switches: getcontext and setcontext, which, unlike swapcontext, the
 * sanitizers leave alone. Under AddressSanitizer every switch is announced instead, so
 * that it knows which stack is live; the event loop's stack bounds are learnt on the first
 * switch away from it, which is always into a new context.
 */
static void switch_context(struct sim_context *from, struct sim_context *to)
{
	volatile bool resumed = false;
#ifdef __SANITIZE_ADDRESS__
	void *fake_stack;

	__sanitizer_start_switch_fiber(&fake_stack, to->stack, to->size);
#endif
	getcontext(&from->uc);
	if (!resumed) {
		resumed = true;
		setcontext(&to->uc);
	}
#ifdef __SANITIZE_ADDRESS__
	__sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
}

/* In entry.S on arm64, so not in a header. */
void schedule_tail(struct task_struct *prev);

/*
 * Every context starts here, as current on the CPU that switched to it: a kernel thread
 * as ret_from_fork does (finish the switch, run fn, exit with its result), an idle or
 * boot task at its entry point.
 */
static void context_start(void)
{
	struct sim_context *ctx = current->thread.ctx;

#ifdef __SANITIZE_ADDRESS__
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(NULL, &bottom, &size);
	if (!sim_loop_ctx.stack) {
		sim_loop_ctx.stack = (void *)bottom;
		sim_loop_ctx.size = size;
	}
#endif
	if (ctx->fn) {
		schedule_tail(sim_last[sim_cpu_id]);
		do_exit(ctx->fn(ctx->arg));
	}
	ctx->entry();
	sim_fatal("%s returned from where it started", current->comm);
}

static struct sim_context *make_context(void *stack)
{
	struct sim_context *ctx = stack_context(stack);

	if (getcontext(&ctx->uc))
		sim_fatal("getcontext failed");
	ctx->stack = stack;
	ctx->size = SIM_STACK_SIZE;
	ctx->uc.uc_stack.ss_sp = stack;
	ctx->uc.uc_stack.ss_size = SIM_STACK_SIZE;
	ctx->uc.uc_link = NULL;
	makecontext(&ctx->uc, context_start, 0);
	return ctx;
}

/* Simulated tasks have no user memory: every one runs in the kernel's address space. */
struct mm_struct init_mm;

void copy_thread(struct task_struct *p, int (*fn)(void *), void *arg,
		 unsigned long usp __maybe_unused, unsigned long clone_flags __maybe_unused,
		 unsigned long tls __maybe_unused)
{
	struct sim_context *ctx = make_context(p->stack);

	ctx->fn = fn;
	ctx->arg = arg;
	p->thread.ctx = ctx;
}

void sim_thread_start(struct task_struct *p, void *stack, void (*entry)(void))
{
	struct sim_context *ctx = make_context(stack);

	ctx->entry = entry;
	p->thread.ctx = ctx;
}

static struct sim_context *context_of(struct task_struct *p)
{
	if (!p->thread.ctx)
		sim_fatal("task %s has no context", p->comm);
	return p->thread.ctx;
}

/*
 * The arch half of context_switch(): next runs from where it last called __switch_to
 * (or from its start), on this CPU. What it returns is the task this CPU switched away
 * from to get back to the caller, as cpu_switch_to() returns it on arm64.
 */
struct task_struct *__switch_to(struct task_struct *prev, struct task_struct *next)
{
	unsigned int cpu = sim_cpu_id;

	sim_switch_hook(cpu, prev, next);
	sim_last[cpu] = prev;
	sim_current[cpu] = next;
	switch_context(context_of(prev), context_of(next));
	return sim_last[sim_cpu_id];
}

void sim_resume(unsigned int cpu, enum sim_cmd cmd)
{
	struct sim_context *ctx = context_of(sim_current[cpu]);

	sim_cpu_id = cpu;
	ctx->cmd = cmd;
	switch_context(&sim_loop_ctx, ctx);
	sim_check_quiescent();
}

enum sim_cmd sim_wait(void)
{
	struct sim_context *ctx = context_of(current);

	switch_context(ctx, &sim_loop_ctx);
	return ctx->cmd;
}

/* WFI: the CPU sleeps until the event loop brings it an interrupt. */
void arch_cpu_idle(void)
{
	sim_wait();
}

/*
 * As entry.S and el1_irq_handler: IRQs masked, irq_enter, the handler, irq_exit (which
 * runs the softirqs it raised).
 */
void sim_irq(unsigned int cpu, void (*fn)(void *), void *arg)
{
	bool was_off = sim_irqs_off[cpu];

	sim_cpu_id = cpu;
	sim_irqs_off[cpu] = true;
	irq_enter();
	fn(arg);
	irq_exit();
	sim_irqs_off[cpu] = was_off;
	sim_check_quiescent();
}

/* Between events no CPU is inside the kernel: every run queue is unlocked. */
void sim_check_quiescent(void)
{
	unsigned int cpu;

	sim_spins = 0;
	for (cpu = 0; cpu < sim_ncpus; cpu++) {
		struct rq *rq = cpu_rq(cpu);

		if (spin_is_locked(&rq->lock))
			sim_fatal("cpu%u's run queue left locked (owner cpu%d)", cpu,
				  rq->lock.owner_cpu);
		if (rq->curr && rq->curr != sim_current[cpu])
			sim_fatal("cpu%u: rq->curr is %s but %s runs", cpu, rq->curr->comm,
				  sim_current[cpu]->comm);
	}
}

/*
 * Byte by byte and uninstrumented: AddressSanitizer poisons the padding between the
 * template's variables.
 */
__attribute__((no_sanitize_address))
static void copy_percpu_template(char *dst, size_t size)
{
	volatile const char *src = __start_sim_percpu;
	size_t i;

	for (i = 0; i < size; i++)
		dst[i] = src[i];
}

/* Boot CPUs: masks, per-CPU areas, and each CPU's number in its own area. */
void sim_machine_init(unsigned int ncpus)
{
	size_t size = __stop_sim_percpu - __start_sim_percpu;
	/* Same offset within a page as the template, so that alignments hold. */
	size_t skew = (unsigned long)__start_sim_percpu % 4096;
	unsigned int cpu;

	sim_ncpus = nr_cpu_ids = ncpus;
	for (cpu = 0; cpu < ncpus; cpu++) {
		char *area = aligned_alloc(4096, ALIGN(size + skew, 4096));

		if (!area)
			sim_fatal("out of memory");
		copy_percpu_template(area + skew, size);
		__per_cpu_offset[cpu] = (unsigned long)(area + skew) -
					(unsigned long)__start_sim_percpu;
		per_cpu(cpu_number, cpu) = cpu;
		cpumask_set_cpu(cpu, &cpu_possible_mask);
		cpumask_set_cpu(cpu, &cpu_online_mask);
		sim_timer_next[cpu] = CLOCK_EVENT_NONE;
	}
}
