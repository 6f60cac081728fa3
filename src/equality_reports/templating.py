"""Narrative text: jinja2 templates rendered in a sandbox, overridable by the user.

Templates are looked up, in order, in ``--templates DIR``, the report's own ``template_dir`` and
the engine's shared templates (``common/``, see :func:`shared_templates_dir`), for first-party and
third-party reports alike: each plugin ships its templates in its own package
(the first-party ones in ``plugins/<name>/src/<package>/templates/<report>/``), and a template's
name is its path under that folder (``rraa-employment/staff.j2``). A council overrides any
paragraph by copying the file to its own folder under the same path.

A template's output is bounded: rendering stops with an error past :data:`MAX_OUTPUT` characters,
and whatever would build a result past it (``*``, ``**``, a field width, a growing text method) is
refused before it is computed (the sandbox already bounds ``range`` and blocks access to Python
internals). A ``--templates`` folder is checked before any data is read: regular files inside it,
none larger than :data:`MAX_TEMPLATE_BYTES`, each valid UTF-8 jinja2.
"""

from __future__ import annotations

import math
import os
import re
import traceback
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from equality_reports.document import format_value, join_words
from equality_reports.errors import InputError
from equality_reports.intake.bounds import resolved
from equality_reports.stats import in_band


def builtin_templates_dir() -> Path:
    """The engine's own ``report_templates/`` folder, holding the Word base document (``base.docx``).
    It holds no narrative templates: those belong to the reports' plugins (``Report.template_dir``)."""
    return Path(str(files("equality_reports.report_templates")))


def shared_templates_dir() -> Path:
    """The narrative templates the engine shares with every report (``common/likelihood.j2``),
    searched after the report's own: a report's or the user's copy under the same path wins."""
    return builtin_templates_dir() / "narrative"


def _fmt(value: Any, kind: str = "number", decimals: int | None = None) -> str:
    return format_value(value, kind, decimals)


def _times(value: Any) -> str:
    """A ratio as words: 1.5 -> '1.5 times'."""
    if isinstance(value, str):
        return value
    return f"{float(value):.2f}".rstrip("0").rstrip(".") + " times"


#: whole numbers from 1 to 9 in words, as the GOV.UK style guide writes them in running text
_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _words(value: Any) -> str:
    """A whole number in running text: 0 to 9 in words ('four actions'), larger ones in figures."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9:
        return _WORDS[value]
    return format_value(value, "count") if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _reading(likelihood: Any, low_ci: Any, high_ci: Any, band: Any, low: float, high: float) -> str:
    """The reading of a shown relative likelihood (figures as templates see them: ``.value``)
    against its non-adverse range ``low``-``high``, from its ``band`` figure's words, as a sentence:
    outside the range, whether its 95% confidence interval includes 1 (the difference could be
    chance) or not (worth looking into)."""
    text = str(band.value)
    text = text[:1].upper() + text[1:]
    if not in_band(likelihood.value, low, high):
        interval = low_ci.value is not None and high_ci.value is not None
        if interval and low_ci.value <= 1 <= high_ci.value:
            text += ", but the confidence interval includes 1, so the difference could be chance: it is worth watching"
        elif interval:
            text += ", and the confidence interval does not include 1, so the difference is unlikely to be chance: " \
                    "it is worth looking into"
        else:
            text += ": the difference is worth looking into"
    return text + "."


#: first words of group labels that are no names: lower case inside a sentence ("minority ethnic
#: staff"); group names (White, Black, Asian, Mixed) and acronyms (BME) keep their capitals
_COMMON_WORDS = frozenset({"minority", "ethnic", "other", "unknown", "not", "all", "disabled", "non-disabled",
                           "staff", "people", "men", "women"})


def _in_sentence(label: Any) -> str:
    """A group label as written inside a sentence: "Minority ethnic" -> "minority ethnic"."""
    text = str(label)
    first = text.split(" ", 1)[0]
    if first.lower() in _COMMON_WORDS and not first.isupper():
        return text[:1].lower() + text[1:]
    return text


#: the most characters one template may write (a whole report's narrative is far less)
MAX_OUTPUT = 1_000_000
_MAX_DIGITS = 10_000


#: a number of a million or more in a format string: a field width no narrative needs
_HUGE_NUMBER = re.compile(r"\d{7,}")


def _check_width(width: Any, what: str) -> None:
    """Refuse a field width or format string that would build a result past :data:`MAX_OUTPUT`."""
    numbers = [width] if isinstance(width, int) else \
        [int(n) for n in _HUGE_NUMBER.findall(width)] if isinstance(width, str) else []
    if any(abs(n) > MAX_OUTPUT for n in numbers):
        raise SecurityError(f"{what} wider than {MAX_OUTPUT:,} characters is more than a template may write")


def _width_checked(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """A built-in filter (center, indent, format) refusing huge widths."""
    def bounded(value: Any, *args: Any, **kwargs: Any) -> Any:
        for arg in (value if name == "format" else None, *args, *kwargs.values()):
            _check_width(arg, f"the {name} filter's width")
        return original(value, *args, **kwargs)
    return bounded


def _weight(value: Any) -> int:
    """What a value holds, roughly: a text's characters, a list's items and the characters of its
    text items (a list of a thousand texts of a million characters weighs a thousand million)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, (list, tuple)):
        return len(value) + sum(len(item) for item in value if isinstance(item, str))
    return 1


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``~`` to the environment's bounded join instead of jinja2's own."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _BoundedEnvironment(SandboxedEnvironment):
    """A sandbox in which ``*``, ``**``, ``%``, ``+``, ``~``, ``str.format``, the padding filters,
    the text methods that grow a string (``ljust``, ``rjust``, ``center``, ``zfill``,
    ``expandtabs``, ``replace``, ``join``), products of huge integers and lists grown item by item
    cannot build a result past :data:`MAX_OUTPUT` (a list: past it in all, over one rendering)."""

    intercepted_binops = frozenset(["*", "**", "%", "+"])
    code_generator_class = _BoundedCodeGenerator
    #: what the lists of the template being rendered have been given (``append``, ``extend``,
    #: ``insert``), by :func:`_weight`; :meth:`TextRenderer.render` starts it at 0
    grown = 0

    def bounded_concat(self, items: Iterable[Any]) -> str:
        text = "".join(map(str, items))
        if len(text) > MAX_OUTPUT:
            raise SecurityError(f"joining text with ~ past {MAX_OUTPUT:,} characters is more than a template "
                                f"may write")
        return text

    def wrap_str_format(self, value: Any) -> Any:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_width(str(value.__self__), "a str.format field")
        return wrapped

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            _check_width(left, "a % format field")
        if operator == "+" and isinstance(left, (str, list, tuple)) and _weight(left) + _weight(right) > MAX_OUTPUT:
            raise SecurityError(f"adding text or lists past {MAX_OUTPUT:,} characters is more than a template may "
                                f"write")
        if operator == "**" and all(isinstance(x, (int, float)) for x in (left, right)) and abs(left) > 1 \
                and abs(right) * math.log10(abs(left)) > _MAX_DIGITS:
            raise SecurityError(f"a power with more than {_MAX_DIGITS:,} digits is too large for a template")
        if operator == "*":
            size = next((len(x) * abs(y) for x, y in ((left, right), (right, left))
                         if isinstance(x, (str, list, tuple)) and isinstance(y, int)), 0)
            if size > MAX_OUTPUT:
                raise SecurityError(f"repeating text or a list {size:,} times over is more than a template "
                                    f"may write ({MAX_OUTPUT:,} characters)")
            if isinstance(left, int) and isinstance(right, int) and \
                    left.bit_length() + right.bit_length() > _MAX_DIGITS * 10 / 3:  # about 3.3 bits a digit
                raise SecurityError(f"a product with more than {_MAX_DIGITS:,} digits is too large for a template")
        return super().call_binop(context, operator, left, right)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Refuse a text method whose result would be past :data:`MAX_OUTPUT` before it runs
        (``ljust``, ``rjust``, ``center``, ``zfill`` widths; ``expandtabs``; ``replace``)."""
        text, name = getattr(obj, "__self__", None), getattr(obj, "__name__", "")
        if isinstance(text, list) and name in ("append", "extend", "insert") and args:
            self.grown += sum(_weight(a) for a in args[-1:]) if name != "extend" else \
                sum(_weight(item) for item in args[0]) if isinstance(args[0], (list, tuple)) else MAX_OUTPUT + 1
            if self.grown > MAX_OUTPUT:
                raise SecurityError(f"filling lists with more than {MAX_OUTPUT:,} characters is more than a "
                                    f"template may write")
        if isinstance(text, str) and name == "join" and args and isinstance(args[0], (list, tuple)) \
                and _weight(args[0]) + len(text) * len(args[0]) > MAX_OUTPUT:
            raise SecurityError(f"a join past {MAX_OUTPUT:,} characters is more than a template may write")
        if isinstance(text, str):
            if name in ("ljust", "rjust", "center", "zfill") and args:
                _check_width(args[0], f"str.{name}'s width")
            elif name == "expandtabs":
                tab = args[0] if args else kwargs.get("tabsize", 8)
                if isinstance(tab, int) and len(text) + text.count("\t") * abs(tab) > MAX_OUTPUT:
                    raise SecurityError(f"expanding tabs past {MAX_OUTPUT:,} characters is more than a template "
                                        f"may write")
            elif name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
                old, new = args[0], args[1]
                size = len(text) + (text.count(old) if old else len(text) + 1) * (len(new) - len(old))
                if size > MAX_OUTPUT:
                    raise SecurityError(f"a replace building {size:,} characters is more than a template may "
                                        f"write ({MAX_OUTPUT:,})")
        return super().call(context, obj, *args, **kwargs)


@lru_cache(maxsize=32)
def _environment(search_path: tuple[Path, ...]) -> _BoundedEnvironment:
    env = _BoundedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(p)) for p in search_path]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,
    )
    for name in ("center", "indent", "format"):
        env.filters[name] = _width_checked(name, env.filters[name])
    env.filters["fmt"] = _fmt
    env.filters["times"] = _times
    env.filters["words"] = _words
    env.filters["join_words"] = join_words
    env.filters["in_sentence"] = _in_sentence
    env.filters["reading"] = _reading
    return env


class TextRenderer:
    """Renders narrative templates for one report."""

    def __init__(self, user_dir: Path | None = None, report_dir: Path | None = None) -> None:
        path = [p for p in (user_dir, report_dir, shared_templates_dir()) if p is not None]
        self.search_path = tuple(path)
        self.env = _environment(self.search_path)

    def render(self, template: str, **context: Any) -> str:
        self.env.grown = 0
        try:
            return _bounded(self.env.get_template(template).generate(**context)).strip()
        except TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            line = getattr(exc, "lineno", None)
            at = f" line {line}" if line else ""
            raise InputError(
                f"template {where}{at}: {exc.message or exc}. Check the template's variables "
                f"against the report's documentation, or remove your copy to use the built-in one."
            ) from None
        except (ArithmeticError, RecursionError, MemoryError, LookupError, TypeError, ValueError) as exc:
            # what a template's own expressions raise (a division by zero, a recursion without end):
            # named by the template's file and line, which jinja2 puts in the traceback
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
            where = f"{frames[-1].filename} line {frames[-1].lineno}" if frames else template
            raise InputError(
                f"template {where}: {type(exc).__name__}: {str(exc)[:200] or 'no details'}. Correct the "
                f"template, or remove your copy to use the built-in one."
            ) from None


def check_templates(folder: Path) -> None:
    """Refuse a ``--templates`` folder that is missing or holds a template with a syntax error,
    before any data is loaded (a bad template would otherwise fail every report at the end)."""
    if not folder.is_dir():
        raise InputError(f"--templates {folder}: not a folder. Give a folder holding your copies of "
                         f"a report's templates (`equality-reports describe REPORT` says where they are).")
    _check_template_files(folder)
    env = _environment((folder,))
    for path in sorted(folder.rglob("*.j2")):
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except TemplateError as exc:
            raise InputError(f"--templates: {path} line {getattr(exc, 'lineno', '?')}: {exc}. Fix it, or "
                             f"remove your copy to use the built-in one.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"--templates: cannot read {path} ({exc}). Save templates as UTF-8 text "
                             f"files you can read.") from None


#: the largest file a ``--templates`` folder may hold (a report's templates are a few kilobytes)
MAX_TEMPLATE_BYTES = 1_000_000


def _check_template_files(folder: Path) -> None:
    """Refuse anything in ``folder`` a template could read that is not a small regular file inside
    it: a link leading out of the folder (its file would be printed in a publication), a pipe or
    device (reading it would wait for ever), or a file too large to be a template."""
    root = resolved(folder)
    for top, dirs, names in os.walk(folder, followlinks=False):
        for name in [*dirs, *names]:
            path = Path(top) / name
            if path.is_symlink() and not resolved(path).is_relative_to(root):
                raise InputError(f"--templates: {path} is a link to {resolved(path)}, outside the templates "
                                 f"folder. Copy the template into the folder instead of linking to it.")
            if name in dirs and path.is_symlink():
                raise InputError(f"--templates: {path} is a link to a folder. Copy the templates into the "
                                 f"folder instead of linking to them.")
            if name in names and not path.is_file():
                raise InputError(f"--templates: {path} is not a regular file (a pipe, a device or a broken "
                                 f"link). Remove it, or replace it with a template file.")
            if name in names and path.stat().st_nlink > 1:
                raise InputError(f"--templates: {path} has other names (a hard link), so it may be a file from "
                                 f"outside the templates folder. Copy the template into the folder instead.")
            if name in names and path.stat().st_size > MAX_TEMPLATE_BYTES:
                raise InputError(f"--templates: {path} is larger than {MAX_TEMPLATE_BYTES:,} bytes, too large "
                                 f"for a template. Remove it, or give a folder holding only your templates.")


def _bounded(chunks: Iterable[str]) -> str:
    """The template's output, stopping with :class:`SecurityError` past :data:`MAX_OUTPUT` characters."""
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            raise SecurityError(f"the template writes more than {MAX_OUTPUT:,} characters")
        out.append(chunk)
    return "".join(out)
