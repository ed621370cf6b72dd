// SPDX-License-Identifier: MIT
/*
 * The PL011 UART: the kernel console from the first printk on, and the terminal ttyAMA0
 * (204,64, also /dev/console) once tty_init has run.
 *
 * Output is polled, by printk and by the terminal alike, under the port lock: a
 * message and terminal output never cut into each other within a chunk. An oops or a
 * panic only tries the lock, since a stopped CPU may hold it forever.
 * Input comes by interrupt: the handler drains the receive FIFO into the terminal's
 * flip buffer. When that is full it masks the receive interrupts and leaves the bytes
 * in the FIFO (the sender is held back, nothing is lost) until the terminal unthrottles.
 */
#include <asm/io.h>
#include <asm/processor.h>
#include <kairos/bug.h>
#include <kairos/irq.h>
#include <kairos/of.h>
#include <kairos/printk.h>
#include <kairos/serial.h>
#include <kairos/setup.h>
#include <kairos/tty.h>

#define UART01x_DR		0x00
#define UART01x_FR		0x18
#define UART011_LCRH		0x2c
#define UART011_CR		0x30
#define UART011_IFLS		0x34
#define UART011_IMSC		0x38
#define UART011_ICR		0x44

#define UART011_DR_OE		(1 << 11)	/* overrun: bytes were lost before this one */
#define UART011_DR_BE		(1 << 10)	/* break */
#define UART011_DR_PE		(1 << 9)	/* parity error */
#define UART011_DR_FE		(1 << 8)	/* framing error */
#define UART01x_FR_TXFF		(1 << 5)
#define UART01x_FR_RXFE		(1 << 4)
#define UART01x_LCRH_FEN	(1 << 4)
#define UART011_CR_RXE		(1 << 9)
#define UART011_CR_TXE		(1 << 8)
#define UART01x_CR_UARTEN	(1 << 0)
#define UART011_IFLS_RX4_8	(2 << 3)	/* receive interrupt at half full... */
#define UART011_IFLS_TX4_8	(2 << 0)
#define UART011_RTIM		(1 << 6)	/* ...or when bytes wait a while */
#define UART011_RXIM		(1 << 4)
#define UART011_ICR_ALL		0x7ff

#define AMBA_ISSUE_MAJOR	204		/* Linux's numbers for ttyAMA0 */
#define SERIAL_AMBA_MINOR	64
#define PL011_TTY_CHUNK		64		/* bytes written per hold of the lock */

static struct uart_amba_port {
	void __iomem *base;
	int node;			/* in the device tree */
	spinlock_t lock;		/* the registers */
	struct tty_struct tty;
} pl011_port = { .lock = __SPIN_LOCK_UNLOCKED };

static void pl011_putc(struct uart_amba_port *uap, u8 c)
{
	while (readl_relaxed(uap->base + UART01x_FR) & UART01x_FR_TXFF)
		cpu_relax();
	writel_relaxed(c, uap->base + UART01x_DR);
}

/* printk's: with IRQs off, every "\n" as "\r\n". */
static void pl011_console_write(const char *s, size_t n)
{
	struct uart_amba_port *uap = &pl011_port;
	bool locked = true;

	/* Raw lock calls: preempt_count may be unusable this early or this late. */
	if (READ_ONCE(oops_in_progress) || READ_ONCE(console_locks_busted))
		locked = do_raw_spin_trylock(&uap->lock);
	else
		do_raw_spin_lock(&uap->lock);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			pl011_putc(uap, '\r');
		pl011_putc(uap, s[i]);
	}
	if (locked)
		do_raw_spin_unlock(&uap->lock);
}

static struct console pl011_console = {
	.name = "ttyAMA0",
	.write = pl011_console_write,
};

void pl011_console_init(void __iomem *base, int node)
{
	pl011_port.base = base;
	pl011_port.node = node;
	register_console(&pl011_console);
}

/* The terminal's bytes, as n_tty made them. */
static int pl011_tty_write(struct tty_struct *tty, const u8 *buf, int count)
{
	struct uart_amba_port *uap = tty->driver_data;
	unsigned long flags;
	int n = min(count, PL011_TTY_CHUNK);

	spin_lock_irqsave(&uap->lock, flags);
	for (int i = 0; i < n; i++)
		pl011_putc(uap, buf[i]);
	spin_unlock_irqrestore(&uap->lock, flags);
	return n;
}

static void pl011_unthrottle(struct tty_struct *tty)
{
	struct uart_amba_port *uap = tty->driver_data;
	unsigned long flags;

	spin_lock_irqsave(&uap->lock, flags);
	writel_relaxed(UART011_RXIM | UART011_RTIM, uap->base + UART011_IMSC);
	spin_unlock_irqrestore(&uap->lock, flags);
}

static const struct tty_operations pl011_tty_ops = {
	.write = pl011_tty_write,
	.unthrottle = pl011_unthrottle,
};

/*
 * What Linux's serial core makes of a received byte's error bits under the termios
 * input flags: errors are reported only if asked for (INPCK for parity and framing,
 * IGNBRK, BRKINT or PARMRK for breaks), and reported ones are dropped with IGNPAR or
 * IGNBRK. An unreported break is a NUL byte.
 * False if the byte is dropped; *flag is how n_tty gets it.
 */
static bool pl011_rx_flag(struct tty_struct *tty, u32 dr, u8 *flag)
{
	tcflag_t iflag = READ_ONCE(tty->termios.c_iflag);
	u32 report = 0, ignore = 0;

	if (!(READ_ONCE(tty->termios.c_cflag) & CREAD))
		return false;		/* the receiver is off */
	if (iflag & INPCK)
		report |= UART011_DR_FE | UART011_DR_PE;
	if (iflag & (IGNBRK | BRKINT | PARMRK))
		report |= UART011_DR_BE;
	if (iflag & IGNPAR)
		ignore |= UART011_DR_FE | UART011_DR_PE;
	if (iflag & IGNBRK)
		ignore |= UART011_DR_BE;
	if (dr & UART011_DR_BE)		/* a break also shows as a framing error */
		dr &= ~(UART011_DR_FE | UART011_DR_PE);
	dr &= report;
	if (dr & ignore)
		return false;
	if (dr & UART011_DR_BE)
		*flag = TTY_BREAK;
	else if (dr & UART011_DR_PE)
		*flag = TTY_PARITY;
	else if (dr & UART011_DR_FE)
		*flag = TTY_FRAME;
	else
		*flag = TTY_NORMAL;
	return true;
}

static void pl011_irq(unsigned int irq, void *data)
{
	struct uart_amba_port *uap = data;
	struct tty_struct *tty = &uap->tty;
	unsigned int room;

	spin_lock(&uap->lock);
	room = tty_buffer_request_room(tty, TTY_FLIPBUF_SIZE);
	while (!(readl_relaxed(uap->base + UART01x_FR) & UART01x_FR_RXFE)) {
		u32 dr;
		u8 flag;

		if (!room) {
			/* Until the flip buffer has room: see pl011_unthrottle. */
			writel_relaxed(0, uap->base + UART011_IMSC);
			break;
		}
		dr = readl_relaxed(uap->base + UART01x_DR);
		if (pl011_rx_flag(tty, dr, &flag)) {
			tty_insert_flip_char(tty, dr & 0xff, flag);
			room--;
		}
	}
	spin_unlock(&uap->lock);
	tty_flip_buffer_push(tty);
}

void pl011_tty_init(void)
{
	struct uart_amba_port *uap = &pl011_port;
	unsigned long flags;
	unsigned int irq;

	if (!uap->base)
		return;			/* no console UART: no terminal either */
	if (tty_init_dev(&uap->tty, "ttyAMA0", &pl011_tty_ops))
		panic("ttyAMA0: out of memory");
	uap->tty.driver_data = uap;
	irq = of_get_interrupt(initial_boot_params, uap->node, 0);
	if (!irq || request_irq(irq, pl011_irq, uap, "uart-pl011")) {
		pr_err("ttyAMA0: no usable interrupt in the device tree: no input\n");
	} else {
		spin_lock_irqsave(&uap->lock, flags);
		writel_relaxed(UART011_ICR_ALL, uap->base + UART011_ICR);
		writel_relaxed(UART011_IFLS_RX4_8 | UART011_IFLS_TX4_8,
			       uap->base + UART011_IFLS);
		writel_relaxed(readl_relaxed(uap->base + UART011_LCRH) | UART01x_LCRH_FEN,
			       uap->base + UART011_LCRH);
		writel_relaxed(readl_relaxed(uap->base + UART011_CR) | UART01x_CR_UARTEN |
			       UART011_CR_RXE | UART011_CR_TXE, uap->base + UART011_CR);
		writel_relaxed(UART011_RXIM | UART011_RTIM, uap->base + UART011_IMSC);
		spin_unlock_irqrestore(&uap->lock, flags);
	}
	if (tty_register(&uap->tty, MKDEV(AMBA_ISSUE_MAJOR, SERIAL_AMBA_MINOR), true))
		pr_err("ttyAMA0: major %u is taken\n", AMBA_ISSUE_MAJOR);
}
