/* SPDX-License-Identifier: MIT */
/* Constants shared by C and assembly. */
#ifndef KAIROS_CONST_H
#define KAIROS_CONST_H

#ifdef __ASSEMBLY__
#define _UL(x)	x
#else
#define _UL(x)	x##UL
#endif
#define BIT(n)	(_UL(1) << (n))

#endif
