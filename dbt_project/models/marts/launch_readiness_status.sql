{{ config(tags=['after_drafting']) }}
-- One row per campaign: ready when every Launch Readiness Checklist item passes, with the
-- failing items named. The send job reads it.
{{ checklist_status(ref('launch_readiness'), 'is_ready', 'items_failing', 'failing_items', "item || ': ' || reason", 'item_order') }}
