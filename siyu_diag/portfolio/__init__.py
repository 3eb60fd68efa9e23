"""The portfolio layer, above the chapters: many brands at once and over time.

``batch`` builds many reports in parallel (local processes or Dask), ``store`` keeps every
assessment in SQLite, ``history`` shows a brand against its last assessment and its peers, and
``index`` renders the portfolio page ``OUT/index.html``.
"""
