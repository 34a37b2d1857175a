"""Statistics and reports (M2, X15, issue 9). See docs/reports.md."""
