"""Inbound mail: parse, classify by structure first (delivery status, feedback reports,
auto-replies, calendar replies), then human replies by their own words."""
