-- One row per prospect x channel: may this channel be used, how (automated send or a
-- manual task), on what lawful basis, and if not, why not.
with prospects as (
    select * from {{ ref('int_prospects_resolved') }}
),

channels as (
    select * from {{ ref('stg_config__channel_rules') }}
),

jurisdictions as (
    select * from {{ ref('stg_config__jurisdiction_rules') }}
),

channel_suppressions as (
    select * from {{ ref('int_prospects_suppressed') }}
    where scope = 'channel'
),

judged as (
    select
        prospects.prospect_id,
        channels.channel,
        channels.automated_send as is_automated_send,
        prospects.jurisdiction,
        prospects.jurisdiction_basis,
        jurisdictions.regime,
        case
            when prospects.is_suppressed then 'suppressed: ' || prospects.suppression_reason
            when channel_suppressions.prospect_id is not null
                then 'suppressed on ' || channels.channel || ': ' || channel_suppressions.suppression_reason
            when prospects.permitted_use = 'Research Only' then 'source permits research only'
            when prospects.permission_type = 'None' then 'source gives no permission to contact'
            when channels.channel = 'email' and prospects.email is null then 'no valid personal email address'
            when channels.channel in ('phone', 'sms', 'whatsapp', 'voice_note') and prospects.phone is null then 'no valid phone number'
            when channels.requires_consent and prospects.permission_type not in ('Consent', 'Inbound Request')
                then channels.channel || ' needs prior consent'
            when
                channels.channel = 'email' and prospects.is_free_mail
                and jurisdictions.individual_email_requires_consent
                and prospects.permission_type not in ('Consent', 'Inbound Request', 'Existing Customer')
                then jurisdictions.regime || ': an individual subscriber needs consent'
            when jurisdictions.jurisdiction is null then 'no rule for jurisdiction ' || prospects.jurisdiction
        end as blocked_reason,
        case
            when prospects.permission_type in ('Consent', 'Inbound Request', 'Existing Customer', 'Referral Introduction')
                then prospects.permission_type
            else
                jurisdictions.corporate_email_basis
                || coalesce(' (' || jurisdictions.legitimate_interest_assessment_ref || ')', '')
        end as lawful_basis
    from prospects
    cross join channels
    left join jurisdictions on {{ jurisdiction_rule_matches('jurisdictions', 'prospects.jurisdiction') }}
    left join channel_suppressions
        on
            prospects.prospect_id = channel_suppressions.prospect_id
            and channels.channel = channel_suppressions.scope_value
),

final as (
    select
        prospect_id,
        channel,
        is_automated_send,
        jurisdiction,
        jurisdiction_basis,
        regime,
        blocked_reason,
        blocked_reason is null as is_permitted,
        case when blocked_reason is null then lawful_basis end as lawful_basis
    from judged
)

select * from final
