{#- Identity resolution's settings, written on every clustered row: an incremental run
    whose settings differ from the table's recomputes every cluster. Raise `version`
    when the clustering rules below change. -#}
{% macro identity_settings() -%}
    {{ return('version=11 rounds=' ~ var('identity_rounds', 6)
        ~ ' email_edits=' ~ var('identity_email_edits', 3)
        ~ ' name_part_similarity=' ~ var('identity_name_part_similarity', 0.88)
        ~ ' city_edits=' ~ var('identity_city_edits', 2)
        ~ ' max_block=' ~ var('identity_max_block', 10)
        ~ ' max_name_block=' ~ var('identity_max_name_block', 30)
        ~ ' company_name_similarity=' ~ var('identity_company_name_similarity', 0.84)) }}
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
        split_part(email_domain, '.', 1) as label,
        regexp_replace(split_part(email_key, '@', 1), '[^0-9]', '', 'g') as local_digits
    from {{ relation }}
    where email_key is not null and not is_free_mail and name_1 is not null
{%- endmacro %}

{#- Blocks for typo links between addresses: two addresses are compared when they share
    one. Every block carries the local part's digits (john.smith1 is a namesake of
    john.smith2, not a typo). A typo leaves at least one intact: the domain with the first
    or the last two characters of the local part; the whole local part with the domain's
    first letter, or the last of its first label (a typo in the domain); one part of the
    name with the other's initial, the address's first letter and that letter of the
    domain (typos in both halves; the names must agree anyway). The blocks by a letter of
    the domain grow with the number of leads (at 1M generated leads: 24M pairs with the
    local part, 375M with the names, and the run out of memory), so a block holding more
    than `identity_max_block` records of the whole population is not compared whole:
    its typos in the domain are found by the label's neighbours instead (see
    label_neighbour_pairs). -#}
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

{#- First labels of domains one edit apart (or the same), between two address_parts
    relations: two labels one edit apart share a form with at most one character left
    out ("acme" meets "acmee", "acne" and "came"). Made from the distinct labels, so it
    grows with the number of companies, not of leads; forms for the first 40 positions. -#}
{% macro label_neighbours(left_parts, right_parts) -%}
    {%- for side, parts in [('left', left_parts), ('right', right_parts)] %}
        {{ "with" if loop.first }} {{ side }}_forms as (
            select
                labels.label,
                case
                    when positions.position = 0 then labels.label
                    else substr(labels.label, 1, positions.position - 1) || substr(labels.label, positions.position + 1)
                end as form
            from (select distinct label from {{ parts }}) as labels
            inner join (
                values {% for position in range(41) %}({{ position }}){{ ", " if not loop.last }}{% endfor %}
            ) as positions (position)
                on positions.position <= length(labels.label)
        ){{ "," if loop.first }}
    {%- endfor %}

    select distinct
        left_forms.label as left_label,
        right_forms.label as right_label
    from left_forms
    inner join right_forms on left_forms.form = right_forms.form
{%- endmacro %}

{#- The pairs to compare whose labels are neighbours (label_neighbours): the same local
    part (a typo in the domain), or a part of the name with the other's initial and the
    address's first letter (typos in both halves), with the same digits. Each side's key
    is one string (the label the other side must have, then the parts), so the pairs are
    found by one equality join and cost what they find. -#}
{% macro label_neighbour_pairs(left_parts, right_parts, neighbours) -%}
    {%- set keys = [
        "{r}local_digits || ':l:' || {r}local_part",
        "{r}local_digits || ':n1:' || {r}name_1 || ':' || coalesce(substr({r}name_2, 1, 1), '') || substr({r}email_key, 1, 1)",
        "{r}local_digits || ':n2:' || {r}name_2 || ':' || substr({r}name_1, 1, 1) || substr({r}email_key, 1, 1)",
    ] -%}
    select
        left_keys.lead_record_id as left_id,
        right_keys.lead_record_id as right_id
    from (
        {%- for key in keys %}
            {{ "union" if not loop.first }}
            select
                left_record.lead_record_id,
                {{ neighbours }}.right_label || '@' || {{ key | replace('{r}', 'left_record.') }} as neighbour_key
            from {{ left_parts }} as left_record
            inner join {{ neighbours }} on left_record.label = {{ neighbours }}.left_label
        {%- endfor %}
    ) as left_keys
    inner join (
        {%- for key in keys %}
            {{ "union" if not loop.first }}
            select
                lead_record_id,
                label || '@' || {{ key | replace('{r}', '') }} as neighbour_key
            from {{ right_parts }}
        {%- endfor %}
    ) as right_keys
        on
            left_keys.neighbour_key = right_keys.neighbour_key
            and left_keys.lead_record_id <> right_keys.lead_record_id
{%- endmacro %}

{#- A typo in an address: two different addresses (in one block, so with the same digits)
    whose names agree, at most `identity_email_edits` edits apart over the whole address,
    the domain included, when both give a first and a last name, and one edit when either
    gives only one (jacob.morales and janet.morales are three edits apart: "Morales" alone
    cannot tell them apart). -#}
{% macro similar_addresses(left, right) -%}
    {%- set edits = edit_distance(left ~ '.email_key', right ~ '.email_key') %}
    {{ left }}.email_key <> {{ right }}.email_key
    and abs(length({{ left }}.email_key) - length({{ right }}.email_key)) <= {{ var('identity_email_edits', 3) }}
    and {{ edits }} <= case
        when {{ left }}.name_2 is not null and {{ right }}.name_2 is not null then {{ var('identity_email_edits', 3) }}
        else 1
    end
    and (
        {{ names_agree(left, right) }}
        -- "A Ramirez" is Amy Ramirez when their addresses are a typo or two apart (not
        -- j.smith against john.smith: three letters more is another way of writing it,
        -- and J may be Jane)
        or ({{ names_agree_by_an_initial(left, right) }} and {{ edits }} <= 2)
    )
{%- endmacro %}

{#- Two whole names whose one part agrees and whose other is an initial on one side and a
    name beginning with it on the other ("a ramirez" and "amy ramirez"; parts in either
    order). Used only where an address also links the two: on a shared number or at a
    company, "J Green" may be James or John. -#}
{% macro names_agree_by_an_initial(left, right) -%}
    {%- set at_least = var('identity_name_part_similarity', 0.88) -%}
    ({{ left }}.name_2 is not null and {{ right }}.name_2 is not null and (
    {%- for a, b, c, d in [('name_1', 'name_1', 'name_2', 'name_2'), ('name_2', 'name_2', 'name_1', 'name_1'), ('name_1', 'name_2', 'name_2', 'name_1'), ('name_2', 'name_1', 'name_1', 'name_2')] %}
        {%- if not loop.first %} or {% endif %}
        ({{ name_part_agrees(left ~ '.' ~ a, right ~ '.' ~ b, at_least) }}
            and {{ is_initial_of(left ~ '.' ~ c, right ~ '.' ~ d) }})
    {%- endfor %}))
{%- endmacro %}

{% macro is_initial_of(a, b) -%}
    (length({{ a }}) = 1 and length({{ b }}) > 1 and left({{ b }}, 1) = {{ a }}
        or length({{ b }}) = 1 and length({{ a }}) > 1 and left({{ a }}, 1) = {{ b }})
{%- endmacro %}

{#- The blocks of at most `identity_max_block` records among the address_parts rows of
    `relation` (the whole population), each with its records. -#}
{% macro small_address_blocks(relation) -%}
    with population_parts as (
        {{ address_parts(relation) }}
    )

    {{ blocks_of_at_most(address_blocks('population_parts'), var('identity_max_block', 10)) }}
{%- endmacro %}

{#- The (record, block) rows of `blocks` whose block holds at most `at_most` rows: the
    blocks small enough to compare whole. -#}
{% macro blocks_of_at_most(blocks, at_most) -%}
    select
        lead_record_id,
        block
    from (
        select
            lead_record_id,
            block,
            count(*) over (partition by block) as records
        from ({{ blocks }}) as blocks
    ) as sized
    where records <= {{ at_most }}
{%- endmacro %}

{#- The pairs of records (left_id < right_id) whose addresses are a typo apart, between the
    address_parts rows of two relations (both in the population of `small_blocks`, made
    by small_address_blocks), compared within those blocks, and the pairs whose first
    labels are neighbours with the same local part or name. -#}
{% macro similar_address_pairs(left_relation, right_relation, small_blocks) -%}
    with left_parts as (
        {{ address_parts(left_relation) }}
    ),

    right_parts as (
        {{ address_parts(right_relation) }}
    ),

    -- each side's records in the small blocks, before the join (a day's few new records
    -- meet the blocks they are in, not every block)
    {%- for side in ['left', 'right'] %}
    {{ side }}_blocks as materialized (
        select
            {{ small_blocks }}.lead_record_id,
            {{ small_blocks }}.block
        from {{ small_blocks }}
        inner join {{ side }}_parts on {{ small_blocks }}.lead_record_id = {{ side }}_parts.lead_record_id
    ),
    {%- endfor %}

    label_neighbours as (
        {{ label_neighbours('left_parts', 'right_parts') }}
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
        union
        {{ label_neighbour_pairs('left_parts', 'right_parts', 'label_neighbours') }}
    ),

    -- each candidate with its left record, then its right one: two equality joins (joined
    -- in one query, the planner may compare every left record with every right one)
    left_candidates as materialized (
        select
            candidates.right_id,
            left_parts.*
        from candidates
        inner join left_parts on candidates.left_id = left_parts.lead_record_id
    )

    select distinct
        least(left_record.lead_record_id, right_record.lead_record_id) as left_id,
        greatest(left_record.lead_record_id, right_record.lead_record_id) as right_id
    from left_candidates as left_record
    inner join right_parts as right_record on left_record.right_id = right_record.lead_record_id
    where {{ similar_addresses('left_record', 'right_record') }}
{%- endmacro %}

{#- Over a group of records: they lead to one address (or none), or to two a typo apart
    (at most `identity_email_edits`): one person's. Three or more, or two further apart,
    may be namesakes, and nobody can say which. -#}
{% macro one_address_or_two_a_typo_apart(email) -%}
    (
        count(distinct {{ email }}) <= 1
        or (
            count(distinct {{ email }}) = 2
            and {{ edit_distance('min(' ~ email ~ ')', 'max(' ~ email ~ ')') }} <= {{ var('identity_email_edits', 3) }}
        )
    )
{%- endmacro %}

{#- Records that have neither an address nor a phone can only be found by who and where
    they are: the pairs (left_id the record without either) with the same first and last
    name (in either order) in the same city or one a typo away, compared within blocks
    (the city and both names' initials, or the names themselves), unless both name a
    company and the companies differ. -#}
{% macro name_city_pairs(left_relation, right_relation) -%}
    with left_side as (
        select lead_record_id, name_1, name_2, city_key, company_key
        from {{ left_relation }}
        where email_key is null and phone_key is null and name_2 is not null and city_key is not null
    ),

    right_side as (
        select lead_record_id, email_key, name_1, name_2, city_key, company_key
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
        -- two companies named, and not the same one: two namesakes in one city (at 100k
        -- leads, a city holds many), not one person; one company missing is no evidence
        and (
            left_record.company_key is null
            or right_record.company_key is null
            or left_record.company_key = right_record.company_key
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

{#- Pairs of records (left_id < right_id) that share a phone number and whose whole names
    agree: a switchboard or a shared line is many people's, so the number alone never links
    two named records, nor does a surname alone ("Gutierrez" on a switchboard is any of the
    Gutierrezes there: the phone-at-company rule takes it when there is only one). Compared
    within the number and either name's initial. -#}
{% macro same_phone_pairs(left_relation, right_relation) -%}
    with left_side as (
        select lead_record_id, phone_key, name_1, name_2
        from {{ left_relation }}
        where phone_key is not null and name_2 is not null
    ),

    right_side as (
        select lead_record_id, phone_key, name_1, name_2
        from {{ right_relation }}
        where phone_key is not null and name_2 is not null
    )

    select distinct
        least(left_record.lead_record_id, right_record.lead_record_id) as left_id,
        greatest(left_record.lead_record_id, right_record.lead_record_id) as right_id
    from left_side as left_record
    inner join right_side as right_record
        on
            left_record.phone_key = right_record.phone_key
            and left_record.lead_record_id <> right_record.lead_record_id
            and (
                substr(left_record.name_1, 1, 1) = substr(right_record.name_1, 1, 1)
                or substr(left_record.name_2, 1, 1) = substr(right_record.name_2, 1, 1)
                or substr(left_record.name_1, 1, 1) = substr(right_record.name_2, 1, 1)
                or substr(left_record.name_2, 1, 1) = substr(right_record.name_1, 1, 1)
            )
    where {{ names_agree('left_record', 'right_record') }}
{%- endmacro %}

{#- The records in blocks of a company and an initial of either part of a whole name (a
    typo seldom falls on both initials), counted over the whole population; a block of
    more than identity_max_name_block records (a large company's common initial) is not
    compared whole, so no comparison grows with the leads. -#}
{% macro small_name_company_blocks(relation) -%}
    {%- set blocks -%}
        {%- for part in ['name_1', 'name_2'] %}
            {{ 'union' if not loop.first }}
            select
                lead_record_id,
                company_key || ':' || substr({{ part }}, 1, 1) as block
            from {{ relation }}
            where company_key is not null and name_2 is not null
        {%- endfor %}
    {%- endset -%}
    {{ blocks_of_at_most(blocks, var('identity_max_name_block', 30)) }}
{%- endmacro %}

{#- Pairs of records (left_id < right_id) at one company whose whole names agree, a typo
    or a swap apart ("Donna Reeed" and "Donna Reed" at Meridian Horizon, one on the
    switchboard, one on a mobile): one person spelt twice. Each part agrees at
    identity_company_name_similarity (0.84: the company already narrows who it can be).
    Two addresses that are not a typo apart are two people's, whatever their names. Compared within a small block of
    the company and an initial (`small_name_company_blocks`); `one_side` when both
    relations hold the same records, so each pair is compared once. -#}
{% macro similar_name_company_pairs(left_relation, right_relation, small_blocks, one_side=false) -%}
    select distinct
        least(left_record.lead_record_id, right_record.lead_record_id) as left_id,
        greatest(left_record.lead_record_id, right_record.lead_record_id) as right_id
    from {{ left_relation }} as left_record
    inner join {{ small_blocks }} as left_block on left_record.lead_record_id = left_block.lead_record_id
    inner join {{ small_blocks }} as right_block
        on
            left_block.block = right_block.block
            {#- the same relation on both sides: each pair once #}
            and left_block.lead_record_id {{ '<' if one_side else '<>' }} right_block.lead_record_id
    inner join {{ right_relation }} as right_record on right_block.lead_record_id = right_record.lead_record_id
    where
        left_record.company_key = right_record.company_key
        -- one address already links them
        and not coalesce(left_record.email_key = right_record.email_key, false)
        and {{ names_agree('left_record', 'right_record', var('identity_company_name_similarity', 0.84)) }}
        and not coalesce(
            left_record.email_key <> right_record.email_key
            and {{ edit_distance('left_record.email_key', 'right_record.email_key') }}
            > {{ var('identity_email_edits', 3) }},
            false
        )
{%- endmacro %}
