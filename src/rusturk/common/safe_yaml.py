"""The one YAML loader: plain data only (no tags), with bounded size, nesting and aliases.

`yaml.safe_load` still builds sets (`!!set`) and bytes (`!!binary`), which papermill would
write into a notebook's code unescaped, and it expands an alias bomb (`&a [*b, *b, …]`
nested ten deep) into billions of nodes, or recurses until the interpreter dies on deep
nesting. This loader refuses any explicit tag, counts the nodes a document stands for with
its aliases expanded, and stops at a nesting depth, before any of that can happen. Numbers
follow YAML 1.2 (`1_000` and `1:30` stay text), so a value means what it reads as.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent

MAX_BYTES = 1 << 20  # a configuration or the analysts' words, not a data dump
MAX_DEPTH = 32  # our deepest file nests four levels
MAX_NODES = 100_000  # scalars, lists and mappings, each alias counted as what it expands to


class RefusedYAML(yaml.MarkedYAMLError):
    """A document this loader will not build: a tag, too deep, too large, too many aliases."""

    def __init__(self, message: str, mark=None):
        super().__init__(problem=message, problem_mark=mark)
        self.message = message

    @property
    def line(self) -> int:
        return self.problem_mark.line + 1 if self.problem_mark else 1

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class _Loader(yaml.SafeLoader):
    """SafeLoader with every node counted and every tag refused while it is composed."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self._sizes: dict[int, int] = {}  # id(node) -> nodes it stands for

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent):
            node = super().compose_node(parent, index)  # the anchored node, shared
            if id(node) not in self._sizes:  # still being composed: it contains itself
                raise RefusedYAML(f"the alias *{event.anchor} refers to a value that "
                                  "contains it", event.start_mark)
            self._count(self._sizes[id(node)], event.start_mark)
            return node
        tag = getattr(event, "tag", None)
        if tag is not None:
            raise RefusedYAML(f"the tag {tag} is not allowed; write plain values", event.start_mark)
        if isinstance(event, SequenceStartEvent | MappingStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise RefusedYAML(f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
        before = self._nodes
        node = super().compose_node(parent, index)
        if isinstance(event, SequenceStartEvent | MappingStartEvent):
            self._depth -= 1
        self._count(1, event.start_mark)
        self._sizes[id(node)] = self._nodes - before
        return node

    def _count(self, n: int, mark) -> None:
        self._nodes += n
        if self._nodes > MAX_NODES:
            raise RefusedYAML(f"stands for more than {MAX_NODES:,} values once its aliases are "
                              "expanded", mark)


# YAML 1.2's core schema for numbers: digits, an optional sign, a decimal point and an
# exponent; no `_`, no base-60 (`1:30`), no `0b`/`0o` forms. The rest is SafeLoader's.
_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z"
                    r"|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def loads(text: str | bytes, max_bytes: int = MAX_BYTES) -> object:
    """A YAML document as plain Python data: dict, list, str, int, float, bool, None, date.

    Raises RefusedYAML (a yaml.YAMLError) for what it will not build, yaml.YAMLError for
    what is not YAML.

    Examples:
        >>> loads("a: [1, 1_000, 2.5, yes, 2020-02-01]")
        {'a': [1, '1_000', 2.5, True, datetime.date(2020, 2, 1)]}
        >>> try:
        ...     loads("x: !!binary aGk=")
        ... except RefusedYAML as exc:
        ...     print(exc)
        line 1: the tag tag:yaml.org,2002:binary is not allowed; write plain values
    """
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > max_bytes:
        raise RefusedYAML(f"is {size:,} bytes; at most {max_bytes:,} are read")
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except RecursionError:  # the parser's own recursion, should the depth check be passed
        raise RefusedYAML(f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def load_file(path: Path, max_bytes: int = MAX_BYTES) -> object:
    """`loads` on a file, of which at most `max_bytes` (and one more) are ever read."""
    with Path(path).open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedYAML(f"is more than {max_bytes:,} bytes; at most {max_bytes:,} are read")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefusedYAML(f"is not UTF-8 (byte {exc.start + 1:,})") from None
    return loads(text, max_bytes)
