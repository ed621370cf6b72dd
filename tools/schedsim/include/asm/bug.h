/* SPDX-License-Identifier: MIT */
/* schedsim: BUG() reports file:line and ends the simulation with a non-zero exit. */
#ifndef ASM_BUG_H
#define ASM_BUG_H

void sim_bug(const char *file, int line, const char *cond) __attribute__((noreturn));

#define __BUG(cond_str)	sim_bug(__FILE__, __LINE__, cond_str)

#endif
