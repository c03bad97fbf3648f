"""Data-subject rights: erasure and objection requests, retention, Art. 14 notices."""
