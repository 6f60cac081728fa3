"""Output formats. A renderer turns one disclosure-controlled :class:`Document` into files.

Renderers are registered through the ``register_renderers`` hook. The engine calls
``render(document, target, settings)`` with a temporary ``target`` path and renames it into
place only when every renderer of the report has succeeded, so a renderer simply writes to
``target`` (a file, or a folder when ``is_directory`` is true).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

if TYPE_CHECKING:
    from equality_reports.document import Document


@dataclass(frozen=True)
class Publication:
    """Facts about the publication from dataset.toml's ``[publication]`` section, for cover pages."""

    contact: str = ""
    published: date | None = None
    source: str = ""


@dataclass
class RenderSettings:
    """Options shared by all renderers for one run."""

    #: a house-style .docx whose styles replace the built-in base document
    style: Path | None = None
    #: the program and version recorded in document properties
    generator: str = "equality-reports"
    publication: Publication = Publication()


class Renderer(Protocol):
    """One output format."""

    format: ClassVar[str]  # e.g. "docx"
    #: file name suffix, e.g. ".docx"; for folder outputs, the suffix of the folder ("-csv")
    suffix: ClassVar[str]
    is_directory: ClassVar[bool]

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        """Write ``document`` to ``target``."""
