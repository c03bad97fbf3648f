{{ config(tags=['after_drafting']) }}
-- One row per campaign: whether its pilot gate passed on the run date, and which
-- checks failed. Until it passes, the send job caps the campaign at its pilot size.
{{ checklist_status(ref('pilot_gate'), 'passed', 'checks_failed', 'failed_checks', 'check_name', 'check_order') }}
