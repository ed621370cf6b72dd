/*
 * enosys: system call numbers that do not exist on arm64 Linux 6.1 -- never assigned
 * (the 244..259 architecture range, the 295..423 gap that 64-bit kernels skip),
 * nfsservctl (42, removed), far beyond the table (500, 1000, 0x7fffffff), and negative
 * numbers (-1, -2, 0x80000000) -- fail with ENOSYS, without a signal, and leave the other
 * argument registers alone. The upper 32 bits of x8 are ignored by arm64 Linux.
 */
#include "ktest_user.h"

static void test_numbers(void)
{
	static const long nums[] = { 42,   244,  250,   259,        295,        300,
				     350,  402,  403,   423,        500,        1000,
				     1024, 4095, 65535, 0x7fffffff, 0x80000000, 0xffffffff,
				     -1,   -2,   -1000 };
	for (unsigned i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		CHECK_ERR(kt_name("enosys_%ld", nums[i]), syscall(nums[i], 1, 2, 3, 4, 5, 6), ENOSYS);
	/* Only w8 selects the call. */
	CHECK("x8_upper_bits_ignored", syscall(0x100000000l + SYS_getpid) == getpid());
	CHECK_ERR("x8_upper_bits_with_bad_number", syscall(0x100000000l + 500), ENOSYS);
}

static void test_registers(void)
{
	/* A failed call changes x0 only. */
	uint64_t out[7];
	register long x0 __asm__("x0") = 0x1111;
	register long x1 __asm__("x1") = 0x2222;
	register long x2 __asm__("x2") = 0x3333;
	register long x3 __asm__("x3") = 0x4444;
	register long x4 __asm__("x4") = 0x5555;
	register long x5 __asm__("x5") = 0x6666;
	register long x6 __asm__("x6") = 0x7777;
	register long x8 __asm__("x8") = 1000;
	__asm__ volatile("svc #0\n"
			 "stp x1, x2, [%[o], #0]\n"
			 "stp x3, x4, [%[o], #16]\n"
			 "stp x5, x6, [%[o], #32]\n"
			 "str x8, [%[o], #48]\n"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6),
			   "+r"(x8)
			 : [o] "r"(out)
			 : "memory");
	long ret = x0;
	CHECK_EQ("raw_svc_returns_minus_enosys", ret, -ENOSYS);
	static const uint64_t want[7] = { 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 1000 };
	int same = 1;
	for (int i = 0; i < 7; i++)
		if (out[i] != want[i])
			same = 0;
	CHECK_EQ("raw_svc_other_registers_kept", same, 1);
}

int main(void)
{
	kt_begin("enosys", 10);
	test_numbers();
	test_registers();
	return kt_end();
}
