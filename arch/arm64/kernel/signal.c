// SPDX-License-Identifier: MIT
/*
 * Signal delivery on arm64, with Linux's frame layout: a handler starts with x0 = sig,
 * x1 = &frame->info and x2 = &frame->uc (SA_SIGINFO), sp = frame, x29 = a frame record
 * above it holding the interrupted fp and lr, and x30 = the sigreturn trampoline (the
 * process's sa_restorer, or the page exec maps, where Linux has its vDSO).
 *
 * The frame, from sp up:
 *   struct rt_sigframe { siginfo_t info; struct ucontext uc; }
 *     uc.uc_mcontext.__reserved holds records: fpsimd_context, esr_context after a
 *     fault, then a terminating null record
 *   struct frame_record { fp, lr }
 *
 * Interrupted system calls restart or fail with EINTR as their -ERESTART* code and the
 * handler's SA_RESTART say.
 */
#include <asm/exception.h>
#include <asm/processor.h>
#include <asm/ptrace.h>
#include <asm/uaccess.h>
#include <asm/vdso.h>
#include <kairos/errno.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>

/* One record in sigcontext.__reserved: a magic number and its size in bytes. */
struct _aarch64_ctx {
	u32 magic;
	u32 size;
};

#define FPSIMD_MAGIC	0x46508001
#define ESR_MAGIC	0x45535201

struct fpsimd_context {
	struct _aarch64_ctx head;
	u32 fpsr;
	u32 fpcr;
	__uint128_t vregs[32];
};

struct esr_context {
	struct _aarch64_ctx head;
	u64 esr;
};

struct sigcontext {
	u64 fault_address;
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
	u8 __reserved[4096] __aligned(16);
};

struct ucontext {
	unsigned long uc_flags;
	struct ucontext __user *uc_link;
	stack_t uc_stack;
	sigset_t uc_sigmask;
	u8 __glibc_sigset_pad[1024 / 8 - sizeof(sigset_t)];	/* glibc's sigset_t is 128 bytes */
	struct sigcontext uc_mcontext;
};

struct rt_sigframe {
	siginfo_t info;
	struct ucontext uc;
};

struct frame_record {
	u64 fp;
	u64 lr;
};

/* The ABI, as user space sees it. */
BUILD_BUG_ON(sizeof(struct fpsimd_context) != 528);
BUILD_BUG_ON(offsetof(struct ucontext, uc_sigmask) != 40);
BUILD_BUG_ON(offsetof(struct ucontext, uc_mcontext) != 176);
BUILD_BUG_ON(offsetof(struct rt_sigframe, uc) != 128);
BUILD_BUG_ON(offsetof(struct sigcontext, __reserved) != 288);
BUILD_BUG_ON(sizeof(struct rt_sigframe) != 4688);

/* Record offsets in __reserved: fpsimd first, each padded to 16 bytes. */
#define FPSIMD_OFFSET	0
#define ESR_OFFSET	ALIGN(sizeof(struct fpsimd_context), 16)

#define NO_SYSCALL	(-1)

/* The pstate bits EL0 may not set (RES0 for a return to AArch64 EL0), and single step. */
#define SPSR_EL1_AARCH64_RES0_BITS \
	(0xffffffff00000000UL | (3UL << 26) | (3UL << 22) | (0xffUL << 13) | (1UL << 5))
#define DBG_SPSR_SS	(1UL << 21)
#define PSR_MODE32_BIT	0x10
#define PSR_NZCV_BITS	(0xfUL << 28)

/* A pstate user space may return with: AArch64 EL0t, no exceptions masked. */
static bool valid_user_regs(struct pt_regs *regs)
{
	regs->pstate &= ~(SPSR_EL1_AARCH64_RES0_BITS | DBG_SPSR_SS);
	if (user_mode(regs) && !(regs->pstate & PSR_MODE32_BIT) &&
	    !(regs->pstate & (PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT)))
		return true;
	/* Never return to anything else, whatever the caller does next. */
	regs->pstate &= PSR_NZCV_BITS;
	return false;
}

static int preserve_fpsimd_context(struct fpsimd_context __user *ctx)
{
	const struct user_fpsimd_state *st = &current->thread.fpsimd_state;
	struct fpsimd_context k = {
		.head = { .magic = FPSIMD_MAGIC, .size = sizeof(k) },
		.fpsr = st->fpsr,
		.fpcr = st->fpcr,
	};

	memcpy(k.vregs, st->vregs, sizeof(k.vregs));
	return copy_to_user(ctx, &k, sizeof(k)) ? -EFAULT : 0;
}

static int restore_fpsimd_context(struct fpsimd_context __user *ctx)
{
	struct user_fpsimd_state st = { 0 };
	struct fpsimd_context k;

	if (copy_from_user(&k, ctx, sizeof(k)))
		return -EFAULT;
	if (k.head.magic != FPSIMD_MAGIC || k.head.size != sizeof(k))
		return -EINVAL;
	memcpy(st.vregs, k.vregs, sizeof(st.vregs));
	st.fpsr = k.fpsr;
	st.fpcr = k.fpcr;
	fpsimd_update_current_state(&st);
	return 0;
}

/*
 * Walk the records of __reserved (16-byte aligned, each within the area, ended by a
 * null record) for the one fpsimd_context; esr_context is ignored, anything else (SVE
 * and extra_context, which this CPU model never writes) makes the frame invalid.
 */
static int parse_user_sigframe(struct rt_sigframe __user *sf,
			       struct fpsimd_context __user **fpsimd)
{
	char __user *base = (char __user *)sf->uc.uc_mcontext.__reserved;
	const size_t limit = sizeof(sf->uc.uc_mcontext.__reserved);
	size_t offset = 0;

	*fpsimd = NULL;
	for (;;) {
		struct _aarch64_ctx head;

		if (limit - offset < sizeof(head) || !IS_ALIGNED(offset, 16))
			return -EINVAL;
		if (copy_from_user(&head, base + offset, sizeof(head)))
			return -EFAULT;
		if (limit - offset < head.size)
			return -EINVAL;
		switch (head.magic) {
		case 0:
			return head.size ? -EINVAL : 0;
		case FPSIMD_MAGIC:
			if (*fpsimd || head.size < sizeof(struct fpsimd_context))
				return -EINVAL;
			*fpsimd = (struct fpsimd_context __user *)(base + offset);
			break;
		case ESR_MAGIC:
			break;
		default:
			return -EINVAL;
		}
		if (head.size < sizeof(head))
			return -EINVAL;
		offset += head.size;
	}
}

static int restore_sigframe(struct pt_regs *regs, struct rt_sigframe __user *sf)
{
	struct sigcontext __user *sc = &sf->uc.uc_mcontext;
	struct fpsimd_context __user *fpsimd;
	sigset_t set;
	int err;

	if (!copy_from_user(&set, &sf->uc.uc_sigmask, sizeof(set)))
		set_current_blocked(&set);
	err = copy_from_user(regs->regs, sc->regs, sizeof(regs->regs)) ? -EFAULT : 0;
	err |= get_user(regs->sp, &sc->sp);
	err |= get_user(regs->pc, &sc->pc);
	err |= get_user(regs->pstate, &sc->pstate);
	/* rt_sigreturn's own return value is the restored x0, never restarted. */
	regs->syscallno = NO_SYSCALL;
	if (!valid_user_regs(regs))
		err = -EINVAL;
	if (!err)
		err = parse_user_sigframe(sf, &fpsimd);
	if (!err)
		err = fpsimd ? restore_fpsimd_context(fpsimd) : -EINVAL;
	return err;
}

void force_signal_inject(int signal, int code, unsigned long address, unsigned long err)
{
	current->thread.fault_address = 0;
	current->thread.fault_code = err;
	force_sig_fault(signal, code, (void __user *)address);
}

/* A SIGSEGV for the bad address addr: MAPERR unless some VMA lies at or above it. */
static void arm64_notify_segfault(unsigned long addr)
{
	struct mm_struct *mm = current->mm;
	int code;

	mmap_read_lock(mm);
	code = find_vma(mm, untagged_addr(addr)) ? SEGV_ACCERR : SEGV_MAPERR;
	mmap_read_unlock(mm);
	force_signal_inject(SIGSEGV, code, addr, 0);
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	struct rt_sigframe __user *frame;

	/* A restart pending from before the handler ran no longer applies. */
	current->restart_block.fn = do_no_restart_syscall;

	/* The frame was placed 16-byte aligned: anything else is not ours. */
	if (regs->sp & 15)
		goto badframe;
	frame = (struct rt_sigframe __user *)regs->sp;
	if (!access_ok(frame, sizeof(*frame)))
		goto badframe;
	if (restore_sigframe(regs, frame) || restore_altstack(&frame->uc.uc_stack))
		goto badframe;
	return regs->regs[0];

badframe:
	arm64_notify_segfault(regs->sp);
	return 0;
}

/* The frame's place: below sp, or the alternate stack's top; NULL if unwritable. */
static struct rt_sigframe __user *get_sigframe(struct ksignal *ksig, struct pt_regs *regs,
					      struct frame_record __user **record)
{
	unsigned long sp, sp_top;

	sp = sp_top = sigsp(regs->sp, ksig);
	sp = ALIGN_DOWN(sp - sizeof(struct frame_record), 16);
	*record = (struct frame_record __user *)sp;
	sp -= ALIGN(sizeof(struct rt_sigframe), 16);
	/* A wrap past 0 (a bogus sp) fails here too. */
	if (sp > sp_top || !access_ok((void __user *)sp, sp_top - sp))
		return NULL;
	return (struct rt_sigframe __user *)sp;
}

static int setup_sigframe(struct rt_sigframe __user *sf, struct frame_record __user *record,
			  struct pt_regs *regs, sigset_t *set)
{
	struct sigcontext __user *sc = &sf->uc.uc_mcontext;
	char __user *records = (char __user *)sc->__reserved;
	unsigned long fault_code = current->thread.fault_code;
	char __user *end = records + (fault_code ? ESR_OFFSET + sizeof(struct esr_context) :
				      ESR_OFFSET);
	struct esr_context esr = {
		.head = { .magic = ESR_MAGIC, .size = sizeof(esr) },
		.esr = fault_code,
	};
	struct _aarch64_ctx null_record = { 0 };
	int err = 0;

	err |= put_user(regs->regs[29], &record->fp);
	err |= put_user(regs->regs[30], &record->lr);
	err |= put_user(0UL, &sf->uc.uc_flags);
	err |= put_user((struct ucontext *)NULL, &sf->uc.uc_link);
	err |= __save_altstack(&sf->uc.uc_stack);
	err |= copy_to_user(&sf->uc.uc_sigmask, set, sizeof(*set)) ? -EFAULT : 0;
	err |= copy_to_user(sc->regs, regs->regs, sizeof(regs->regs)) ? -EFAULT : 0;
	err |= put_user(regs->sp, &sc->sp);
	err |= put_user(regs->pc, &sc->pc);
	err |= put_user(regs->pstate, &sc->pstate);
	err |= put_user(current->thread.fault_address, &sc->fault_address);
	err |= preserve_fpsimd_context((struct fpsimd_context __user *)(records + FPSIMD_OFFSET));
	if (fault_code)
		err |= copy_to_user(records + ESR_OFFSET, &esr, sizeof(esr)) ? -EFAULT : 0;
	err |= copy_to_user(end, &null_record, sizeof(null_record)) ? -EFAULT : 0;
	return err;
}

/* Into the handler: x0 = sig, sp = the frame, x29 = the frame record, x30 = sigreturn. */
static void setup_return(struct pt_regs *regs, struct k_sigaction *ka,
			 struct rt_sigframe __user *frame, struct frame_record __user *record,
			 int usig)
{
	regs->regs[0] = usig;
	regs->sp = (unsigned long)frame;
	regs->regs[29] = (unsigned long)&record->fp;
	regs->pc = (unsigned long)ka->sa.sa_handler;
	if (ka->sa.sa_flags & SA_RESTORER)
		regs->regs[30] = (unsigned long)ka->sa.sa_restorer;
	else
		regs->regs[30] = current->mm->context.vdso + vdso_rt_sigreturn_offset;
}

static int setup_rt_frame(struct ksignal *ksig, sigset_t *set, struct pt_regs *regs)
{
	struct frame_record __user *record;
	struct rt_sigframe __user *frame;
	int err;

	/* The live FP/SIMD registers into thread.fpsimd_state, for the frame. */
	fpsimd_preserve_current_state();
	frame = get_sigframe(ksig, regs, &record);
	if (!frame)
		return -EFAULT;
	err = setup_sigframe(frame, record, regs, set);
	if (err)
		return err;
	setup_return(regs, &ksig->ka, frame, record, ksig->sig);
	if (ksig->ka.sa.sa_flags & SA_SIGINFO) {
		err = copy_siginfo_to_user(&frame->info, &ksig->info);
		regs->regs[1] = (unsigned long)&frame->info;
		regs->regs[2] = (unsigned long)&frame->uc;
	}
	return err;
}

static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	signal_setup_done(setup_rt_frame(ksig, sigmask_to_save(), regs), ksig);
}

void do_signal(struct pt_regs *regs)
{
	unsigned long continue_addr = 0, restart_addr = 0;
	bool syscall = regs->syscallno != NO_SYSCALL;
	struct ksignal ksig;
	int retval = 0;

	/*
	 * Back from a system call: a restart code becomes a restart (the svc again, with
	 * the original x0) unless a handler runs that says otherwise. Forgetting the call
	 * keeps a second pass here from doing it twice.
	 */
	if (syscall) {
		continue_addr = regs->pc;
		restart_addr = continue_addr - 4;
		retval = regs->regs[0];
		regs->syscallno = NO_SYSCALL;
		switch (retval) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
		case -ERESTART_RESTARTBLOCK:
			regs->regs[0] = regs->orig_x0;
			regs->pc = restart_addr;
			break;
		}
	}

	if (get_signal(&ksig)) {
		if (regs->pc == restart_addr &&
		    (retval == -ERESTARTNOHAND || retval == -ERESTART_RESTARTBLOCK ||
		     (retval == -ERESTARTSYS && !(ksig.ka.sa.sa_flags & SA_RESTART)))) {
			regs->regs[0] = -EINTR;
			regs->pc = continue_addr;
		}
		handle_signal(&ksig, regs);
		return;
	}

	/* No handler ran: a call with a restart block comes back as restart_syscall. */
	if (syscall && regs->pc == restart_addr && retval == -ERESTART_RESTARTBLOCK)
		regs->regs[8] = __NR_restart_syscall;
	restore_saved_sigmask();
}
