"""Built-in report templates: the Word base document and jinja2 narrative templates.

Installed as the package ``equality_reports.report_templates``; one folder per report.
"""
