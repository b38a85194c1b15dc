"""Report: tables, charts, maps and the HTML report."""
