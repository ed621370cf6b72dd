/* SPDX-License-Identifier: MIT */
/*
 * A function to run later on an object, for whoever is done with it: a symlink target
 * made for one lookup (/proc/self) is freed by the walk when it no longer needs it.
 */
#ifndef KAIROS_DELAYED_CALL_H
#define KAIROS_DELAYED_CALL_H

struct delayed_call {
	void (*fn)(void *arg);
	void *arg;
};

#define DEFINE_DELAYED_CALL(name) struct delayed_call name = { NULL, NULL }

static inline void set_delayed_call(struct delayed_call *call, void (*fn)(void *arg),
				    void *arg)
{
	call->fn = fn;
	call->arg = arg;
}

static inline void do_delayed_call(struct delayed_call *call)
{
	if (call->fn)
		call->fn(call->arg);
	call->fn = NULL;
}

#endif
