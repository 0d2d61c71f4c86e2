"""The public read-only JSON API at /api/v1/ (django-ninja; DECISIONS.md, D22).

An entrance like views/: each module reads its arguments, asks the same QuerySet verbs and
page builders the HTML pages ask (browse/, search/, pages/), and turns their rows into the
schemas of `schemas.py` through `records.py`, the one place that decides what a record shows
(never an e-mail address). Lists page by signed keyset cursors (`cursors.py`).
"""
