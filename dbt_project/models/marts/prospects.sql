with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

qualified as (
    select * from {{ ref('int_prospect_offers_qualified') }}
),

permitted as (
    select
        prospect_id,
        {{ dbt.listagg("case when is_permitted then channel end", "', '", "order by channel") }} as permitted_channels,
        max(case when channel = 'email' then lawful_basis end) as email_lawful_basis,
        max(case when channel = 'email' then blocked_reason end) as email_blocked_reason
    from {{ ref('int_prospect_channels_permitted') }}
    group by prospect_id
),

best_priority as (
    select
        prospect_id,
        min(case priority
            when 'Priority One' then 1 when 'Priority Two' then 2 when 'Priority Three' then 3
            when 'Parked' then 4 else 5
        end) as priority_rank
    from qualified
    group by prospect_id
),

final as (
    select
        prospects.prospect_id,
        prospects.company_id,
        prospects.identity_status,
        prospects.record_count,
        prospects.first_name,
        prospects.last_name,
        prospects.email,
        prospects.phone,
        prospects.company_name,
        prospects.company_domain,
        prospects.role,
        prospects.country,
        prospects.source_id,
        prospects.permission_type,
        prospects.has_existing_relationship,
        prospects.is_suppressed,
        prospects.suppression_reason,
        prospects.suppressed_at,
        prospects.suppression_scopes,
        permitted.permitted_channels,
        permitted.email_lawful_basis,
        permitted.email_blocked_reason,
        prospects.jurisdiction,
        prospects.jurisdiction_basis,
        prospects.safe_evidence_count,
        prospects.has_live_signal,
        prospects.is_disqualified,
        case best_priority.priority_rank
            when 1 then 'Priority One' when 2 then 'Priority Two' when 3 then 'Priority Three'
            when 4 then 'Parked' else 'Rejected'
        end as best_priority
    from prospects
    left join permitted on prospects.prospect_id = permitted.prospect_id
    left join best_priority on prospects.prospect_id = best_priority.prospect_id
)

select * from final
