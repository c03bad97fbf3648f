with source as (
    select * from {{ source('config', 'jurisdiction_rules') }}
),

final as (
    select
        jurisdiction,
        regime,
        corporate_email_basis,
        individual_email_requires_consent,
        legitimate_interest_assessment_ref,
        config_version
    from source
)

select * from final
