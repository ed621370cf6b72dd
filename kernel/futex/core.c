// SPDX-License-Identifier: MIT
/*
 * Futexes: keys, the hash table, queueing, and user-memory helpers (see futex.h for
 * the locking rules).
 */
#include <asm/futex.h>
#include <kairos/bug.h>
#include <kairos/mm.h>
#include <kairos/mm_types.h>
#include <kairos/sched.h>
#include <kairos/slab.h>
#include <kairos/smp.h>
#include <kairos/uaccess.h>

#include "futex.h"

static struct futex_hash_bucket *futex_queues;
static unsigned int futex_hashbits;

/* 256 buckets per CPU, a power of two, as Linux sizes its table. */
void __init futex_init(void)
{
	unsigned long size = 1;

	futex_hashbits = 0;
	while (size < 256UL * nr_cpu_ids) {
		size <<= 1;
		futex_hashbits++;
	}
	futex_queues = kcalloc(size, sizeof(*futex_queues), GFP_KERNEL);
	BUG_ON(!futex_queues);
	for (unsigned long i = 0; i < size; i++) {
		atomic_set(&futex_queues[i].waiters, 0);
		spin_lock_init(&futex_queues[i].lock);
		INIT_LIST_HEAD(&futex_queues[i].chain);
	}
}

struct futex_hash_bucket *futex_hash(const struct futex_key *key)
{
	u64 h = (u64)(unsigned long)key->ptr ^ ((u64)key->address << 5) ^ key->type;

	/* Fibonacci hashing: the top bits of a multiplication by 2^64 / phi. */
	h *= 0x61c8864680b583ebULL;
	return &futex_queues[futex_hashbits ? h >> (64 - futex_hashbits) : 0];
}

/*
 * The key of the futex at uaddr (a u32, 4-byte aligned: else -EINVAL). A private key
 * needs no look-up: any address in user space will do, as in Linux (a wait then fails
 * on reading it). A shared one needs the mapping (-EFAULT without one), and for a
 * shared mapping the page, faulted in and referenced until put_futex_key. A shared key
 * in a private mapping must be writable, as in Linux: a read-only private page may
 * still be replaced by a copy-on-write one.
 */
int get_futex_key(u32 __user *uaddr, unsigned int flags, struct futex_key *key, bool write)
{
	unsigned long address = untagged_addr((unsigned long)uaddr);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct page *page;
	int ret = 0;

	if (address % sizeof(u32))
		return -EINVAL;
	if (!access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	key->ptr = mm;
	key->address = address;
	key->type = FUTEX_KEY_PRIVATE;
	if (!(flags & FLAGS_SHARED))
		return 0;
	if (!mm)
		return -EFAULT;

	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	if (!vma || vma->vm_start > address || !(vma->vm_flags & VM_ACCESS_FLAGS)) {
		ret = -EFAULT;
		goto out;
	}
	if (!(vma->vm_flags & VM_SHARED)) {
		if (!(vma->vm_flags & VM_WRITE))
			ret = -EFAULT;
		key->type = FUTEX_KEY_MM_SHARED;
		goto out;
	}
	if (write && !(vma->vm_flags & VM_WRITE)) {
		ret = -EFAULT;
		goto out;
	}
	page = follow_page(vma, address);
	if (!page) {
		if (handle_mm_fault(vma, address, 0)) {
			ret = -EFAULT;
			goto out;
		}
		page = follow_page(vma, address);
	}
	get_page(page);
	key->ptr = page;
	key->address = address % PAGE_SIZE;
	key->type = FUTEX_KEY_PAGE;
out:
	mmap_read_unlock(mm);
	return ret;
}

void get_futex_key_refs(struct futex_key *key)
{
	if (key->type == FUTEX_KEY_PAGE)
		get_page(key->ptr);
}

void put_futex_key(struct futex_key *key)
{
	if (key->type == FUTEX_KEY_PAGE)
		__free_page((struct page *)key->ptr);
	key->ptr = NULL;
	key->type = FUTEX_KEY_PRIVATE;
}

void double_lock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2)
{
	if (hb1 > hb2) {
		struct futex_hash_bucket *t = hb1;

		hb1 = hb2;
		hb2 = t;
	}
	spin_lock(&hb1->lock);
	if (hb1 != hb2)
		spin_lock(&hb2->lock);
}

void double_unlock_hb(struct futex_hash_bucket *hb1, struct futex_hash_bucket *hb2)
{
	spin_unlock(&hb1->lock);
	if (hb1 != hb2)
		spin_unlock(&hb2->lock);
}

/* The caller holds a spinlock: preemption is off, so a fault fails rather than sleeps. */
int futex_get_value_locked(u32 *dest, u32 __user *uaddr)
{
	return get_user(*dest, uaddr);
}

int fault_in_user_writeable(u32 __user *uaddr)
{
	unsigned long address = untagged_addr((unsigned long)uaddr);
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = 0;

	if (!mm || !access_ok(uaddr, sizeof(u32)))
		return -EFAULT;
	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	if (!vma || vma->vm_start > address || !(vma->vm_flags & VM_WRITE) ||
	    handle_mm_fault(vma, address, FAULT_FLAG_WRITE))
		ret = -EFAULT;
	mmap_read_unlock(mm);
	return ret;
}

void futex_wake_q(struct futex_q *q)
{
	struct futex_hash_bucket *hb = container_of(q->lock_ptr, struct futex_hash_bucket, lock);

	list_del_init(&q->list);
	futex_hb_waiters_dec(hb);
	wake_up_process(q->task);
}

bool futex_unqueue(struct futex_q *q)
{
	spinlock_t *lock_ptr;
	bool queued;

	/* A requeue may move q to another bucket until we hold the lock it names. */
	for (;;) {
		lock_ptr = READ_ONCE(q->lock_ptr);
		spin_lock(lock_ptr);
		if (lock_ptr == q->lock_ptr)
			break;
		spin_unlock(lock_ptr);
	}
	queued = !list_empty(&q->list);
	if (queued) {
		list_del_init(&q->list);
		futex_hb_waiters_dec(container_of(lock_ptr, struct futex_hash_bucket, lock));
	}
	spin_unlock(lock_ptr);
	return queued;
}
