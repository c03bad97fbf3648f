{#- Nothing is lost: for every ingested file, rows in = rows in raw + rows in quarantine. -#}
{% test rows_reconcile(model) %}
select *
from {{ model }}
where rows_in != rows_raw + rows_quarantined
{% endtest %}
