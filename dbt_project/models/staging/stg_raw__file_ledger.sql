with source as (
    select * from {{ source('raw', 'file_ledger') }}
),

final as (
    select
        file_sha256,
        kind,
        source_file,
        size_bytes,
        encoding,
        status,
        detail,
        rows_in,
        rows_raw,
        rows_quarantined,
        batch_id,
        as_of as ingested_on,
        ingested_at
    from source
)

select * from final
