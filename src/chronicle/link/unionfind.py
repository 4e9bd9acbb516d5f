"""Union-find with per-set labels and a compatibility check before each union.

The linkers use it to merge pairwise matches into clusters while refusing unions that would put
incompatible members together (two first names that disagree; two events of one document).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable


class UnionFind:
    """Disjoint sets over ``0..n-1``; each set carries a set of labels (merged on union)."""

    def __init__(self, n: int, labels: list[set[str]] | None = None) -> None:
        self.parent = list(range(n))
        self.labels = [set(x) for x in labels] if labels else [set() for _ in range(n)]

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union_if_compatible(
        self, a: int, b: int, compatible: Callable[[set[str], set[str]], bool]
    ) -> bool:
        """Merge the sets of ``a`` and ``b`` unless ``compatible(labels_a, labels_b)`` is False."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not compatible(self.labels[ra], self.labels[rb]):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.labels[ra] |= self.labels[rb]
        return True

    def union_same_ids(self, ids: list[str | None]) -> None:
        """Merge members already given one id (clusters stored earlier), unconditionally."""
        first: dict[str, int] = {}
        for x, cid in enumerate(ids):
            if cid is None:
                continue
            if cid in first:
                self.union_if_compatible(first[cid], x, lambda a, b: True)
            else:
                first[cid] = x

    def groups(self) -> dict[int, list[int]]:
        """Root -> members, members in ascending order."""
        out: dict[int, list[int]] = defaultdict(list)
        for x in range(len(self.parent)):
            out[self.find(x)].append(x)
        return dict(out)
