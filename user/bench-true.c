// SPDX-License-Identifier: MIT
/*
 * /bench/tiny_true: the smallest static program, for the exec benchmarks
 * (user/bench/exec.c). No C library: its entry point calls exit_group(0), so starting it
 * costs the kernel's work only. Built with -nostdlib -static.
 */
__asm__(".globl _start\n"
	"_start:\n"
	"	mov	x0, #0\n"
	"	mov	x8, #94\n"	/* __NR_exit_group */
	"	svc	#0\n");
