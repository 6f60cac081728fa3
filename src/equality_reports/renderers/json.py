"""JSON: every figure (and every table as published), for machines and next year's comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from equality_reports.document import Document
from equality_reports.renderers import RenderSettings
from equality_reports.renderers.common import cell_value


class JsonRenderer:
    format = "json"
    suffix = ".json"
    is_directory = False

    def render(self, document: Document, target: Path, settings: RenderSettings) -> None:
        payload: dict[str, Any] = {
            "report": document.report,
            "title": document.title,
            "organisation": document.organisation,
            "period": {"start": document.period_start.isoformat(), "end": document.period_end.isoformat()},
            "audience": document.audience,
            "not_for_publication": document.not_for_publication,
            "threshold": document.threshold,
            "figures": {fid: fig.as_json(publication=not document.not_for_publication)
                        for fid, fig in sorted(document.figures.items())},
            "tables": {},
        }
        for table in document.tables():
            cols = table.visible_columns
            payload["tables"][table.id] = {
                "title": table.title,
                "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in cols],
                "rows": [[cell_value(table, r, c) for c in cols] for r in range(len(table.data))],
            }
        target.write_text(json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
