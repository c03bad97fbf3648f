-- One row per prospect: identity from its primary record, status, evidence and suppression facts.
with records as (
    select * from {{ ref('int_lead_records_resolved') }}
),

suppressions as (
    select * from {{ ref('int_prospects_suppressed') }}
),

suppressed as (
    select * from suppressions
    where scope = 'global'
),

scoped as (
    select
        prospect_id,
        string_agg(scope || ':' || scope_value, ', ' order by scope, scope_value) as suppression_scopes
    from suppressions
    where scope <> 'global'
    group by prospect_id
),

evidence as (
    select * from {{ ref('int_evidence_classified') }}
),

signals as (
    select * from {{ ref('stg_raw__signals') }}
),

disqualified as (
    select distinct email_key from {{ ref('stg_raw__events') }}
    where event_type = 'disqualified' and cast(occurred_at as date) <= {{ as_of() }}
),

primary_records as (
    select * from records
    where is_primary_record
),

prospect_emails as (
    select distinct
        prospect_id,
        email_key
    from records
    where email_key is not null
),

-- what may be mentioned about their company, or what they asked us themselves (an inbound
-- form's inquiry, about them alone: no company domain)
safe_evidence as (
    select
        mentionable.prospect_id,
        count(*) as safe_evidence_count
    from (
        select primary_records.prospect_id
        from primary_records
        inner join evidence
            on primary_records.company_domain = evidence.company_domain and evidence.is_safe_to_mention
        union all
        select primary_records.prospect_id
        from primary_records
        inner join evidence
            on
                primary_records.email_key = evidence.email_key and evidence.company_domain is null
                and evidence.is_safe_to_mention
    ) as mentionable
    group by mentionable.prospect_id
),

live_signals as (
    select distinct primary_records.prospect_id
    from primary_records
    inner join signals
        on
            primary_records.company_domain = signals.company_domain
            and signals.observed_on <= {{ as_of() }}
            and signals.expires_on >= {{ as_of() }}
),

disqualified_prospects as (
    select distinct prospect_emails.prospect_id
    from prospect_emails
    inner join disqualified on prospect_emails.email_key = disqualified.email_key
),

final as (
    select
        primary_records.prospect_id,
        primary_records.company_id,
        primary_records.prospect_identity_status as identity_status,
        primary_records.record_count,
        primary_records.first_name,
        primary_records.last_name,
        primary_records.email_key as email,
        primary_records.email_domain,
        primary_records.phone_e164 as phone,
        primary_records.company_name,
        primary_records.company_domain,
        primary_records.role,
        primary_records.country,
        primary_records.city,
        primary_records.is_free_mail,
        primary_records.is_role_address,
        primary_records.source_id,
        primary_records.permission_type,
        primary_records.permitted_use,
        primary_records.jurisdiction,
        primary_records.jurisdiction_basis,
        primary_records.has_existing_relationship,
        suppressed.suppression_reason,
        suppressed.suppressed_at,
        scoped.suppression_scopes,
        suppressed.prospect_id is not null as is_suppressed,
        coalesce(safe_evidence.safe_evidence_count, 0) as safe_evidence_count,
        live_signals.prospect_id is not null as has_live_signal,
        disqualified_prospects.prospect_id is not null as is_disqualified
    from primary_records
    left join suppressed on primary_records.prospect_id = suppressed.prospect_id
    left join scoped on primary_records.prospect_id = scoped.prospect_id
    left join safe_evidence on primary_records.prospect_id = safe_evidence.prospect_id
    left join live_signals on primary_records.prospect_id = live_signals.prospect_id
    left join disqualified_prospects on primary_records.prospect_id = disqualified_prospects.prospect_id
)

select * from final
