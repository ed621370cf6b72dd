// SPDX-License-Identifier: MIT
/*
 * Red-black tree balancing.
 *
 * Invariants: the root is black, a red node has no red child, and every
 * path from a node down to a missing child crosses the same number of
 * black nodes. Together they bound the height by 2 * log2(n + 1).
 *
 * Every case has a mirror image, so the code is written once in terms of
 * a direction (LEFT/RIGHT) and its opposite instead of twice.
 */
#include <kairos/rbtree.h>

enum { LEFT, RIGHT };

static inline struct rb_node **child_link(struct rb_node *node, int dir)
{
	return dir == LEFT ? &node->rb_left : &node->rb_right;
}

static inline struct rb_node *child(struct rb_node *node, int dir)
{
	return *child_link(node, dir);
}

static inline void set_parent(struct rb_node *node, struct rb_node *parent)
{
	node->__rb_parent_color = rb_color(node) | (unsigned long)parent;
}

static inline void set_color(struct rb_node *node, unsigned long color)
{
	node->__rb_parent_color = (unsigned long)rb_parent(node) | color;
}

static inline bool is_red(const struct rb_node *node)
{
	return node && rb_is_red(node);
}

/* Make whatever pointed at @old (its parent's link or the root) point at @new. */
static void replace_child(struct rb_node *old, struct rb_node *new,
			  struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else if (parent->rb_left == old)
		parent->rb_left = new;
	else
		parent->rb_right = new;
}

/*
 * Rotate @node down towards @dir; its child on the other side takes its
 * place. Colours are left to the caller.
 */
static void rotate(struct rb_node *node, int dir, struct rb_root *root)
{
	struct rb_node *up = child(node, !dir);
	struct rb_node *moved = child(up, dir);
	struct rb_node *parent = rb_parent(node);

	*child_link(node, !dir) = moved;
	if (moved)
		set_parent(moved, node);
	*child_link(up, dir) = node;
	set_parent(up, parent);
	replace_child(node, up, parent, root);
	set_parent(node, up);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *gparent, *uncle;
	int dir;

	/* @node is red; the only possible violation is a red parent. */
	while ((parent = rb_parent(node)) && rb_is_red(parent)) {
		/* A red parent is never the root, so the grandparent exists. */
		gparent = rb_parent(parent);
		dir = parent == gparent->rb_left ? LEFT : RIGHT;
		uncle = child(gparent, !dir);

		if (is_red(uncle)) {
			/* Push the grandparent's blackness down; recheck above. */
			set_color(parent, RB_BLACK);
			set_color(uncle, RB_BLACK);
			set_color(gparent, RB_RED);
			node = gparent;
			continue;
		}

		if (node == child(parent, !dir)) {
			/* Zig-zag: straighten it so node and parent line up. */
			rotate(parent, dir, root);
			parent = node;
		}
		/* Parent replaces grandparent, black above two red children. */
		rotate(gparent, !dir, root);
		set_color(parent, RB_BLACK);
		set_color(gparent, RB_RED);
		return;
	}
	if (!parent)
		set_color(node, RB_BLACK);
}

/*
 * One black node was removed from the @parent's subtree holding @node
 * (possibly NULL), so paths through @node are one black short.
 */
static void erase_fixup(struct rb_node *node, struct rb_node *parent,
			struct rb_root *root)
{
	struct rb_node *sibling, *far, *near;
	int dir;

	while (parent && !is_red(node)) {
		dir = node == parent->rb_left ? LEFT : RIGHT;
		/* The sibling's side is at least one black deeper: it exists. */
		sibling = child(parent, !dir);

		if (rb_is_red(sibling)) {
			/* Make the sibling black so the cases below apply. */
			rotate(parent, dir, root);
			set_color(sibling, RB_BLACK);
			set_color(parent, RB_RED);
			sibling = child(parent, !dir);
		}

		far = child(sibling, !dir);
		near = child(sibling, dir);
		if (!is_red(far) && !is_red(near)) {
			/* Shorten the sibling's side too; the deficit moves up. */
			set_color(sibling, RB_RED);
			node = parent;
			parent = rb_parent(node);
			continue;
		}

		if (!is_red(far)) {
			/* Near nephew red: rotate it up to be the far one. */
			rotate(sibling, !dir, root);
			set_color(near, RB_BLACK);
			set_color(sibling, RB_RED);
			far = sibling;
			sibling = near;
		}
		/* The sibling takes the parent's place and colour; done. */
		rotate(parent, dir, root);
		set_color(sibling, rb_color(parent));
		set_color(parent, RB_BLACK);
		set_color(far, RB_BLACK);
		return;
	}
	if (node)
		set_color(node, RB_BLACK);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(node);
	struct rb_node *child, *succ;
	unsigned long removed_color;

	if (!node->rb_left || !node->rb_right) {
		/* At most one child: splice @node out. */
		child = node->rb_left ? node->rb_left : node->rb_right;
		removed_color = rb_color(node);
		replace_child(node, child, parent, root);
		if (child)
			set_parent(child, parent);
	} else {
		/*
		 * Two children: the in-order successor (leftmost of the right
		 * subtree, which has no left child) takes @node's place and
		 * colour, so structurally the successor's old slot is removed.
		 */
		succ = node->rb_right;
		while (succ->rb_left)
			succ = succ->rb_left;
		removed_color = rb_color(succ);
		child = succ->rb_right;

		if (succ == node->rb_right) {
			parent = succ;
		} else {
			parent = rb_parent(succ);
			parent->rb_left = child;
			if (child)
				set_parent(child, parent);
			succ->rb_right = node->rb_right;
			set_parent(succ->rb_right, succ);
		}
		succ->rb_left = node->rb_left;
		set_parent(succ->rb_left, succ);
		replace_child(node, succ, rb_parent(node), root);
		succ->__rb_parent_color = node->__rb_parent_color;
	}

	/* Removing a red node changes no black count. */
	if (removed_color == RB_BLACK)
		erase_fixup(child, parent, root);
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new,
		     struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*new = *victim;
	if (victim->rb_left)
		set_parent(victim->rb_left, new);
	if (victim->rb_right)
		set_parent(victim->rb_right, new);
	replace_child(victim, new, parent, root);
}

static struct rb_node *extreme(struct rb_node *node, int dir)
{
	if (node) {
		while (child(node, dir))
			node = child(node, dir);
	}
	return node;
}

struct rb_node *rb_first(const struct rb_root *root)
{
	return extreme(root->rb_node, LEFT);
}

struct rb_node *rb_last(const struct rb_root *root)
{
	return extreme(root->rb_node, RIGHT);
}

/* In-order neighbour of @node towards @dir (RIGHT: next, LEFT: previous). */
static struct rb_node *step(const struct rb_node *node, int dir)
{
	struct rb_node *cur = (struct rb_node *)node, *parent;

	if (RB_EMPTY_NODE(node))
		return NULL;
	if (child(cur, dir))
		return extreme(child(cur, dir), !dir);
	/* Climb until we come up from the opposite side. */
	while ((parent = rb_parent(cur)) && cur == child(parent, dir))
		cur = parent;
	return parent;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	return step(node, RIGHT);
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	return step(node, LEFT);
}
