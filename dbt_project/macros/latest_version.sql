{#- One row per source record: a landing file sent again with changes (a CRM export
    re-run, a file first read while still being copied in) is a new version of the same
    records, never more records. The latest ingested row of each key wins (then the later
    file name, then the later row in the file). Every version stays in raw, counted in the
    ingestion ledger; only staging reconciles. Suppressions are never reconciled away: a
    stop signal counts in every version it was sent in. -#}
{% macro latest_version(relation, keys) -%}
select versions.* from (
    select
        *,
        row_number() over (
            partition by {{ keys | join(', ') }}
            order by _ingested_at desc, _source_file desc, _row_number desc
        ) as version_rank
    from {{ relation }}
) as versions
where versions.version_rank = 1
{%- endmacro %}
