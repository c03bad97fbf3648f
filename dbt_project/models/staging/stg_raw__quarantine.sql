with source as (
    select * from {{ source('raw', 'quarantine') }}
),

final as (
    select
        kind,
        source_file,
        file_sha256,
        row_number,
        reason,
        original_row,
        batch_id,
        as_of as ingested_on,
        ingested_at
    from source
)

select * from final
