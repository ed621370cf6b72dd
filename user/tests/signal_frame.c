/*
 * signal_frame: what a handler finds on arm64 and what rt_sigreturn takes back. The
 * rt_sigframe (siginfo, then ucontext at +128, the frame record {fp, lr} right above
 * it), uc_flags/uc_link/uc_stack/uc_sigmask, sigcontext registers, pc after the svc,
 * the __reserved records (fpsimd_context with the live FP registers, esr_context after
 * a data abort, the null record), fault_address and the sanitized ESR of a kernel
 * address, x30 = a sigreturn trampoline, SA_RESTORER; registers, FP state and pc
 * changed in the frame take effect, a bad pstate or FP record is SIGSEGV; faults
 * (SIGSEGV, SIGILL, SIGTRAP) with si_code/si_addr; a frame that cannot be written
 * (bad sp) kills unless an alternate stack takes it; SS_AUTODISARM; a nanosleep
 * stopped and continued restarts (restart_syscall); rt_sigqueueinfo's si_code rules
 * and E2BIG.
 */
#include "ktest_user.h"

#include <setjmp.h>
#include <time.h>
#include <ucontext.h>

/* struct fpsimd_context, esr_context and their magic numbers: <asm/sigcontext.h>, which
 * <signal.h> includes. */
#define ALTSTACK_SIZE 16384
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31)
#endif

/* What the handlers saw, filled in and checked outside them. */
static struct {
	int sig, code;
	void *addr;
	uintptr_t info, uc, record, sp;
	uint64_t rec_fp, rec_lr, x29, x30;
	uint64_t pc, x8, x0, pstate, fault_address;
	unsigned long uc_flags;
	void *uc_link;
	stack_t uc_stack;
	sigset_t mask;
	uint32_t insn_before_pc;
	uint32_t rec0_magic, rec0_size, rec1_magic, rec1_size, rec2_magic, rec2_size;
	uint64_t esr;
	__uint128_t v16;
	uint32_t tramp[2];
	uintptr_t ra;
} seen;

static void record_frame(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	void **fp = __builtin_frame_address(0);
	uint64_t *rec = fp[0];
	char *res = (char *)uc->uc_mcontext.__reserved;
	struct _aarch64_ctx *h0 = (void *)res;
	struct _aarch64_ctx *h1 = (void *)(res + h0->size);
	struct _aarch64_ctx *h2 = (void *)((char *)h1 + (h1->magic ? h1->size : 0));

	seen.sig = sig;
	seen.code = si->si_code;
	seen.addr = si->si_addr;
	seen.info = (uintptr_t)si;
	seen.uc = (uintptr_t)uc;
	seen.record = (uintptr_t)rec;
	seen.rec_fp = rec[0];
	seen.rec_lr = rec[1];
	seen.x29 = uc->uc_mcontext.regs[29];
	seen.x30 = uc->uc_mcontext.regs[30];
	seen.pc = uc->uc_mcontext.pc;
	seen.sp = uc->uc_mcontext.sp;
	seen.x0 = uc->uc_mcontext.regs[0];
	seen.x8 = uc->uc_mcontext.regs[8];
	seen.pstate = uc->uc_mcontext.pstate;
	seen.fault_address = uc->uc_mcontext.fault_address;
	seen.uc_flags = uc->uc_flags;
	seen.uc_link = uc->uc_link;
	seen.uc_stack = uc->uc_stack;
	seen.mask = uc->uc_sigmask;
	seen.rec0_magic = h0->magic;
	seen.rec0_size = h0->size;
	seen.rec1_magic = h1->magic;
	seen.rec1_size = h1->size;
	seen.rec2_magic = h1->magic ? h2->magic : 0xffffffffu;
	seen.rec2_size = h1->magic ? h2->size : 0xffffffffu;
	seen.esr = h1->magic == ESR_MAGIC ? ((struct esr_context *)h1)->esr : 0;
	seen.v16 = h0->magic == FPSIMD_MAGIC ? ((struct fpsimd_context *)h0)->vregs[16] : 0;
	seen.ra = (uintptr_t)__builtin_return_address(0);
	memcpy(seen.tramp, (void *)seen.ra, sizeof(seen.tramp));
}

static void set_action(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

/* kill(getpid(), sig) by svc, with v16 = a pattern and x19 = 0x1919 live across it. */
static long raw_kill_with_fp(int sig, uint64_t pattern)
{
	register long x0 __asm__("x0") = getpid();
	register long x1 __asm__("x1") = sig;
	register long x8 __asm__("x8") = SYS_kill;
	__asm__ volatile("fmov d16, %[p]\n"
			 "mov v16.d[1], %[p]\n"
			 "svc #0\n"
			 : "+r"(x0)
			 : "r"(x1), "r"(x8), [p] "r"(pattern)
			 : "memory", "v16");
	return x0;
}

static void test_layout(void)
{
	sigset_t m;
	memset(&seen, 0, sizeof(seen));
	set_action(SIGUSR1, record_frame, 0);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	sigprocmask(SIG_SETMASK, &m, NULL);
	long r = raw_kill_with_fp(SIGUSR1, 0x1122334455667788ull);
	sigprocmask(SIG_SETMASK, NULL, &m);

	CHECK_EQ("kill_returned_0", r, 0);
	CHECK_EQ("handler_sig", seen.sig, SIGUSR1);
	CHECK_EQ("frame_16_aligned", seen.info & 15, 0);
	CHECK_EQ("uc_at_info_plus_128", seen.uc - seen.info, 128);
	CHECK_EQ("record_above_frame", seen.record - seen.info, 4688);
	CHECK("record_fp_is_x29", seen.rec_fp == seen.x29);
	CHECK("record_lr_is_x30", seen.rec_lr == seen.x30);
	CHECK_EQ("uc_flags", seen.uc_flags, 0);
	CHECK("uc_link_null", seen.uc_link == NULL);
	CHECK("uc_stack_sp_null", seen.uc_stack.ss_sp == NULL);
	CHECK_EQ("uc_stack_size", seen.uc_stack.ss_size, 0);
	CHECK_EQ("uc_stack_flags_disable", seen.uc_stack.ss_flags, SS_DISABLE);
	CHECK_EQ("uc_sigmask_usr2", sigismember(&seen.mask, SIGUSR2), 1);
	CHECK_EQ("uc_sigmask_not_usr1", sigismember(&seen.mask, SIGUSR1), 0);
	CHECK_EQ("mask_restored_usr1", sigismember(&m, SIGUSR1), 0);
	CHECK_EQ("mask_restored_usr2", sigismember(&m, SIGUSR2), 1);
	memcpy(&seen.insn_before_pc, (void *)(seen.pc - 4), 4);
	CHECK_EQ("pc_after_svc", seen.insn_before_pc, 0xd4000001u);
	CHECK_EQ("x0_is_return_value", seen.x0, 0);
	CHECK_EQ("x8_is_syscall_nr", seen.x8, SYS_kill);
	CHECK_EQ("pstate_el0t", seen.pstate & 0x1f, 0);
	CHECK_EQ("pstate_daif_clear", seen.pstate & 0x3c0, 0);
	CHECK("sp_above_frame", seen.sp > seen.record);
	CHECK_EQ("fault_address_zero", seen.fault_address, 0);
	CHECK_EQ("rec0_fpsimd_magic", seen.rec0_magic, FPSIMD_MAGIC);
	CHECK_EQ("rec0_fpsimd_size", seen.rec0_size, 528);
	CHECK_EQ("rec1_null_magic", seen.rec1_magic, 0);
	CHECK_EQ("rec1_null_size", seen.rec1_size, 0);
	CHECK("fpsimd_v16_saved",
	      seen.v16 == (((__uint128_t)0x1122334455667788ull << 64) | 0x1122334455667788ull));
	CHECK_EQ("trampoline_mov_x8_139", seen.tramp[0], 0xd2801168u);
	CHECK_EQ("trampoline_svc", seen.tramp[1], 0xd4000001u);
	sigprocmask(SIG_SETMASK, NULL, NULL);
	sigemptyset(&m);
	sigprocmask(SIG_SETMASK, &m, NULL);
}

/* The handler rewrites the frame: x19, v16 and pc take effect on return. */
static void rewrite_frame(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	struct fpsimd_context *fp = (void *)uc->uc_mcontext.__reserved;
	(void)sig;
	(void)si;
	uc->uc_mcontext.regs[19] = 0xabcdef;
	fp->vregs[16] = 42;
	uc->uc_mcontext.pc += 4; /* skip the instruction after the svc */
}

static void test_rewrite(void)
{
	uint64_t x19_after, v16_after, skipped = 0;
	set_action(SIGUSR1, rewrite_frame, 0);
	{
		register long x0 __asm__("x0") = getpid();
		register long x1 __asm__("x1") = SIGUSR1;
		register long x8 __asm__("x8") = SYS_kill;
		register uint64_t sk __asm__("x20") = 0;
		__asm__ volatile("mov x19, #0\n"
				 "fmov d16, xzr\n"
				 "svc #0\n"
				 "mov x20, #1\n" /* skipped by the handler */
				 "mov %[x19], x19\n"
				 "fmov %[v16], d16\n"
				 : "+r"(x0), [x19] "=r"(x19_after), [v16] "=r"(v16_after), "+r"(sk)
				 : "r"(x1), "r"(x8)
				 : "memory", "x19", "v16");
		skipped = sk;
	}
	CHECK_EQ("frame_x19_restored", x19_after, 0xabcdef);
	CHECK_EQ("frame_v16_restored", v16_after, 42);
	CHECK_EQ("frame_pc_restored", skipped, 0);
}

/* Corrupt what rt_sigreturn reads: each must end the process with SIGSEGV. */
static int corrupt_how;

static void corrupt_frame(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	struct fpsimd_context *fp = (void *)uc->uc_mcontext.__reserved;
	(void)sig;
	(void)si;
	switch (corrupt_how) {
	case 0:
		uc->uc_mcontext.pstate = 0x3c5; /* EL1h, DAIF masked */
		break;
	case 1:
		uc->uc_mcontext.pstate |= 0x10; /* AArch32 */
		break;
	case 2:
		uc->uc_mcontext.pstate |= 0x80; /* IRQs masked */
		break;
	case 3:
		fp->head.magic = 0x12345678;
		break;
	case 4:
		fp->head.size = 16;
		break;
	case 5: /* no null record: the records run off the end */
		fp->head.size = 4096;
		break;
	case 6: /* a second fpsimd record */
		memcpy((char *)fp + 528, fp, sizeof(*fp));
		break;
	}
}

static void corrupt_child(void *arg)
{
	corrupt_how = (int)(intptr_t)arg;
	set_action(SIGUSR1, corrupt_frame, 0);
	raise(SIGUSR1);
	_exit(0);
}

static void test_corrupt(void)
{
	static const char *names[] = { "el1_pstate", "aarch32_pstate", "irq_masked_pstate",
				       "fpsimd_bad_magic", "fpsimd_bad_size", "no_end_record",
				       "two_fpsimd_records" };
	for (int i = 0; i < 7; i++)
		CHECK_WSTATUS(kt_name("sigreturn_%s", names[i]),
			      kt_run_child(corrupt_child, (void *)(intptr_t)i), "signal SIGSEGV");
}

/* Faults: si_code, si_addr, fault_address, the esr record; the handler skips the
 * faulting instruction. */
static void skip_fault(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	record_frame(sig, si, ucv);
	uc->uc_mcontext.pc += 4;
}

static void fault_read(uintptr_t addr)
{
	__asm__ volatile("ldr x9, [%0]" ::"r"(addr) : "x9", "memory");
}

static void fault_write(uintptr_t addr)
{
	__asm__ volatile("str xzr, [%0]" ::"r"(addr) : "memory");
}

static void test_faults(void)
{
	set_action(SIGSEGV, skip_fault, 0);
	set_action(SIGILL, skip_fault, 0);
	set_action(SIGTRAP, skip_fault, 0);

	memset(&seen, 0, sizeof(seen));
	fault_read(16);
	CHECK_EQ("segv_null_sig", seen.sig, SIGSEGV);
	CHECK_EQ("segv_null_code", seen.code, SEGV_MAPERR);
	CHECK("segv_null_addr", seen.addr == (void *)16);
	CHECK_EQ("segv_null_fault_address", seen.fault_address, 16);
	CHECK_EQ("segv_null_esr_magic", seen.rec1_magic, ESR_MAGIC);
	CHECK_EQ("segv_null_esr_size", seen.rec1_size, 16);
	CHECK_EQ("segv_null_end_after_esr", seen.rec2_magic, 0);
	CHECK_EQ("segv_null_esr_ec_dabt_low", seen.esr >> 26, 0x24);
	CHECK_EQ("segv_null_esr_read", (seen.esr >> 6) & 1, 0);
	CHECK_EQ("segv_null_esr_translation", seen.esr & 0x3c, 0x04);

	char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fault_read((uintptr_t)ro); /* present: the write is a permission fault */
	memset(&seen, 0, sizeof(seen));
	fault_write((uintptr_t)ro + 24);
	CHECK_EQ("segv_ro_code", seen.code, SEGV_ACCERR);
	CHECK("segv_ro_addr", seen.addr == ro + 24);
	CHECK("segv_ro_fault_address", seen.fault_address == (uintptr_t)ro + 24);
	CHECK_EQ("segv_ro_esr_write", (seen.esr >> 6) & 1, 1);
	CHECK_EQ("segv_ro_esr_permission", seen.esr & 0x3c, 0x0c);
	munmap(ro, 4096);

	/* A tagged pointer: si_addr loses the tag, fault_address too. */
	memset(&seen, 0, sizeof(seen));
	fault_read(((uintptr_t)0x5a << 56) | 32);
	CHECK_EQ("segv_tagged_code", seen.code, SEGV_MAPERR);
	CHECK("segv_tagged_addr_untagged", seen.addr == (void *)32);
	CHECK_EQ("segv_tagged_fault_address", seen.fault_address, 32);

	/* A kernel address: the ESR tells only the access, as a level-0 translation
	 * fault. */
	memset(&seen, 0, sizeof(seen));
	fault_write(0xffff000012345678ull);
	CHECK_EQ("segv_kernel_code", seen.code, SEGV_MAPERR);
	CHECK("segv_kernel_addr", seen.addr == (void *)0xffff000012345678ull);
	CHECK("segv_kernel_fault_address", seen.fault_address == 0xffff000012345678ull);
	CHECK_EQ("segv_kernel_esr", seen.esr & 0x03ffffff, (1u << 25) | (1u << 6) | 0x04);

	uintptr_t pc;
	memset(&seen, 0, sizeof(seen));
	__asm__ volatile("adr %0, 1f\n"
			 "1: .inst 0x00000000\n"
			 : "=r"(pc)::"memory");
	CHECK_EQ("sigill_sig", seen.sig, SIGILL);
	CHECK_EQ("sigill_code", seen.code, ILL_ILLOPC);
	CHECK("sigill_addr_is_pc", seen.addr == (void *)pc);
	CHECK("sigill_pc", seen.pc == pc);
	CHECK_EQ("sigill_fault_address", seen.fault_address, 0);
	CHECK_EQ("sigill_no_esr_record", seen.rec1_magic, 0);

	memset(&seen, 0, sizeof(seen));
	__asm__ volatile("adr %0, 1f\n"
			 "1: brk #0x123\n"
			 : "=r"(pc)::"memory");
	CHECK_EQ("sigtrap_sig", seen.sig, SIGTRAP);
	CHECK_EQ("sigtrap_code", seen.code, TRAP_BRKPT);
	CHECK("sigtrap_addr_is_pc", seen.addr == (void *)pc);

	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGTRAP, SIG_DFL);
}

/* SA_RESTORER: the handler returns to the given restorer. */
extern void my_restorer(void);
__asm__(".text\n"
	".globl my_restorer\n"
	"my_restorer:\n"
	"mov x8, #139\n"
	"svc #0\n");

struct k_sigaction {
	void (*handler)(int, siginfo_t *, void *);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

static void test_restorer(void)
{
	struct k_sigaction ka = { record_frame, SA_SIGINFO | 0x04000000, my_restorer, 0 };
	struct k_sigaction old;
	CHECK_EQ("sa_restorer_set",
		 syscall(SYS_rt_sigaction, SIGUSR2, &ka, NULL, 8), 0);
	CHECK_EQ("sa_restorer_read_back",
		 syscall(SYS_rt_sigaction, SIGUSR2, NULL, &old, 8), 0);
	CHECK("sa_restorer_kept", old.restorer == my_restorer);
	CHECK_EQ("sa_restorer_flag_kept", old.flags & 0x04000000, 0x04000000);
	memset(&seen, 0, sizeof(seen));
	raise(SIGUSR2);
	CHECK("handler_returns_to_restorer", seen.ra == (uintptr_t)my_restorer);
	signal(SIGUSR2, SIG_DFL);
}

/* A frame that cannot be written: the process dies of SIGSEGV, handler or not; an
 * alternate stack saves it. */
static void exit7(int sig)
{
	(void)sig;
	_exit(7);
}

static void bad_sp_child(void *arg)
{
	int use_altstack = (int)(intptr_t)arg;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = exit7;
	if (use_altstack) {
		stack_t ss = { .ss_sp = malloc(ALTSTACK_SIZE), .ss_size = ALTSTACK_SIZE };
		sigaltstack(&ss, NULL);
		sa.sa_flags = SA_ONSTACK;
	}
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	__asm__ volatile("mov x9, #0x100\n"
			 "mov sp, x9\n"
			 "mov x0, #0\n"
			 "mov x8, #172\n" /* getpid */
			 "svc #0\n"
			 "mov x1, #10\n" /* SIGUSR1 */
			 "mov x8, #129\n" /* kill */
			 "svc #0\n"
			 "1: b 1b\n" ::: "memory");
}

static void test_bad_sp(void)
{
	CHECK_WSTATUS("bad_sp_signal_kills", kt_run_child(bad_sp_child, (void *)0),
		      "signal SIGSEGV");
	CHECK_WSTATUS("bad_sp_altstack_handler_runs", kt_run_child(bad_sp_child, (void *)1),
		      "exit 7");
}

/* SS_AUTODISARM: disarmed while the handler runs, back after it. */
static stack_t in_handler_query;
static uintptr_t in_handler_local;

static void autodisarm_handler(int sig, siginfo_t *si, void *ucv)
{
	int local;
	record_frame(sig, si, ucv);
	sigaltstack(NULL, &in_handler_query);
	in_handler_local = (uintptr_t)&local;
}

static void test_autodisarm(void)
{
	static char stk[ALTSTACK_SIZE] __attribute__((aligned(16)));
	stack_t ss = { .ss_sp = stk, .ss_size = sizeof(stk), .ss_flags = SS_AUTODISARM }, q;
	CHECK_EQ("autodisarm_set", sigaltstack(&ss, NULL), 0);
	sigaltstack(NULL, &q);
	CHECK_EQ("autodisarm_query_flags", (unsigned)q.ss_flags, SS_AUTODISARM);
	set_action(SIGUSR1, autodisarm_handler, SA_ONSTACK);
	memset(&seen, 0, sizeof(seen));
	raise(SIGUSR1);
	CHECK("autodisarm_ran_on_altstack",
	      in_handler_local > (uintptr_t)stk && in_handler_local < (uintptr_t)stk + sizeof(stk));
	CHECK("autodisarm_uc_stack_sp", seen.uc_stack.ss_sp == stk);
	CHECK_EQ("autodisarm_uc_stack_size", seen.uc_stack.ss_size, sizeof(stk));
	CHECK_EQ("autodisarm_uc_stack_flags", (unsigned)seen.uc_stack.ss_flags, SS_AUTODISARM);
	CHECK_EQ("autodisarm_in_handler_disabled", in_handler_query.ss_flags, SS_DISABLE);
	CHECK_EQ("autodisarm_in_handler_size", in_handler_query.ss_size, 0);
	sigaltstack(NULL, &q);
	CHECK_EQ("autodisarm_rearmed_flags", (unsigned)q.ss_flags, SS_AUTODISARM);
	CHECK("autodisarm_rearmed_sp", q.ss_sp == stk);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);

	/* Plain SA_ONSTACK: uc_stack says nothing of being on it (Linux reports the
	 * flags as set), sigaltstack in the handler says SS_ONSTACK. */
	ss.ss_flags = 0;
	sigaltstack(&ss, NULL);
	memset(&seen, 0, sizeof(seen));
	raise(SIGUSR1);
	CHECK_EQ("onstack_uc_stack_flags", seen.uc_stack.ss_flags, 0);
	CHECK_EQ("onstack_in_handler_query", in_handler_query.ss_flags, SS_ONSTACK);
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	signal(SIGUSR1, SIG_DFL);
}

/* nanosleep stopped and continued: no handler ran, so it restarts through
 * restart_syscall and completes. */
static void sleeper(void *arg)
{
	int *pipefd = arg;
	struct timespec ts = { 0, 300 * 1000 * 1000 }, rem = { 0, 0 };
	kt_signal_fd(pipefd[1]);
	int r = nanosleep(&ts, &rem);
	_exit(r == 0 ? 0 : 10 + errno);
}

static void test_restart_block(void)
{
	int fd[2];
	pipe(fd);
	pid_t p = kt_fork();
	if (p == 0)
		sleeper(fd);
	kt_wait_fd(fd[0]);
	struct timespec ms50 = { 0, 50 * 1000 * 1000 };
	nanosleep(&ms50, NULL);
	kill(p, SIGSTOP);
	int st;
	CHECK_EQ("sleeper_stopped", waitpid(p, &st, WUNTRACED), p);
	CHECK_WSTATUS("sleeper_stopped_status", st, "stopped SIGSTOP");
	kill(p, SIGCONT);
	CHECK_WSTATUS("nanosleep_restarted_completes", kt_wait(p), "exit 0");
	close(fd[0]);
	close(fd[1]);
}

/* rt_sigqueueinfo: kernel codes (>= 0) and SI_TKILL only to oneself; an unknown
 * negative code must not carry bytes past the kernel's siginfo. */
static volatile int queued_code, queued_value;

static void queued(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	queued_code = si->si_code;
	queued_value = si->si_value.sival_int;
}

static void test_sigqueueinfo(void)
{
	siginfo_t si;
	set_action(SIGUSR1, queued, 0);
	memset(&si, 0, sizeof(si));
	si.si_code = SI_KERNEL;
	si.si_value.sival_int = 5;
	CHECK_SUCC("sigqueueinfo_self_kernel_code",
		   syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
	CHECK_EQ("sigqueueinfo_self_code_kept", queued_code, SI_KERNEL);
	pid_t p = kt_fork();
	if (p == 0) {
		pause();
		_exit(0);
	}
	CHECK_ERR("sigqueueinfo_other_si_user", syscall(SYS_rt_sigqueueinfo, p, SIGUSR1, &si),
		  EPERM);
	si.si_code = SI_TKILL;
	CHECK_ERR("sigqueueinfo_other_si_tkill", syscall(SYS_rt_sigqueueinfo, p, SIGUSR1, &si),
		  EPERM);
	si.si_code = SI_QUEUE;
	CHECK_ERR("tgsigqueueinfo_bad_tid",
		  syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGUSR1, &si), EINVAL);
	kill(p, SIGKILL);
	kt_wait(p);

	memset(&si, 0, sizeof(si));
	si.si_code = -100;
	((int *)&si)[20] = 1; /* past the 48 bytes the kernel keeps */
	CHECK_ERR("sigqueueinfo_unknown_code_extra_bytes",
		  syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si), E2BIG);
	((int *)&si)[20] = 0;
	si.si_value.sival_int = 9;
	queued_code = 0;
	CHECK_SUCC("sigqueueinfo_unknown_code_zero_tail",
		   syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
	CHECK_EQ("sigqueueinfo_unknown_code_delivered", queued_code, -100);
	CHECK_EQ("sigqueueinfo_unknown_code_value", queued_value, 9);
	si.si_code = SI_QUEUE;
	((int *)&si)[20] = 1;
	queued_value = 0;
	CHECK_SUCC("sigqueueinfo_known_code_extra_ignored",
		   syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si));
	CHECK_EQ("sigqueueinfo_known_code_value", queued_value, 9);
	CHECK_ERR("sigqueueinfo_efault",
		  syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, (void *)8), EFAULT);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	kt_begin("signal_frame", 25);
	test_layout();
	test_rewrite();
	test_corrupt();
	test_faults();
	test_restorer();
	test_bad_sp();
	test_autodisarm();
	test_restart_block();
	test_sigqueueinfo();
	return kt_end();
}
