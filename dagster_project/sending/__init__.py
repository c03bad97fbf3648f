"""Gated sending: the send job, its ledger, the message headers and the transports."""
