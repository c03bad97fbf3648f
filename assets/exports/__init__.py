"""Exports: review queues (XLSX, CSV, HTML), briefs, handoffs and the funnel report."""
