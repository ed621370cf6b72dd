// SPDX-License-Identifier: MIT
/*
 * The vDSO: the image linked from arch/arm64/kernel/vdso/ and embedded in the kernel is
 * copied into pages at boot, and exec maps them into every process after the data page
 * ([vvar], read-only for user space) that the kernel keeps the clocks' parameters in:
 *
 *	base: [vvar] (1 page) | base + PAGE_SIZE: [vdso] (AT_SYSINFO_EHDR)
 *
 * Writers of the data page are serialised by their callers (time_init at boot before
 * any user space, the wall clock's changes under realtime_lock); readers retry while the
 * sequence count is odd or moved.
 */
#include <asm/vdso.h>
#include <asm/vdso/datapage.h>
#include <kairos/atomic.h>
#include <kairos/bug.h>
#include <kairos/mm.h>
#include <kairos/mman.h>
#include <kairos/printk.h>
#include <kairos/sched.h>
#include <kairos/signal.h>
#include <kairos/slab.h>
#include <kairos/string.h>
#include <uapi/elf.h>

unsigned long vdso_rt_sigreturn_offset;
static struct page **vdso_pages;
static unsigned long vdso_npages;
static struct page *vvar_page;
static struct vdso_data *vdso_data;

unsigned long vdso_symbol(const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)vdso_start;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(vdso_start + eh->e_shoff);
	unsigned int i, j;

	for (i = 0; i < eh->e_shnum; i++) {
		const Elf64_Sym *sym = (const Elf64_Sym *)(vdso_start + sh[i].sh_offset);
		const char *strtab;

		if (sh[i].sh_type != SHT_DYNSYM)
			continue;
		strtab = vdso_start + sh[sh[i].sh_link].sh_offset;
		for (j = 0; j < sh[i].sh_size / sizeof(*sym); j++)
			if (sym[j].st_name && !strcmp(strtab + sym[j].st_name, name))
				return sym[j].st_value;
	}
	return 0;
}

/* Before time_init (which fills the data page); panics: a process without is no process. */
void __init vdso_init(void)
{
	unsigned long i;

	if (memcmp(vdso_start, ELFMAG, SELFMAG))
		panic("vdso: the embedded image is not ELF");
	vdso_rt_sigreturn_offset = vdso_symbol("__kernel_rt_sigreturn");
	if (!vdso_rt_sigreturn_offset)
		panic("vdso: no __kernel_rt_sigreturn");
	vdso_npages = (vdso_end - vdso_start) >> PAGE_SHIFT;
	vdso_pages = kmalloc(vdso_npages * sizeof(*vdso_pages), GFP_KERNEL);
	vvar_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!vdso_pages || !vvar_page)
		panic("vdso: out of memory");
	vdso_data = page_address(vvar_page);
	for (i = 0; i < vdso_npages; i++) {
		vdso_pages[i] = alloc_page(GFP_KERNEL);
		if (!vdso_pages[i])
			panic("vdso: out of memory");
		memcpy(page_address(vdso_pages[i]), vdso_start + i * PAGE_SIZE, PAGE_SIZE);
	}
	pr_info("vdso: %lu pages, __kernel_rt_sigreturn at +%#lx\n", vdso_npages,
		vdso_rt_sigreturn_offset);
}

static void vdso_write_begin(void)
{
	WRITE_ONCE(vdso_data->seq, vdso_data->seq + 1);
	smp_wmb();
}

static void vdso_write_end(void)
{
	smp_wmb();
	WRITE_ONCE(vdso_data->seq, vdso_data->seq + 1);
}

void vdso_update_counter(u64 boot_count, u32 rate, u64 ns_per_cycle)
{
	vdso_write_begin();
	vdso_data->boot_count = boot_count;
	vdso_data->ns_per_cycle = ns_per_cycle;
	vdso_data->rate = rate;
	vdso_write_end();
}

void vdso_update_real_offset(u64 real_offset)
{
	vdso_write_begin();
	vdso_data->real_offset = real_offset;
	vdso_write_end();
}

/* exec: the data page and the vDSO, placed as mmap would place them (as Linux does). */
int arch_setup_additional_pages(struct mm_struct *mm)
{
	unsigned long addr;
	int err;

	mmap_write_lock(mm);
	addr = get_unmapped_area(mm, 0, (1 + vdso_npages) << PAGE_SHIFT, 0);
	if (IS_ERR_VALUE(addr)) {
		err = (int)addr;
		goto out;
	}
	err = install_special_mapping(mm, addr, PAGE_SIZE, VM_READ | VM_MAYREAD, &vvar_page);
	if (err)
		goto out;
	/*
	 * On failure the data page stays: exec is past the point of no return and the mm
	 * goes with the process.
	 */
	err = install_special_mapping(mm, addr + PAGE_SIZE, vdso_npages << PAGE_SHIFT,
				      VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC,
				      vdso_pages);
	if (!err)
		mm->context.vdso = addr + PAGE_SIZE;
out:
	mmap_write_unlock(mm);
	return err;
}
