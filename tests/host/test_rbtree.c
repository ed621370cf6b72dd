// SPDX-License-Identifier: MIT
/*
 * lib/rbtree.c under random insert/erase/replace sequences, checking every
 * red-black invariant, the ordering, the leftmost cache and rb_next/rb_prev
 * after each batch of operations.
 */
#include <kairos/rbtree.h>

#include "rand.h"
#include "tap.h"

struct item {
	struct rb_node node;
	unsigned long long key;
	unsigned long seq;	/* insertion order, to check FIFO among equal keys */
	bool in_tree;
};

#define NR_ITEMS	3000

static struct item items[NR_ITEMS];
static struct item *spare;	/* replacement storage for rb_replace_node */
static unsigned long next_seq;

static bool item_less(struct rb_node *a, const struct rb_node *b)
{
	return rb_entry(a, struct item, node)->key <
	       rb_entry(b, struct item, node)->key;
}

/* (key, seq) strictly increasing is the in-order contract. */
static bool in_order(const struct item *a, const struct item *b)
{
	return a->key < b->key || (a->key == b->key && a->seq < b->seq);
}

/* Open-coded descent, as most kernel users write it. */
static void insert_by_hand(struct rb_root_cached *root, struct item *it)
{
	struct rb_node **link = &root->rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (it->key < rb_entry(parent, struct item, node)->key) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&it->node, parent, link);
	rb_insert_color_cached(&it->node, root, leftmost);
}

struct walk {
	unsigned long count;
	const struct item *prev;
	bool ok;
	const struct rb_node *inorder[NR_ITEMS];
};

/* Returns the black height of @node's subtree, checking on the way down. */
static int check_subtree(const struct rb_node *node, const struct rb_node *parent,
			 struct walk *w)
{
	int lh, rh;

	if (!node)
		return 1;
	if (rb_parent(node) != parent) {
		CHECK(0, "parent pointer wrong");
		w->ok = false;
	}
	if (rb_is_red(node) && ((node->rb_left && rb_is_red(node->rb_left)) ||
				(node->rb_right && rb_is_red(node->rb_right)))) {
		CHECK(0, "red node with a red child");
		w->ok = false;
	}
	lh = check_subtree(node->rb_left, node, w);

	if (w->count >= NR_ITEMS) {
		CHECK(0, "more nodes than items: cycle?");
		w->ok = false;
		return 0;
	}
	w->inorder[w->count++] = node;
	if (w->prev && !in_order(w->prev, rb_entry(node, struct item, node))) {
		CHECK(0, "in-order sequence not sorted");
		w->ok = false;
	}
	w->prev = rb_entry(node, struct item, node);

	rh = check_subtree(node->rb_right, node, w);
	if (lh != rh) {
		CHECK(0, "black heights differ: %d vs %d", lh, rh);
		w->ok = false;
	}
	return lh + rb_is_black(node);
}

static struct walk walk;

static void check_tree(const struct rb_root_cached *root, unsigned long expect)
{
	const struct rb_node *r = root->rb_root.rb_node, *n;
	unsigned long i, height_bound = 0;
	int bh;

	walk.count = 0;
	walk.prev = NULL;
	walk.ok = true;

	CHECK(!r || (rb_is_black(r) && !rb_parent(r)), "root must be black, parentless");
	bh = check_subtree(r, NULL, &walk);
	CHECK(walk.ok, "structural invariants");
	CHECK(walk.count == expect, "tree has %lu nodes, expected %lu",
	      walk.count, expect);

	/* black height h means at least 2^(h-1) - 1 nodes: height <= 2 log n */
	while ((1UL << height_bound) <= expect + 1)
		height_bound++;
	CHECK(bh - 1 <= (int)height_bound, "black height %d for %lu nodes",
	      bh, expect);

	CHECK(rb_first(&root->rb_root) == (walk.count ? walk.inorder[0] : NULL),
	      "rb_first");
	CHECK(rb_first_cached(root) == rb_first(&root->rb_root),
	      "leftmost cache stale");
	CHECK(rb_last(&root->rb_root) ==
	      (walk.count ? walk.inorder[walk.count - 1] : NULL), "rb_last");

	for (i = 0, n = rb_first(&root->rb_root); n && i < walk.count;
	     n = rb_next(n), i++)
		CHECK(n == walk.inorder[i], "rb_next diverges at %lu", i);
	CHECK(i == walk.count && !n, "rb_next walk length %lu", i);

	for (i = walk.count, n = rb_last(&root->rb_root); n && i > 0;
	     n = rb_prev(n), i--)
		CHECK(n == walk.inorder[i - 1], "rb_prev diverges at %lu", i);
	CHECK(i == 0 && !n, "rb_prev walk stopped at %lu", i);
}

static void add_item(struct rb_root_cached *root, struct item *it,
		     unsigned long long keyspace)
{
	struct rb_node *ret;

	it->key = rnd_below(keyspace);
	it->seq = next_seq++;
	it->in_tree = true;
	if (rnd_below(2)) {
		insert_by_hand(root, it);
	} else {
		ret = rb_add_cached(&it->node, root, item_less);
		CHECK(ret == (rb_first_cached(root) == &it->node ? &it->node : NULL),
		      "rb_add_cached return");
	}
}

static void remove_item(struct rb_root_cached *root, struct item *it)
{
	bool was_first = rb_first_cached(root) == &it->node;
	struct rb_node *ret;

	ret = rb_erase_cached(&it->node, root);
	CHECK(ret == (was_first ? rb_first_cached(root) : NULL),
	      "rb_erase_cached return");
	RB_CLEAR_NODE(&it->node);
	it->in_tree = false;
}

/*
 * Move @it's place in the tree to spare storage with the same key, check
 * the tree, then move it back so items[] stays the owner.
 */
static void replace_item(struct rb_root_cached *root, struct item *it,
			 unsigned long live)
{
	spare->key = it->key;
	spare->seq = it->seq;
	rb_replace_node(&it->node, &spare->node, &root->rb_root);
	if (root->rb_leftmost == &it->node)
		root->rb_leftmost = &spare->node;
	check_tree(root, live);

	rb_replace_node(&spare->node, &it->node, &root->rb_root);
	if (root->rb_leftmost == &spare->node)
		root->rb_leftmost = &it->node;
}

static void run_seed(unsigned long long seed, unsigned long ops,
		     unsigned long long keyspace)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	unsigned long live = 0, op, i;

	rnd_seed(seed);
	for (i = 0; i < NR_ITEMS; i++) {
		items[i].in_tree = false;
		RB_CLEAR_NODE(&items[i].node);
	}

	for (op = 1; op <= ops; op++) {
		struct item *it = &items[rnd_below(NR_ITEMS)];
		/* drift between growing and shrinking phases */
		bool grow = (op / 5000) % 2 == 0 ? rnd_below(10) < 7 : rnd_below(10) < 3;

		if (!it->in_tree && grow) {
			add_item(&root, it, keyspace);
			live++;
		} else if (it->in_tree && !grow) {
			remove_item(&root, it);
			live--;
		} else if (it->in_tree && rnd_below(50) == 0) {
			replace_item(&root, it, live);
		}
		if (op % 97 == 0)
			check_tree(&root, live);
	}
	check_tree(&root, live);

	/* Drain in order through the cache, as a scheduler would. */
	while (rb_first_cached(&root)) {
		struct item *it = rb_entry(rb_first_cached(&root), struct item, node);

		remove_item(&root, it);
		live--;
		if (live % 251 == 0)
			check_tree(&root, live);
	}
	CHECK(RB_EMPTY_ROOT(&root.rb_root) && live == 0, "drained tree not empty");
}

static void test_random(void)
{
	static const struct {
		unsigned long long seed, keyspace;
	} runs[] = {
		{ 1, 1ULL << 40 },	/* nearly all keys distinct */
		{ 2, 1ULL << 40 },
		{ 3, 64 },		/* many equal keys */
		{ 4, 4 },		/* almost all equal */
		{ 5, 1ULL << 20 },
	};
	unsigned int i;
	char name[96];

	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		tap_bulk_begin();
		run_seed(runs[i].seed, 100000, runs[i].keyspace);
		sprintf(name, "100000 random ops, seed %llu, %llu keys", runs[i].seed,
			runs[i].keyspace);
		tap_bulk_end(name);
	}
}

static void test_sequential(void)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	unsigned long i;

	/* Sorted input is the classic worst case for unbalanced trees. */
	tap_bulk_begin();
	next_seq = 0;
	for (i = 0; i < NR_ITEMS; i++) {
		items[i].key = i;
		items[i].seq = next_seq++;
		rb_add_cached(&items[i].node, &root, item_less);
	}
	check_tree(&root, NR_ITEMS);
	for (i = NR_ITEMS; i-- > 0;) {
		rb_erase_cached(&items[i].node, &root);
		if (i % 500 == 0)
			check_tree(&root, i);
	}
	tap_bulk_end("ascending inserts, descending erases stay balanced");
}

static void test_empty_and_cleared(void)
{
	struct rb_root root = RB_ROOT;
	struct item a = { .key = 1 };

	RB_CLEAR_NODE(&a.node);
	TAP_OK(RB_EMPTY_ROOT(&root) && !rb_first(&root) && !rb_last(&root) &&
	       RB_EMPTY_NODE(&a.node) && !rb_next(&a.node) && !rb_prev(&a.node),
	       "empty tree and cleared nodes");

	rb_add(&a.node, &root, item_less);
	TAP_OK(!RB_EMPTY_NODE(&a.node) && rb_first(&root) == &a.node &&
	       rb_is_black(&a.node) && !rb_next(&a.node) && !rb_prev(&a.node),
	       "single node is a black root");
	rb_erase(&a.node, &root);
	TAP_OK(RB_EMPTY_ROOT(&root), "erasing the only node empties the tree");
}

int main(void)
{
	spare = malloc(sizeof(*spare));
	test_random();
	test_sequential();
	test_empty_and_cleared();
	free(spare);
	return tap_done();
}
