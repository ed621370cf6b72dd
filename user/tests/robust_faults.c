/*
 * robust_faults: a child does something a user program must not be able to get away
 * with -- or something harmless that looks odd -- and the parent prints how it ended
 * (seen through wait): jumps to kernel, NULL and misaligned addresses, writes to read-only
 * and text pages, undefined and privileged instructions, brk, a misaligned stack pointer,
 * a stack pointer in the kernel half, a bogus rt_sigreturn, exclusive loads from
 * misaligned addresses; and harmless: a signal arriving with a misaligned SP, unaligned
 * plain loads, integer division by zero, floating-point division by zero, svc with a
 * nonzero immediate.
 */
#include "ktest_user.h"

struct ccase {
	const char *name;
	void (*fn)(void);
	const char *want;
};

static void jump_kernel(void)
{
	void (*f)(void) = (void (*)(void))0xffff000000000000ul;
	f();
}

static void jump_kernel_high(void)
{
	void (*f)(void) = (void (*)(void))0xffffffffffff0000ul;
	f();
}

static void jump_null(void)
{
	void (*volatile f)(void) = NULL;
	f();
}

static void jump_misaligned(void)
{
	/* A branch to an address that is not a multiple of 4: PC alignment fault. */
	uintptr_t a = (uintptr_t)&jump_null + 2;
	__asm__ volatile("br %0" ::"r"(a));
}

static void write_rodata(void)
{
	static const int ro = 5;
	*(volatile int *)&ro = 6;
}

static void write_text(void)
{
	*(volatile uint32_t *)(uintptr_t)&write_text = 0xd503201f;
}

static void write_ro_mmap(void)
{
	volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
}

static void read_kernel(void)
{
	(void)*(volatile long *)0xffff000000010000ul;
}

static void write_kernel(void)
{
	*(volatile long *)0xffff800000000000ul = 1;
}

static void undefined_insn(void)
{
	__asm__ volatile(".inst 0x00000000"); /* udf #0 */
}

static void undefined_insn2(void)
{
	__asm__ volatile(".inst 0xffffffff");
}

static void privileged_mrs(void)
{
	unsigned long v;
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(v));
}

static void privileged_msr(void)
{
	__asm__ volatile("msr vbar_el1, %0" ::"r"(0ul));
}

static void eret_el0(void)
{
	__asm__ volatile("eret");
}

static void hvc_el0(void)
{
	__asm__ volatile("hvc #0");
}

static void smc_el0(void)
{
	__asm__ volatile("smc #0");
}

static void brk_insn(void)
{
	__asm__ volatile("brk #0");
}

static volatile int usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen = 1;
}

static void sp_misaligned(void)
{
	/* SP 8 mod 16 when a signal arrives: the kernel must align the frame, and the
	 * handler's return must restore the odd SP exactly. (A load through a misaligned
	 * SP is not faulted on Linux in QEMU virt, so that is not what is tested.) */
	signal(SIGUSR1, on_usr1);
	register long x0 __asm__("x0") = getpid();
	register long x1 __asm__("x1") = SIGUSR1;
	register long x8 __asm__("x8") = SYS_kill;
	long moved;
	__asm__ volatile("mov x9, sp\n"
			 "sub sp, sp, #8\n"
			 "svc #0\n"
			 "mov x10, sp\n"
			 "mov sp, x9\n"
			 "sub %1, x9, x10\n"
			 : "+r"(x0), "=r"(moved)
			 : "r"(x1), "r"(x8)
			 : "x9", "x10", "memory");
	_exit(usr1_seen && moved == 8 ? 0 : 1);
}

static void sp_kernel(void)
{
	/* The stack pointer in the kernel half, then a push. */
	__asm__ volatile("mov x9, #0xffff000000000000\n"
			 "mov sp, x9\n"
			 "str x0, [sp, #-16]!\n" ::
				 : "x9", "memory");
}

static void segv_handler(int sig)
{
	(void)sig;
	_exit(50);
}

static void handler_with_bad_sp(void)
{
	/* A handler exists, but there is no stack to run it on: killed anyway. */
	signal(SIGSEGV, segv_handler);
	__asm__ volatile("mov x9, #0x10\n"
			 "mov sp, x9\n"
			 "ldr x10, [x9, #-16]\n" ::
				 : "x9", "x10", "memory");
}

static void bogus_sigreturn(void)
{
	/* rt_sigreturn with SP at zeroed memory: no valid frame. */
	char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	register long x8 __asm__("x8") = SYS_rt_sigreturn;
	__asm__ volatile("mov sp, %0\n"
			 "svc #0\n" ::"r"(m + 32768),
			 "r"(x8)
			 : "memory");
}

static void bogus_sigreturn_misaligned(void)
{
	char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(m, 0xff, 65536);
	register long x8 __asm__("x8") = SYS_rt_sigreturn;
	__asm__ volatile("mov sp, %0\n"
			 "svc #0\n" ::"r"(m + 32768 + 8),
			 "r"(x8)
			 : "memory");
}

static void ldxr_misaligned(void)
{
	static char buf[32] __attribute__((aligned(16)));
	char *p = buf + 1;
	unsigned long v;
	__asm__ volatile("ldxr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
}

static void stack_overflow_rec(volatile char *p);
static volatile int never;

static void stack_overflow_rec(volatile char *p)
{
	volatile char buf[256];
	buf[0] = p ? p[0] : 0;
	if (never)
		return;
	stack_overflow_rec(buf);
	buf[1] = 1;
}

static void stack_overflow(void)
{
	stack_overflow_rec(NULL);
}

/* Harmless ones: must exit 0. */
static void unaligned_load(void)
{
	static char buf[32] __attribute__((aligned(16)));
	volatile long *p = (volatile long *)(void *)(buf + 3);
	*p = 0x1122334455667788l;
	if (*p != 0x1122334455667788l)
		_exit(1);
}

static void int_div_zero(void)
{
	volatile long a = 42, b = 0;
	volatile long c = a / b; /* arm64: no trap, result 0 */
	if (c != 0)
		_exit(1);
}

static void fp_div_zero(void)
{
	volatile double a = 1.0, b = 0.0;
	volatile double c = a / b; /* no trap by default: +inf */
	if (!(c > 1e308))
		_exit(1);
}

static void svc_immediate(void)
{
	/* Linux ignores the svc immediate. */
	register long x0 __asm__("x0");
	register long x8 __asm__("x8") = SYS_getpid;
	__asm__ volatile("svc #0x1234" : "=r"(x0) : "r"(x8) : "memory");
	if (x0 != getpid())
		_exit(1);
}

static void exit_in_handler(void)
{
	/* Control: a SIGSEGV handler that exits runs normally. */
	signal(SIGSEGV, segv_handler);
	volatile int *volatile p = (int *)16;
	*p = 1;
}

static const struct ccase cases[] = {
	{ "jump_kernel", jump_kernel, "signal SIGSEGV" },
	{ "jump_kernel_high", jump_kernel_high, "signal SIGSEGV" },
	{ "jump_null", jump_null, "signal SIGSEGV" },
	{ "jump_misaligned_pc", jump_misaligned, "signal SIGBUS" },
	{ "write_rodata", write_rodata, "signal SIGSEGV" },
	{ "write_text", write_text, "signal SIGSEGV" },
	{ "write_ro_mmap", write_ro_mmap, "signal SIGSEGV" },
	{ "read_kernel", read_kernel, "signal SIGSEGV" },
	{ "write_kernel", write_kernel, "signal SIGSEGV" },
	{ "undefined_udf", undefined_insn, "signal SIGILL" },
	{ "undefined_all_ones", undefined_insn2, "signal SIGILL" },
	{ "privileged_mrs_sctlr_el1", privileged_mrs, "signal SIGILL" },
	{ "privileged_msr_vbar_el1", privileged_msr, "signal SIGILL" },
	{ "eret_at_el0", eret_el0, "signal SIGILL" },
	{ "hvc_at_el0", hvc_el0, "signal SIGILL" },
	{ "smc_at_el0", smc_el0, "signal SIGILL" },
	{ "brk_insn", brk_insn, "signal SIGTRAP" },
	{ "sp_misaligned_signal_frame", sp_misaligned, "exit 0" },
	{ "sp_in_kernel_half", sp_kernel, "signal SIGSEGV" },
	{ "handler_without_stack", handler_with_bad_sp, "signal SIGSEGV" },
	{ "bogus_rt_sigreturn", bogus_sigreturn, "signal SIGSEGV" },
	{ "bogus_rt_sigreturn_misaligned", bogus_sigreturn_misaligned, "signal SIGSEGV" },
	{ "ldxr_misaligned", ldxr_misaligned, "signal SIGBUS" },
	{ "stack_overflow", stack_overflow, "signal SIGSEGV" },
	{ "unaligned_plain_load_ok", unaligned_load, "exit 0" },
	{ "int_div_zero_no_trap", int_div_zero, "exit 0" },
	{ "fp_div_zero_no_trap", fp_div_zero, "exit 0" },
	{ "svc_immediate_ignored", svc_immediate, "exit 0" },
	{ "segv_handler_runs", exit_in_handler, "exit 50" },
};

static void run_case(void *arg)
{
	((void (*)(void))arg)();
}

int main(void)
{
	kt_begin("robust_faults", 20);
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = kt_run_child(run_case, (void *)cases[i].fn);
		CHECK_WSTATUS(cases[i].name, st, cases[i].want);
	}
	/* And the parent is unharmed. */
	CHECK_EQ("parent_alive", kill(getpid(), 0), 0);
	return kt_end();
}
