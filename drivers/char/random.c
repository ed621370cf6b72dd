// SPDX-License-Identifier: MIT
/*
 * The kernel's random numbers (getrandom, /dev/random, /dev/urandom, AT_RANDOM).
 *
 * A ChaCha20 key, the base key, is seeded at boot from what the boot loader gives
 * (/chosen/rng-seed and kaslr-seed in the device tree; QEMU fills both) and from
 * jitter of the generic counter. Every request first turns the base key into two with
 * one ChaCha20 block ("fast key erasure", as Linux's crng does): the first half becomes
 * the new base key, the second keys the request's own stream, generated outside the
 * lock. What was output can then not be recovered from the state, and concurrent
 * requests never share a stream. Later input (writes to /dev/random) is mixed into the
 * base key through ChaCha20 as well.
 */
#include <asm/processor.h>
#include <kairos/chacha.h>
#include <kairos/fdt.h>
#include <kairos/fs.h>
#include <kairos/printk.h>
#include <kairos/random.h>
#include <kairos/sched.h>
#include <kairos/setup.h>
#include <kairos/spinlock.h>
#include <kairos/string.h>
#include <kairos/syscalls.h>
#include <kairos/time.h>
#include <kairos/uaccess.h>

static u8 base_key[CHACHA_KEY_SIZE];
static DEFINE_SPINLOCK(base_crng_lock);

/* Distinct nonces keep the key schedule's two uses apart. */
static const u8 nonce_extract[CHACHA_NONCE_SIZE] = "crng extract";
static const u8 nonce_mix[CHACHA_NONCE_SIZE] = "crng mix in ";

/* Clear secrets so that the compiler cannot drop the stores as dead. */
static void wipe(void *p, size_t n)
{
	memset(p, 0, n);
	__asm__ __volatile__("" :: "r"(p) : "memory");
}

/* One block keyed by base_key: the new base key, and (if out) 32 more bytes. Locked. */
static void crng_rekey(const u8 nonce[CHACHA_NONCE_SIZE], u8 out[CHACHA_KEY_SIZE])
{
	u32 state[CHACHA_STATE_WORDS];
	u8 block[CHACHA_BLOCK_SIZE];

	chacha20_init(state, base_key, 0, nonce);
	chacha20_block(state, block);
	memcpy(base_key, block, CHACHA_KEY_SIZE);
	if (out)
		memcpy(out, block + CHACHA_KEY_SIZE, CHACHA_KEY_SIZE);
	wipe(state, sizeof(state));
	wipe(block, sizeof(block));
}

/* XOR each 32-byte piece into the key and pass it through ChaCha20. Locked. */
static void crng_mix(const u8 *data, size_t len)
{
	while (len) {
		size_t n = min(len, (size_t)CHACHA_KEY_SIZE);

		for (size_t i = 0; i < n; i++)
			base_key[i] ^= data[i];
		crng_rekey(nonce_mix, NULL);
		data += n;
		len -= n;
	}
}

void add_device_randomness(const void *buf, size_t len)
{
	unsigned long flags;

	spin_lock_irqsave(&base_crng_lock, flags);
	crng_mix(buf, len);
	spin_unlock_irqrestore(&base_crng_lock, flags);
}

/* A request's stream, keyed by a key only it has. */
struct crng_stream {
	u32 state[CHACHA_STATE_WORDS];
	u8 block[CHACHA_BLOCK_SIZE];
};

static void crng_stream_start(struct crng_stream *s)
{
	static const u8 zero_nonce[CHACHA_NONCE_SIZE];
	u8 key[CHACHA_KEY_SIZE];
	unsigned long flags;

	spin_lock_irqsave(&base_crng_lock, flags);
	crng_rekey(nonce_extract, key);
	spin_unlock_irqrestore(&base_crng_lock, flags);
	chacha20_init(s->state, key, 0, zero_nonce);
	wipe(key, sizeof(key));
}

static void crng_stream_end(struct crng_stream *s)
{
	wipe(s, sizeof(*s));
}

void get_random_bytes(void *buf, size_t len)
{
	struct crng_stream s;
	u8 *p = buf;

	crng_stream_start(&s);
	while (len) {
		size_t n = min(len, (size_t)CHACHA_BLOCK_SIZE);

		chacha20_block(s.state, s.block);
		memcpy(p, s.block, n);
		p += n;
		len -= n;
	}
	crng_stream_end(&s);
}

ssize_t get_random_bytes_user(void __user *ubuf, size_t len)
{
	struct crng_stream s;
	size_t done = 0;

	len = min(len, (size_t)MAX_RW_COUNT);
	crng_stream_start(&s);
	while (done < len) {
		size_t n = min(len - done, (size_t)CHACHA_BLOCK_SIZE);
		size_t left;

		chacha20_block(s.state, s.block);
		left = copy_to_user((u8 __user *)ubuf + done, s.block, n);
		done += n - left;
		if (left)
			break;
		/* Long requests stay interruptible and preemptible, page by page. */
		if (done < len && !(done % PAGE_SIZE)) {
			if (signal_pending(current))
				break;
			cond_resched();
		}
	}
	crng_stream_end(&s);
	return done || !len ? (ssize_t)done : -EFAULT;
}

/* Mix in a seed property of the device tree; its length, 0 if absent. */
static size_t mix_dt_seed(const void *fdt, int node, const char *name)
{
	int len;
	const void *seed = fdt_getprop(fdt, node, name, &len);

	if (!seed || len <= 0)
		return 0;
	crng_mix(seed, len);
	return len;
}

void __init random_init(void)
{
	const void *fdt = initial_boot_params;
	int node = fdt_path_offset(fdt, "/chosen");
	size_t seeded = 0;
	unsigned long flags;
	u64 jitter;

	spin_lock_irqsave(&base_crng_lock, flags);
	if (node >= 0) {
		seeded += mix_dt_seed(fdt, node, "rng-seed");
		seeded += mix_dt_seed(fdt, node, "kaslr-seed");
	}
	/* Counter jitter around a little work: weak alone, never harmful. */
	for (int i = 0; i < 256; i++) {
		jitter = arch_counter_get_cntvct();
		for (int j = 0; j < (int)(jitter & 63); j++)
			cpu_relax();
		jitter ^= arch_counter_get_cntvct() << 32;
		crng_mix((const u8 *)&jitter, sizeof(jitter));
	}
	spin_unlock_irqrestore(&base_crng_lock, flags);
	if (seeded < CHACHA_KEY_SIZE)
		pr_warn("random: only %zu bytes of boot-loader seed; relying on timer jitter\n",
			seeded);
	else
		pr_info("random: crng seeded with %zu bytes from the device tree\n", seeded);
}

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004

/* Seeded at boot, the generator never has to block: the flags only need checking. */
SYSCALL_DEFINE3(getrandom, char __user *, ubuf, size_t, len, unsigned int, flags)
{
	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	/* Insecure and blocking randomness at once makes no sense. */
	if ((flags & (GRND_INSECURE | GRND_RANDOM)) == (GRND_INSECURE | GRND_RANDOM))
		return -EINVAL;
	if (!access_ok(ubuf, min(len, (size_t)MAX_RW_COUNT)))
		return -EFAULT;
	return get_random_bytes_user(ubuf, len);
}
