"""The engine's report resources: the Word base document (``base.docx``) whose styles every Word
output uses.

Installed as the package ``equality_reports.report_templates``. Narrative templates are not here:
each plugin ships its reports' templates and names the folder in ``Report.template_dir``.
"""
