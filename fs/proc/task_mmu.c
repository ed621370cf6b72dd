// SPDX-License-Identifier: MIT
/*
 * A process's memory as /proc shows it: the sizes in status, statm and stat (the
 * mapped sizes summed over the VMAs at each read, the resident ones from the mm's
 * counters), and maps, one line per VMA in Linux's layout.
 */
#include <kairos/mm.h>
#include <kairos/mm_types.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include "internal.h"

void proc_count_mem(struct mm_struct *mm, struct proc_mem_counts *mc)
{
	struct vm_area_struct *vma;
	struct file *exe = mm->exe_file;

	memset(mc, 0, sizeof(*mc));
	mmap_read_lock(mm);
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end)) {
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

		mc->total_vm += pages;
		if (vma->vm_flags & VM_LOCKED)
			mc->locked_vm += pages;
		/* Linux's classes: stack, executable, private writable data. */
		if (vma->vm_flags & VM_GROWSDOWN) {
			mc->stack_vm += pages;
		} else if ((vma->vm_flags & (VM_EXEC | VM_WRITE)) == VM_EXEC) {
			mc->exec_vm += pages;
			if (exe && vma->vm_file && vma->vm_file->f_inode == exe->f_inode)
				mc->exe_vm += pages;
		} else if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE) {
			mc->data_vm += pages;
		}
	}
	mc->rss_anon = get_mm_counter(mm, MM_ANONPAGES);
	mc->rss_file = get_mm_counter(mm, MM_FILEPAGES);
	mc->rss = mc->rss_anon + mc->rss_file;
	mc->hiwater_rss = get_mm_hiwater_rss(mm);
	mmap_read_unlock(mm);
}

/* The name after a mapping's numbers: its file's path, or what the kernel made it for. */
static void show_map_name(struct seq_file *m, struct mm_struct *mm,
			  struct vm_area_struct *vma, char *buf)
{
	const char *name = NULL;

	if (vma->vm_file) {
		name = d_path(&vma->vm_file->f_path, buf, PATH_MAX);
		if (IS_ERR(name))
			name = NULL;
	} else if (vma->vm_start == mm->context.vdso) {
		name = "[vdso]";
	} else if (vma->vm_end == mm->context.vdso && !vma_is_anonymous(vma)) {
		name = "[vvar]";
	} else if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk) {
		name = "[heap]";
	} else if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) {
		name = "[stack]";
	}
	if (name) {
		seq_pad(m, ' ');
		seq_puts(m, name);
	}
}

int proc_pid_maps(struct seq_file *m, struct pid_namespace *ns, struct task_struct *task)
{
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	char *buf;

	if (!proc_may_access(task))
		return -EACCES;
	mm = get_task_mm(task);
	if (!mm)
		return 0;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		mmput(mm);
		return -ENOMEM;
	}
	mmap_read_lock(mm);
	for (vma = find_vma(mm, 0); vma; vma = find_vma(mm, vma->vm_end)) {
		unsigned long flags = vma->vm_flags;
		struct inode *inode = vma->vm_file ? vma->vm_file->f_inode : NULL;
		dev_t dev = inode ? inode->i_sb->s_dev : 0;

		seq_setwidth(m, 25 + sizeof(void *) * 6 - 1);
		seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ",
			   vma->vm_start, vma->vm_end,
			   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
			   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p',
			   inode ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0ULL,
			   MAJOR(dev), MINOR(dev), inode ? inode->i_ino : 0UL);
		show_map_name(m, mm, vma, buf);
		seq_putc(m, '\n');
	}
	mmap_read_unlock(mm);
	mmput(mm);
	kfree(buf);
	return 0;
}
