"""What sanitizing changed in a piece of HTML: each element removed, and each attribute or class
removed from an element that stays.

Both sides are read with the same parser, as a browser reads them (``markup_policy
.parse_fragment``), so that a difference in how the HTML is written (``<br />`` or ``<br>``,
quotes, entities) is never taken for a change. ``unchanged`` answers for almost every page;
``changes`` lines the elements up only when it does not.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass

from socialcouncils.policy.markup_policy import parse_fragment

ELEMENT, ATTRIBUTE, CLASS = "element", "attribute", "class"


@dataclass(frozen=True, slots=True)
class Change:
    """One thing sanitizing removed. ``name`` is the attribute or class; ``value`` the
    attribute's value as it was written."""

    kind: str
    tag: str
    name: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class _Element:
    tag: str
    attrs: dict[str, str | None]
    parent: int  # index of the parent element in the walk, -1 at the top


def normalized(html: str) -> str:
    """``html`` as a browser's parser writes it back out, without white space at either end."""
    if not html.strip():
        return ""
    return (parse_fragment(html).html or "").strip()


def unchanged(before: str, after: str) -> bool:
    return normalized(before) == normalized(after)


def _elements(html: str) -> list[_Element]:
    """Every element of ``html`` in document order, with its parent's place in the list."""
    root = parse_fragment(html).root
    if root is None:
        return []
    found: list[_Element] = []
    index: dict[int, int] = {}
    for node in root.traverse():
        if not node.is_element_node:
            continue
        parent = node.parent
        found.append(
            _Element(
                node.tag or "",
                dict(node.attributes),
                index.get(parent.mem_id, -1) if parent is not None else -1,
            )
        )
        index[node.mem_id] = len(found) - 1
    return found


def changes(before: str, after: str) -> list[Change]:
    """What turned ``before`` into ``after``, in document order. An element inside one that was
    removed is not reported again."""
    old, new = _elements(before), _elements(after)
    matcher = difflib.SequenceMatcher(
        None, [e.tag for e in old], [e.tag for e in new], autojunk=False
    )
    removed: set[int] = set()
    found: list[tuple[int, Change]] = []
    for op, i1, i2, j1, _ in matcher.get_opcodes():
        for offset, index in enumerate(range(i1, i2)):
            if op == "equal":
                found.extend((index, c) for c in _attribute_changes(old[index], new[j1 + offset]))
            elif not _inside(index, removed, old):
                removed.add(index)
                found.append((index, Change(ELEMENT, old[index].tag)))
    return [change for index, change in sorted(found, key=lambda f: f[0])]


def _inside(index: int, removed: set[int], elements: list[_Element]) -> bool:
    parent = elements[index].parent
    while parent >= 0:
        if parent in removed:
            return True
        parent = elements[parent].parent
    return False


def _attribute_changes(old: _Element, new: _Element) -> Iterator[Change]:
    for name, value in old.attrs.items():
        if name == "class":
            kept = set((new.attrs.get("class") or "").split())
            for cls in (value or "").split():
                if cls not in kept:
                    yield Change(CLASS, old.tag, cls)
        elif new.attrs.get(name, ...) != value:
            yield Change(ATTRIBUTE, old.tag, name, value or "")
