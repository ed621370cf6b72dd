/* SPDX-License-Identifier: MIT */
/* The system's names (kernel/utsname.c), as uname(2) gives them. */
#ifndef KAIROS_UTSNAME_H
#define KAIROS_UTSNAME_H

#include <uapi/utsname.h>

/* A consistent copy: sethostname and setdomainname change them under a lock. */
void get_utsname(struct new_utsname *buf);

#endif
