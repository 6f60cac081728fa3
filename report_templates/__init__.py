"""The engine's report resources: the Word base document (``base.docx``) whose styles every Word
output uses, and in ``narrative/`` the narrative templates any report may use (``common/``: the
paragraph reading a relative likelihood made by ``add_likelihood_figures``).

Installed as the package ``equality_reports.report_templates``. A report's own templates are not
here: each plugin ships them and names the folder in ``Report.template_dir``.
"""
