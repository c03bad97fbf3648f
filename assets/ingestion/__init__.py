"""Ingestion: landing files (CSV, JSON lines, Parquet, XLSX) into raw tables, every row in raw or
quarantine, suppressions read at the door."""
