"""Imports of leads and parties from CSV and XLSX files: reading, column mapping, row checks, error reports.

Pure code, no database: the import job reads a `files.Table`, maps its columns with `mapping`,
turns each row into a typed row or its errors with `rows`, and writes the rejected rows back with
`report` for the user to fix and upload again.
"""
