// SPDX-License-Identifier: MIT
/* The embedded vDSO: a shared object glibc accepts, with Linux arm64's names and version. */
#include <asm/vdso.h>
#include <kairos/ktest.h>
#include <kairos/string.h>
#include <uapi/elf.h>
#include <uapi/unistd.h>

#define STB_GLOBAL	1
#define STT_FUNC	2

static const Elf64_Shdr *vdso_section(u32 type)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)vdso_start;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(vdso_start + eh->e_shoff);

	for (unsigned int i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == type)
			return &sh[i];
	return NULL;
}

/* One loadable segment from the ELF header at 0, read-execute, within the image. */
KTEST(vdso_image_is_elf)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)vdso_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(vdso_start + eh->e_phoff);
	unsigned long size = vdso_end - vdso_start;
	int loads = 0;

	KTEST_EXPECT_EQ(t, memcmp(eh->e_ident, ELFMAG, SELFMAG), 0);
	KTEST_EXPECT_EQ(t, eh->e_ident[EI_CLASS], ELFCLASS64);
	KTEST_EXPECT_EQ(t, eh->e_ident[EI_DATA], ELFDATA2LSB);
	KTEST_EXPECT_EQ(t, eh->e_type, ET_DYN);
	KTEST_EXPECT_EQ(t, eh->e_machine, EM_AARCH64);
	KTEST_EXPECT_EQ(t, (unsigned long)vdso_start % 4096, 0);
	KTEST_EXPECT_EQ(t, size % 4096, 0);
	KTEST_EXPECT(t, eh->e_shoff + eh->e_shnum * sizeof(Elf64_Shdr) <= size);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		loads++;
		KTEST_EXPECT_EQ(t, ph[i].p_vaddr, 0);
		KTEST_EXPECT_EQ(t, ph[i].p_offset, 0);
		KTEST_EXPECT_EQ(t, ph[i].p_flags, PF_R | PF_X);
		KTEST_EXPECT(t, ph[i].p_memsz <= size);
	}
	KTEST_EXPECT_EQ(t, loads, 1);
}

/* The version (index into .gnu.version_d) of dynamic symbol sym, by name. */
static const char *symbol_version(unsigned int sym)
{
	const Elf64_Shdr *versym = vdso_section(SHT_GNU_versym);
	const Elf64_Shdr *verdef = vdso_section(SHT_GNU_verdef);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)vdso_start;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(vdso_start + eh->e_shoff);
	const char *strtab;
	const Elf64_Verdef *vd;
	u16 ndx;

	if (!versym || !verdef)
		return NULL;
	ndx = ((const u16 *)(vdso_start + versym->sh_offset))[sym] & 0x7fff;
	strtab = vdso_start + sh[verdef->sh_link].sh_offset;
	vd = (const Elf64_Verdef *)(vdso_start + verdef->sh_offset);
	for (unsigned int i = 0; i < verdef->sh_info; i++) {
		if (vd->vd_ndx == ndx)
			return strtab + ((const Elf64_Verdaux *)((const char *)vd + vd->vd_aux))->vda_name;
		vd = (const Elf64_Verdef *)((const char *)vd + vd->vd_next);
	}
	return NULL;
}

/* What glibc looks up: global functions of version LINUX_2.6.39, and no others exported. */
KTEST(vdso_symbols_and_version)
{
	static const char *const names[] = {
		"__kernel_rt_sigreturn", "__kernel_gettimeofday",
		"__kernel_clock_gettime", "__kernel_clock_getres",
	};
	const Elf64_Shdr *dynsym = vdso_section(SHT_DYNSYM);
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)vdso_start;
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(vdso_start + eh->e_shoff);
	const Elf64_Sym *sym;
	const char *strtab;
	unsigned int found = 0, funcs = 0;

	KTEST_EXPECT(t, dynsym != NULL);
	if (!dynsym)
		return;
	sym = (const Elf64_Sym *)(vdso_start + dynsym->sh_offset);
	strtab = vdso_start + sh[dynsym->sh_link].sh_offset;
	for (unsigned int i = 1; i < dynsym->sh_size / sizeof(*sym); i++) {
		const char *name = strtab + sym[i].st_name;
		const char *version = symbol_version(i);

		if ((sym[i].st_info & 0xf) != STT_FUNC)
			continue;
		funcs++;
		KTEST_EXPECT_EQ(t, sym[i].st_info >> 4, STB_GLOBAL);
		KTEST_EXPECT(t, version && !strcmp(version, "LINUX_2.6.39"));
		for (unsigned int n = 0; n < ARRAY_SIZE(names); n++) {
			if (strcmp(name, names[n]))
				continue;
			found |= 1U << n;
			KTEST_EXPECT_EQ(t, vdso_symbol(name), sym[i].st_value);
		}
	}
	KTEST_EXPECT_EQ(t, found, (1U << ARRAY_SIZE(names)) - 1);
	KTEST_EXPECT_EQ(t, funcs, ARRAY_SIZE(names));
	KTEST_EXPECT_EQ(t, vdso_symbol("no_such_symbol"), 0);
}

/* Signal frames return to `mov x8, #__NR_rt_sigreturn; svc #0`. */
KTEST(vdso_sigreturn_code)
{
	const u32 *insn = (const u32 *)(vdso_start + vdso_rt_sigreturn_offset);

	KTEST_EXPECT(t, vdso_rt_sigreturn_offset != 0);
	KTEST_EXPECT_EQ(t, vdso_rt_sigreturn_offset, vdso_symbol("__kernel_rt_sigreturn"));
	KTEST_EXPECT_EQ(t, insn[0], 0xd2800008U | (__NR_rt_sigreturn << 5));
	KTEST_EXPECT_EQ(t, insn[1], 0xd4000001U);
}
