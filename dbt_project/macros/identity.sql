{#- Identity resolution's settings, written on every clustered row: an incremental run
    whose settings differ from the table's recomputes every cluster. Raise `version`
    when the clustering rules below change. -#}
{% macro identity_settings() -%}
    {{ return('version=4 rounds=' ~ var('identity_rounds', 6)
        ~ ' email_edits=' ~ var('identity_email_edits', 3)
        ~ ' name_part_similarity=' ~ var('identity_name_part_similarity', 0.88)
        ~ ' city_edits=' ~ var('identity_city_edits', 2)) }}
{%- endmacro %}

{#- The parts of an address a typo link compares, for records that may take part in one:
    a personal address (not a shared mailbox, not a free mail domain) with a name. -#}
{% macro address_parts(relation) -%}
    select
        lead_record_id,
        email_key,
        email_domain,
        name_1,
        name_2,
        split_part(email_key, '@', 1) as local_part,
        regexp_replace(split_part(email_key, '@', 1), '[^0-9]', '', 'g') as local_digits
    from {{ relation }}
    where email_key is not null and not is_free_mail and name_1 is not null
{%- endmacro %}

{#- Blocks for typo links between addresses: two addresses are compared only when they
    share one, so no domain or name, however common, is compared with itself whole. Every
    block carries the local part's digits (john.smith1 is a namesake of john.smith2, not a
    typo). A typo leaves at least one intact: the domain with the first or the last two
    characters of the local part; the whole local part with the domain's first letter, or
    the last of its first label (a typo in the domain); one part of the name with the
    other's initial, the address's first letter and that letter of the domain (typos in
    both halves; the names must agree anyway). Measured against the looser blocks before
    (the local part alone, names without a domain letter): the same typo pairs found on
    fake_1000, both B2B sets and 100k generated leads, and 1.5M pairs to compare at 100k
    instead of 8M (the model 70 s -> see the README). -#}
{% macro address_blocks(parts) -%}
    select
        lead_record_id,
        local_digits || ':d:' || email_domain || ':' || substr(local_part, 1, 2) as block
    from {{ parts }}
    union
    select
        lead_record_id,
        local_digits || ':d:' || email_domain || ':' || right(local_part, 2) as block
    from {{ parts }}
    {#- a domain keeps its first letter or the last of its first label through one typo -#}
    {%- for domain_letter in ["substr(email_domain, 1, 1)", "right(split_part(email_domain, '.', 1), 1)"] %}
        union
        -- the same local part at a domain a typo away (a local part alone, "anna.smith",
        -- is shared by namesakes across many companies)
        select
            lead_record_id,
            local_digits || ':l:' || local_part || ':' || {{ domain_letter }} as block
        from {{ parts }}
        union
        -- a typo in both halves: a name, the other's initial, the address's first letter
        select
            lead_record_id,
            local_digits || ':n' || {{ loop.index }} || ':' || name_1 || ':' || coalesce(substr(name_2, 1, 1), '')
            || substr(email_key, 1, 1) || {{ domain_letter }} as block
        from {{ parts }}
        union
        select
            lead_record_id,
            local_digits || ':n' || {{ loop.index }} || ':' || name_2 || ':' || substr(name_1, 1, 1)
            || substr(email_key, 1, 1) || {{ domain_letter }} as block
        from {{ parts }}
        where name_2 is not null
    {%- endfor %}
{%- endmacro %}

{#- A typo in an address: two different addresses (in one block, so with the same digits)
    whose names agree, at most `identity_email_edits` edits apart over the whole address,
    the domain included, when both give a first and a last name, and one edit when either
    gives only one (jacob.morales and janet.morales are three edits apart: "Morales" alone
    cannot tell them apart). -#}
{% macro similar_addresses(left, right) -%}
    {{ left }}.email_key <> {{ right }}.email_key
    and abs(length({{ left }}.email_key) - length({{ right }}.email_key)) <= {{ var('identity_email_edits', 3) }}
    and {{ edit_distance(left ~ '.email_key', right ~ '.email_key') }} <= case
        when {{ left }}.name_2 is not null and {{ right }}.name_2 is not null then {{ var('identity_email_edits', 3) }}
        else 1
    end
    and {{ names_agree(left, right) }}
{%- endmacro %}

{#- The pairs of records (left_id < right_id) whose addresses are a typo apart, between the
    address_parts rows of two relations, compared within blocks only. -#}
{% macro similar_address_pairs(left_relation, right_relation) -%}
    with left_parts as (
        {{ address_parts(left_relation) }}
    ),

    right_parts as (
        {{ address_parts(right_relation) }}
    ),

    left_blocks as (
        {{ address_blocks('left_parts') }}
    ),

    right_blocks as (
        {{ address_blocks('right_parts') }}
    ),

    -- the pairs to compare, found by their blocks first (materialized, so the comparison
    -- runs once per pair and never over the blocks' join)
    candidates as materialized (
        select distinct
            left_blocks.lead_record_id as left_id,
            right_blocks.lead_record_id as right_id
        from left_blocks
        inner join right_blocks
            on
                left_blocks.block = right_blocks.block
                and left_blocks.lead_record_id <> right_blocks.lead_record_id
    )

    select distinct
        least(left_record.lead_record_id, right_record.lead_record_id) as left_id,
        greatest(left_record.lead_record_id, right_record.lead_record_id) as right_id
    from candidates
    inner join left_parts as left_record on candidates.left_id = left_record.lead_record_id
    inner join right_parts as right_record on candidates.right_id = right_record.lead_record_id
    where {{ similar_addresses('left_record', 'right_record') }}
{%- endmacro %}

{#- Records that have neither an address nor a phone can only be found by who and where
    they are: the pairs (left_id the record without either) with the same first and last
    name (in either order) in the same city or one a typo away, compared within blocks
    (the city and both names' initials, or the names themselves). -#}
{% macro name_city_pairs(left_relation, right_relation) -%}
    with left_side as (
        select lead_record_id, name_1, name_2, city_key
        from {{ left_relation }}
        where email_key is null and phone_e164 is null and name_2 is not null and city_key is not null
    ),

    right_side as (
        select lead_record_id, email_key, name_1, name_2, city_key
        from {{ right_relation }}
        where name_2 is not null and city_key is not null
    ),

    left_blocks as (
        select lead_record_id, city_key || ':' || substr(name_1, 1, 1) || substr(name_2, 1, 1) as block from left_side
        union
        select lead_record_id, name_1 || ' ' || name_2 as block from left_side
    ),

    right_blocks as (
        select lead_record_id, city_key || ':' || substr(name_1, 1, 1) || substr(name_2, 1, 1) as block from right_side
        union
        select lead_record_id, name_1 || ' ' || name_2 as block from right_side
    )

    select distinct
        left_record.lead_record_id as left_id,
        right_record.lead_record_id as right_id,
        right_record.email_key as right_email_key
    from left_side as left_record
    inner join left_blocks on left_record.lead_record_id = left_blocks.lead_record_id
    inner join right_blocks on left_blocks.block = right_blocks.block
    inner join right_side as right_record on right_blocks.lead_record_id = right_record.lead_record_id
    where
        left_record.lead_record_id <> right_record.lead_record_id
        -- the same name exactly (in either order): a namesake a typo away in a city is too
        -- common to take for the same person without an address or a number
        and left_record.name_1 = right_record.name_1
        and left_record.name_2 = right_record.name_2
        and (
            left_record.city_key = right_record.city_key
            or {{ edit_distance('left_record.city_key', 'right_record.city_key') }} <= {{ var('identity_city_edits', 2) }}
        )
{%- endmacro %}

{#- Whether two records' names are one person's: each has a name, and with two names each,
    both agree (in order or swapped: "Smith John" is John Smith); with one name on either
    side, that name agrees with one of the other's. A part agrees when it is the same or a
    typo away (Jaro-Winkler at least identity_name_part_similarity). A record without a
    name agrees with nobody: it is no evidence of the same person. -#}
{% macro names_agree(left, right, similarity=none) -%}
    {%- set at_least = similarity if similarity is not none else var('identity_name_part_similarity', 0.88) -%}
    (case
        when {{ left }}.name_1 is null or {{ right }}.name_1 is null then false
        when {{ left }}.name_2 is not null and {{ right }}.name_2 is not null
            then ({{ name_part_agrees(left ~ '.name_1', right ~ '.name_1', at_least) }}
                and {{ name_part_agrees(left ~ '.name_2', right ~ '.name_2', at_least) }})
            or ({{ name_part_agrees(left ~ '.name_1', right ~ '.name_2', at_least) }}
                and {{ name_part_agrees(left ~ '.name_2', right ~ '.name_1', at_least) }})
        else {{ name_part_agrees(left ~ '.name_1', right ~ '.name_1', at_least) }}
            or {{ name_part_agrees(left ~ '.name_1', right ~ '.name_2', at_least) }}
            or {{ name_part_agrees(left ~ '.name_2', right ~ '.name_1', at_least) }}
    end)
{%- endmacro %}

{% macro name_part_agrees(a, b, at_least) -%}
    coalesce({{ a }} = {{ b }} or {{ name_similarity(a, b) }} >= {{ at_least }}, false)
{%- endmacro %}

{#- Two names that cannot be one person's: both given and not even loosely alike (a part
    scrambled by a typo, an initial, or a swap still agrees at identity_conflict_similarity;
    "John Smith" and "Jane Smith" do not). A missing name is no evidence of another person. -#}
{% macro names_conflict(left, right) -%}
    ({{ left }}.name_1 is not null and {{ right }}.name_1 is not null
        and not {{ names_agree(left, right, var('identity_conflict_similarity', 0.7)) }})
{%- endmacro %}

{#- Pairs of records (left_id < right_id) that share a phone number and whose first and
    last names agree: a switchboard or a shared line is many people's, so the number alone
    never links two named records, nor does a surname alone ("Gutierrez" on a switchboard
    is any of the Gutierrezes there). Compared within the number and either name's initial. -#}
{% macro same_phone_pairs(left_relation, right_relation) -%}
    with left_side as (
        select lead_record_id, phone_e164, name_1, name_2
        from {{ left_relation }}
        where phone_e164 is not null and name_2 is not null
    ),

    right_side as (
        select lead_record_id, phone_e164, name_1, name_2
        from {{ right_relation }}
        where phone_e164 is not null and name_1 is not null
    )

    select distinct
        least(left_record.lead_record_id, right_record.lead_record_id) as left_id,
        greatest(left_record.lead_record_id, right_record.lead_record_id) as right_id
    from left_side as left_record
    inner join right_side as right_record
        on
            left_record.phone_e164 = right_record.phone_e164
            and left_record.lead_record_id <> right_record.lead_record_id
            and (
                substr(left_record.name_1, 1, 1) = substr(right_record.name_1, 1, 1)
                or substr(left_record.name_2, 1, 1) = substr(right_record.name_2, 1, 1)
                or substr(left_record.name_1, 1, 1) = substr(right_record.name_2, 1, 1)
                or substr(left_record.name_2, 1, 1) = substr(right_record.name_1, 1, 1)
            )
    where {{ names_agree('left_record', 'right_record') }}
{%- endmacro %}
