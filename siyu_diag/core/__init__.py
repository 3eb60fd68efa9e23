"""The framework: what every chapter stands on, knowing nothing of any chapter's domain.

The client folder and the checks of its files (``client``, ``checks``, ``yamlfile``, ``tables``,
``validate``), errors, assets, atomic writes and safe workbook cells, number formatting, the
house palette, chart style and helpers (``style``, ``charts``, ``ticks``), fragment rendering,
the chapter protocol and registry (``chapters``), the rule engine (``rules``), kernel execution,
HTML export and the report builder (``report``).
"""
