"""YAML as data only: no tags, bounded aliases, depth and size (a stand-in until one loader)."""

from __future__ import annotations

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
MAX_ALIASES = 50
PLAIN = {"tag:yaml.org,2002:" + t for t in
         ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


class _Loader(yaml.SafeLoader):
    aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise ValueError(f"more than {MAX_ALIASES} aliases")
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        self._depth = depth + 1
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth = depth
        if node is not None and node.tag not in PLAIN:
            raise ValueError(f"the tag {node.tag!r} is not allowed: values are plain data")
        return node


def load_yaml(data: bytes | str, max_bytes: int = MAX_BYTES) -> object:
    """Plain YAML data; ValueError for tags, too many aliases, deep nesting or a large file.

    >>> load_yaml("a: [1, 2]")
    {'a': [1, 2]}
    >>> load_yaml("!!set {a: null}")
    Traceback (most recent call last):
    ...
    ValueError: the tag 'tag:yaml.org,2002:set' is not allowed: values are plain data
    """
    if len(data) > max_bytes:
        raise ValueError(f"larger than {max_bytes:,} bytes")
    return yaml.load(data, Loader=_Loader)  # _Loader is a SafeLoader that refuses tags
