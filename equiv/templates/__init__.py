"""Jinja2 templates of the equivalence report (a package so that they ship as package data)."""
