"""The Python reader: the standard ``ast`` module (fast, in the standard library).

It records top-level classes and functions, the events an aggregate class declares (nested event
classes, ``@event(...)`` methods), ``event_type`` strings (emitted), other type-string
literals (referenced), pub/sub topics, ``dispatch`` calls and every import with its context
(relative level, inside a function, under ``if TYPE_CHECKING:``).
"""

from __future__ import annotations

import ast
import inspect
import re
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator

from slicegen.model.byte_search import linear
from slicegen.model.discovery import kind_from_stem
from slicegen.model.readers.fields import packed, python_class, python_shapes
from slicegen.model.readers.newer_python import parse_newer
from slicegen.model.readers.source import (
    TYPE_STRING,
    decode,
    find_suppressions,
    line_col,
    named_as,
)
from slicegen.model.workspace import Call, Definition, FileInfo, ImportRef, StringUse

#: The base recorded for an event declared by the ``eventsourcing`` library's ``@event(...)``.
DECLARED_EVENT = "@event"
EMIT_NAMES = frozenset({"event_type", "EVENT_TYPE", "__event_type__", "type_string"})
TOPIC_CALLS = frozenset({"subscribe", "publish", "broadcast", "unsubscribe", "publish_fact"})
#: A Python object's path, ``package.module:Name`` (what the ``eventsourcing`` library calls a
#: topic): never a pub/sub topic.
_OBJECT_PATH = re.compile(r"[A-Za-z_]\w*(?:\.\w+)*:[A-Za-z_]\w*(?:\.\w+)*")
_QUOTED_TYPE_STRING = re.compile(r"""(["'])([a-z][a-z0-9_]*:v\d+)\1""")
#: Words without which a file has no dispatch call and no topic (see ``expressions``).
_EXPRESSION_WORDS = ("dispatch", "subscribe", "publish", "broadcast", "topic")
#: Where a node that ``expressions`` records can be spelled: a word of a call or keyword it
#: records, ``:v`` or a ``:`` ending a string piece (a type string, perhaps split over adjacent
#: literals), an escape that could spell a letter, a digit or ``:``, or a non-ASCII character
#: (identifiers are NFKC-normalised).
_EXPRESSION_SPOT = re.compile(
    r"(?i:topic)|dispatch|subscribe|publish|broadcast|:v|:[\"']|\\[^ntr'\"\\]|[^\x00-\x7f]"
)
TOO_DEEP = "nested too deeply or too large for Python's parser; simplify it"
_NOT_WORD = rb"[^A-Za-z0-9_]"
_SPACE = rb" \t\n\r\f\v"
_EMIT_WORDS = b"|".join(sorted(w.encode() for w in EMIT_NAMES))
_CALL_WORDS = b"|".join([b"class", b"dispatch", *sorted(w.encode() for w in TOPIC_CALLS)])
#: Where an ASCII file can hold a fact (see ``may_hold_facts``), one pattern of five parts:
#: bytes that can spell a type string's ``:`` part (``"a:v1"``, ``"a:" "v1"``, ``"a:v" "1"``),
#: a fact-looking name, a retired module or a topic; an escape that could spell a letter, a digit
#: or ``:`` (or continue a string's line); a word that starts a class or names a call the reader
#: records (``dispatch``, pub/sub); an emit name as a target whose value can hold a string
#: (``event_type = "x:v1"``, ``event_type: ClassVar[str] = ...``, ``event_type[0] = ...``, a
#: target in parentheses over lines), not a keyword argument ``event_type=Kind.X,``; and an
#: emit name as a function's name.


def _word(words: bytes) -> bytes:
    """One of ``words`` (``a|b``) with no word character either side."""
    return rb"(?:^|%s)(?:%s)(?:%s|$)" % (_NOT_WORD, words, _NOT_WORD)


def _emit(words: bytes) -> bytes:
    """One of the emit names ``words`` as a target whose value can hold a string, or as a
    function's name."""
    target = rb"(?:^|%s)(?:%s)(?:[%s\\)]|#[^\n]*)*(?:[\[:]|=(?:[^=\n][^\n]*)?[\"'(\[{\\])"
    function = rb"def[%s\\]+(?:%s)(?:%s|$)"
    return target % (_NOT_WORD, words, _SPACE) + b"|" + function % (_SPACE, words, _NOT_WORD)


_FACT_PATTERN = b"|".join(
    [
        rb""":v|:"|:'|Fact|retired|(?i:topic)""",
        rb"""\\[^ntr'"\\]""",
        _word(_CALL_WORDS),
        _emit(_EMIT_WORDS),
    ]
)
_FACT_SPOTS = linear(_FACT_PATTERN)
#: For a trigger word of the rules (``slicegen.model.reads.NEEDLES``), where in a Python file
#: the reader can record what the word stands for: a call it records (``dispatch``, pub/sub;
#: ``subscribe`` is in ``unsubscribe`` too), or an emit name (``event_type``, also in
#: ``__event_type__``) as a target or a function's name. ``event_type=Kind.X`` as a keyword,
#: ``webhook.event_type`` read, ``is_published`` or ``dispatcher`` give it nothing. A word not
#: listed counts wherever it is.
TRIGGER_SPOTS: dict[bytes, bytes] = {
    b"dispatch": _word(b"dispatch"),
    b"subscribe": _word(b"subscribe|unsubscribe"),
    b"publish": _word(b"publish|publish_fact"),
    b"broadcast": _word(b"broadcast"),
    b"event_type": _emit(b"event_type|__event_type__"),
}


def read_python(path: str, data: bytes, parse: bool = True) -> FileInfo:
    """Read one Python file; a decode or syntax error becomes ``FileInfo.error``."""
    text, error = decode(data, cookie=True)
    if text is None:
        return FileInfo(path=path, language="python", error=error)
    suppressions = find_suppressions(text)
    if not parse:
        return FileInfo(path=path, language="python", suppressions=suppressions)
    try:
        tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        newer = parse_newer(text)  # Python 3.12's type parameters, on an older interpreter
        if newer is None:
            return FileInfo(
                path=path,
                language="python",
                error=f"syntax error: {exc.msg}; fix it so the file can be checked",
                error_line=exc.lineno or 1,
                error_col=exc.offset or 1,
                suppressions=suppressions,
            )
        tree = newer
    except (RecursionError, MemoryError):  # the parser's own limits: deep nesting, huge nodes
        return FileInfo(path=path, language="python", error=TOO_DEEP, suppressions=suppressions)
    except ValueError as exc:
        return FileInfo(path=path, language="python", error=f"cannot parse: {exc}")
    collector = _Collector(_statement_lines(text))
    collector.statements(tree.body, in_function=False, type_checking=False)
    if any(word in text for word in _EXPRESSION_WORDS):
        collector.expressions(tree, text)  # walking nodes is the slow part: only when needed
    elif ":v" in text:
        collector.quoted_type_strings(text)
    is_command = _is_command(path)
    return FileInfo(
        path=path,
        language="python",
        parsed=True,
        definitions=tuple(_definitions(tree)),
        strings=tuple(collector.strings),
        imports=tuple(collector.imports),
        calls=tuple(collector.calls),
        suppressions=suppressions,
        doc=module_doc(tree) if is_command else None,
        class_fields=class_fields(tree) if is_command else None,
        event_shapes=packed(python_shapes(path, tree)) if named_as(path, "event") else None,
    )


def may_hold_facts(data: bytes) -> bool:
    """Whether parsing ``data`` can give more than the names of top-level functions, none of
    which looks like a fact: a class (its definition, bases, declared events and fields), a
    string the reader records (emitted, referenced or a topic), a ``dispatch`` call, an import
    of a retired module or a name with ``Fact`` in it. A necessary condition, tested on bytes
    (``tests/lint/test_fact_spots.py`` checks it against the reader); imports of another domain
    are the loader's to tell (it knows the domains' names)."""
    # identifiers are NFKC-normalised: a non-ASCII one may spell a word
    return not data.isascii() or _FACT_SPOTS.search(data) is not None


def _is_command(path: str) -> bool:
    return kind_from_stem(path.rsplit("/", 1)[-1].removesuffix(".py")) == "command"


def module_doc(tree: ast.Module) -> str:
    """The module docstring, else the first class's, stripped (as the design model reads it)."""
    doc = docstring(tree)
    if not doc:
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
        doc = docstring(classes[0]) if classes else None
    return (doc or "").strip()


def docstring(node: ast.Module | ast.ClassDef) -> str | None:
    """``ast.get_docstring(node)``; a one-line docstring without tabs (most) is cleaned by
    ``lstrip`` alone, which is what ``inspect.cleandoc`` makes of it, without its line work."""
    raw = ast.get_docstring(node, clean=False)
    if raw is None or "\n" in raw or "\t" in raw:
        return None if raw is None else inspect.cleandoc(raw)
    return raw.lstrip()


def class_fields(tree: ast.Module) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Each top-level class with its fields and their types, as :mod:`.fields` reads them."""
    return tuple(
        (node.name, tuple((name, shape.type) for name, shape in python_class(node)[1].items()))
        for node in tree.body
        if isinstance(node, ast.ClassDef)
    )


def _definitions(tree: ast.Module) -> list[Definition]:
    out = []
    declared: list[Definition] = []  # events declared inside a class: recorded after the rest
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            bases = tuple(_dotted(b).rsplit(".", 1)[-1] for b in node.bases)
            methods = tuple(
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            )
            out.append(
                Definition(
                    node.name, node.name, "class", node.lineno, node.col_offset + 1, bases, methods
                )
            )
            declared.extend(_declared_events(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append(
                Definition(node.name, node.name, "function", node.lineno, node.col_offset + 1)
            )
    return out + declared


def _declared_events(aggregate: ast.ClassDef) -> list[Definition]:
    """The events an aggregate class declares, qualified by its name (``Dog.Registered``):
    nested classes with an event base (``class Registered(Aggregate.Created)``) and methods
    decorated with the ``eventsourcing`` library's ``@event("Registered")`` (or a bare
    ``@event``, which names the event after the method)."""
    out = []
    for item in aggregate.body:
        if isinstance(item, ast.ClassDef):
            bases = tuple(_dotted(b).rsplit(".", 1)[-1] for b in item.bases)
            if any(b.endswith("Event") or b == "Created" for b in bases):
                qualname = f"{aggregate.name}.{item.name}"
                out.append(
                    Definition(
                        item.name, qualname, "class", item.lineno, item.col_offset + 1, bases
                    )
                )
        elif isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in item.decorator_list:
                name = _event_decorator_name(decorator, item.name)
                if name:
                    out.append(
                        Definition(
                            name,
                            f"{aggregate.name}.{name}",
                            "class",
                            decorator.lineno,
                            decorator.col_offset + 1,
                            (DECLARED_EVENT,),
                        )
                    )
    return out


#: What an ``@event("...")`` decorator's string must be to name an event.
_EVENT_NAME = re.compile(r"[A-Za-z_][\w.]*")


def _event_decorator_name(decorator: ast.expr, method: str) -> str | None:
    """The event an ``@event(...)`` decorator declares: its string argument, or the method's
    name in PascalCase for a bare ``@event``; None for another decorator or a class argument
    (that class is declared in the aggregate)."""
    if isinstance(decorator, ast.Call):
        if _dotted(decorator.func).rsplit(".", 1)[-1] != "event" or not decorator.args:
            return None
        first = decorator.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            # a name, not a schedule: minos' ``@enroute.periodic.event("* * * * *")``
            return first.value if _EVENT_NAME.fullmatch(first.value) else None
        return None
    if _dotted(decorator).rsplit(".", 1)[-1] == "event":
        return "".join(w[:1].upper() + w[1:] for w in method.split("_") if w)
    return None


def _dotted(node: ast.expr) -> str:
    """``a.b.c`` for a Name/Attribute chain; ``?`` for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Subscript):
        return _dotted(node.value)
    else:
        parts.append("?")
    return ".".join(reversed(parts))


#: Statements that hold no import, definition or assignment this reader records.
_LEAVES = frozenset(
    {
        ast.Expr,
        ast.Return,
        ast.Raise,
        ast.Pass,
        ast.AugAssign,
        ast.Delete,
        ast.Assert,
        ast.Global,
        ast.Nonlocal,
        ast.Break,
        ast.Continue,
        ast.Match,
    }
)


def _last_name(node: ast.expr) -> str:
    """The last part of :func:`_dotted` (``c`` for ``a.b.c``), without building the rest."""
    outer: str | None = None
    while True:
        while isinstance(node, ast.Attribute):
            outer = outer if outer is not None else node.attr
            node = node.value
        if not isinstance(node, ast.Subscript):
            break
        outer, node = None, node.value  # _dotted starts again from a subscript's value
    if outer is not None:
        return outer
    return node.id if isinstance(node, ast.Name) else "?"


def _object_path(text: str) -> bool:
    """``package.module:Name`` or ``module:Class``, but not ``accounts:facts:x``."""
    if not _OBJECT_PATH.fullmatch(text):
        return False
    module, _, name = text.partition(":")
    return "." in module or name[:1].isupper()


def _is_type_checking(test: ast.expr) -> bool:
    return _dotted(test).rsplit(".", 1)[-1] == "TYPE_CHECKING"


#: Statements ``statements`` enters (the others are leaves, imports or assignments).
_COMPOUND = frozenset(
    {
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.If,
        ast.Try,
        ast.TryStar,
        ast.With,
        ast.AsyncWith,
        ast.For,
        ast.AsyncFor,
        ast.While,
    }
)
#: Words without which a line holds no statement ``statements`` records: an import, or an emit
#: name as a target or a function's name (``__event_type__`` holds ``event_type``); names with
#: ``topic`` in them are looked for in the lower-cased text.
_STATEMENT_WORDS = ("import", *sorted(EMIT_NAMES - {"__event_type__"}))
#: Below this many characters, visiting every statement costs less than finding the lines.
SPOTS_FROM = 4096


def _statement_lines(text: str) -> list[int] | None:
    """The lines (1-based, ascending) holding one of :data:`_STATEMENT_WORDS` or ``topic`` in
    any case, or None (enter every statement) for a short text, or when words or lines cannot
    be told that way: non-ASCII text (identifiers are NFKC-normalised) or ``\\r`` line ends."""
    if len(text) < SPOTS_FROM or "\r" in text or not text.isascii():
        return None
    offsets: list[int] = []
    for source, word in [(text, w) for w in _STATEMENT_WORDS] + [(text.lower(), "topic")]:
        at = source.find(word)
        while at >= 0:
            offsets.append(at)
            at = source.find(word, at + 1)
    lines: list[int] = []
    line, counted = 1, 0
    for at in sorted(offsets):
        line += text.count("\n", counted, at)
        counted = at
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


class _Collector:
    def __init__(self, lines: list[int] | None = None) -> None:
        #: the lines a recorded statement can be on (None: any); a compound statement that
        #: spans none of them is not entered
        self._lines = lines
        self.imports: list[ImportRef] = []
        self.strings: list[StringUse] = []
        self.calls: list[Call] = []
        self._emitted: set[int] = set()  # id() of string constants already recorded

    def statements(self, body: list[ast.stmt], in_function: bool, type_checking: bool) -> None:
        # dispatch on the exact node type (``ast.parse`` makes no subclasses): most statements
        # are leaves (expressions, returns, raises) that hold nothing this reader records
        for node in body:
            kind = type(node)
            if kind in _LEAVES:
                continue
            if kind in _COMPOUND and self._lines is not None:
                index, end = bisect_left(self._lines, node.lineno), node.end_lineno
                if end is not None and (index == len(self._lines) or self._lines[index] > end):
                    continue
            if kind is ast.ImportFrom:
                assert isinstance(node, ast.ImportFrom)
                self.imports.append(
                    ImportRef(
                        node.module or "",
                        tuple([a.name for a in node.names]),
                        node.lineno,
                        node.col_offset + 1,
                        "from",
                        node.level,
                        in_function,
                        type_checking,
                    )
                )
            elif kind is ast.AnnAssign or kind is ast.Assign:
                assert isinstance(node, ast.Assign | ast.AnnAssign)
                if node.value is None:
                    continue
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if len(targets) == 1:  # most are: no set of names to build
                    target = targets[0]
                    name = target.id if type(target) is ast.Name else _last_name(target)
                    if name in EMIT_NAMES:
                        self._emit(node.value)
                    elif "topic" in name.lower():
                        self._topic(node.value, named=True)
                    continue
                names = {_last_name(t) for t in targets}
                if names & EMIT_NAMES:
                    self._emit(node.value)
                elif any("topic" in n.lower() for n in names):
                    self._topic(node.value, named=True)
            elif kind is ast.Import:
                assert isinstance(node, ast.Import)
                for alias in node.names:
                    self.imports.append(
                        ImportRef(
                            alias.name,
                            (),
                            node.lineno,
                            node.col_offset + 1,
                            "import",
                            0,
                            in_function,
                            type_checking,
                        )
                    )
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                if node.name in EMIT_NAMES:
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Return) and sub.value is not None:
                            self._emit(sub.value)
                self.statements(node.body, True, type_checking)
            elif kind is ast.ClassDef:
                assert isinstance(node, ast.ClassDef)
                self.statements(node.body, in_function, type_checking)
            elif kind is ast.If:
                assert isinstance(node, ast.If)
                checking = type_checking or _is_type_checking(node.test)
                self.statements(node.body, in_function, checking)
                self.statements(node.orelse, in_function, type_checking)
            elif kind is ast.Try or kind is ast.TryStar:
                assert isinstance(node, ast.Try | ast.TryStar)
                for block in (node.body, node.orelse, node.finalbody):
                    self.statements(block, in_function, type_checking)
                for handler in node.handlers:
                    self.statements(handler.body, in_function, type_checking)
            elif kind is ast.With or kind is ast.AsyncWith:
                assert isinstance(node, ast.With | ast.AsyncWith)
                self.statements(node.body, in_function, type_checking)
            elif kind is ast.For or kind is ast.AsyncFor or kind is ast.While:
                assert isinstance(node, ast.For | ast.AsyncFor | ast.While)
                self.statements(node.body, in_function, type_checking)
                self.statements(node.orelse, in_function, type_checking)

    def _emit(self, value: ast.expr) -> None:
        if type(value) is ast.Call:  # pydantic's Field(default=..., description="User created")
            for part in (*value.args, *(k.value for k in value.keywords if k.arg == "default")):
                self._emit(part)
            return
        # a constant has no child node: ``ast.walk`` of it yields it alone (most values are one)
        for sub in (value,) if type(value) is ast.Constant else ast.walk(value):
            if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                self._emitted.add(id(sub))
                self.strings.append(StringUse(sub.value, sub.lineno, sub.col_offset + 1, "emit"))

    def _topic(self, value: ast.expr, named: bool = False) -> None:
        """Record a pub/sub topic: a string given to a pub/sub call, or one bound to a name or
        keyword with ``topic`` in it when it has a ``:`` (``accounts:facts:x``) and is not an
        object path: ``topic1``, ``MAPPER_TOPIC`` or ``eventsourcing.cipher:AESCipher`` are not
        pub/sub topics."""
        if (
            isinstance(value, ast.Constant)
            and isinstance(value.value, str)
            and id(value) not in self._emitted
            and not (named and (":" not in value.value or _object_path(value.value)))
        ):
            self._emitted.add(id(value))
            self.strings.append(StringUse(value.value, value.lineno, value.col_offset + 1, "topic"))

    def quoted_type_strings(self, text: str) -> None:
        """Referenced type strings found without walking the tree: quoted literals."""
        emitted = {(s.line, s.col) for s in self.strings}
        for match in _QUOTED_TYPE_STRING.finditer(text):
            line, col = line_col(text, match.start())
            if (line, col) not in emitted:
                self.strings.append(StringUse(match.group(2), line, col, "ref"))

    def expressions(self, tree: ast.Module, text: str) -> None:
        type_refs: list[ast.Constant] = []
        for node in _walk_spots(tree, text):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else _dotted(func)
                if name == "dispatch":
                    receiver = _dotted(func.value) if isinstance(func, ast.Attribute) else ""
                    self.calls.append(Call(receiver, name, node.lineno, node.col_offset + 1))
                elif name in TOPIC_CALLS:  # a keyword names what it passes: log_action=...
                    topical = (k.value for k in node.keywords if _topic_keyword(k.arg))
                    for arg in [*node.args, *topical]:
                        self._topic(arg)
                for keyword in node.keywords:
                    if keyword.arg and "topic" in keyword.arg.lower():
                        self._topic(keyword.value, named=True)
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and TYPE_STRING.fullmatch(node.value)
            ):
                type_refs.append(node)
        for node in type_refs:
            if id(node) not in self._emitted:
                self.strings.append(
                    StringUse(str(node.value), node.lineno, node.col_offset + 1, "ref")
                )


def _topic_keyword(name: str | None) -> bool:
    """Whether a keyword argument of a pub/sub call names where it publishes (``topic=``,
    ``channel=``, ``subject=``, ``routing_key=``), not what (wagtail's ``publish(log_action=
    "wagtail.publish.scheduled")``)."""
    return name is not None and any(w in name.lower() for w in _TOPIC_KEYWORDS)


_TOPIC_KEYWORDS = ("topic", "channel", "subject", "routing_key")


def _spot_lines(text: str) -> list[int]:
    """The lines (1-based, ascending) on which :data:`_EXPRESSION_SPOT` matches."""
    lines: list[int] = []
    line, counted = 1, 0
    for match in _EXPRESSION_SPOT.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _walk_spots(tree: ast.Module, text: str) -> Iterator[ast.AST]:
    """``ast.walk(tree)``, in its order, without the statements that span no line
    :func:`_spot_lines` finds: nothing under them can be recorded (a statement's lines hold its
    nodes, a definition's decorators aside). Text with ``\\r`` line ends is walked whole."""
    if "\r" in text:
        yield from ast.walk(tree)
        return
    lines = _spot_lines(text)
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        if isinstance(node, ast.stmt):
            first = node.lineno
            for decorator in getattr(node, "decorator_list", ()):
                first = min(first, decorator.lineno)
            index = bisect_left(lines, first)
            if index == len(lines) or lines[index] > (node.end_lineno or node.lineno):
                continue
        todo.extend(ast.iter_child_nodes(node))
        yield node
