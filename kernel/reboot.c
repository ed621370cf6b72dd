// SPDX-License-Identifier: MIT
/*
 * reboot(2): power off, restart or halt the machine through PSCI, with Linux's magic
 * numbers and messages. Syncing file systems and stopping processes is user space's
 * part (init's), as on Linux.
 */
#include <asm/irqflags.h>
#include <asm/sysreg.h>
#include <kairos/printk.h>
#include <kairos/psci.h>
#include <kairos/sched.h>
#include <kairos/smp.h>
#include <kairos/syscalls.h>
#include <kairos/uaccess.h>

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_MAGIC2A		85072278
#define LINUX_REBOOT_MAGIC2B		369367448
#define LINUX_REBOOT_MAGIC2C		537993216

#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xCDEF0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89ABCDEF
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321FEDC
#define LINUX_REBOOT_CMD_RESTART2	0xA1B2C3D4

/* Whether Ctrl-Alt-Del reboots at once (1) or signals init (0); kept for the tty. */
int C_A_D = 1;

/* Leave this CPU alone with IRQs off: the others are parked first. */
static void machine_shutdown(void)
{
	local_irq_disable();
	smp_send_stop();
}

static void __noreturn kernel_restart(const char *cmd)
{
	if (cmd)
		pr_emerg("reboot: Restarting system with command '%s'\n", cmd);
	else
		pr_emerg("reboot: Restarting system\n");
	machine_shutdown();
	psci_system_reset();
}

static void __noreturn kernel_halt(void)
{
	pr_emerg("reboot: System halted\n");
	machine_shutdown();
	for (;;)
		wfi();
}

static void __noreturn kernel_power_off(void)
{
	pr_emerg("reboot: Power down\n");
	machine_shutdown();
	psci_system_off();
}

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd, void __user *, arg)
{
	char buffer[256];

	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;

	switch (cmd) {
	case LINUX_REBOOT_CMD_RESTART:
		kernel_restart(NULL);
	case LINUX_REBOOT_CMD_RESTART2:
		if (strncpy_from_user(buffer, arg, sizeof(buffer) - 1) < 0)
			return -EFAULT;
		buffer[sizeof(buffer) - 1] = '\0';
		kernel_restart(buffer);
	case LINUX_REBOOT_CMD_CAD_ON:
		WRITE_ONCE(C_A_D, 1);
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		WRITE_ONCE(C_A_D, 0);
		return 0;
	case LINUX_REBOOT_CMD_HALT:
		kernel_halt();
	case LINUX_REBOOT_CMD_POWER_OFF:
		kernel_power_off();
	default:
		/* kexec and suspend to disk are not there: -EINVAL, as without them in Linux. */
		return -EINVAL;
	}
}
