"""Shared runtime of every CRM service; see DESIGN.md section 1."""
