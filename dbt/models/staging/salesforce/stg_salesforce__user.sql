{{ config(unique_key='user_id') }}

with

source as (

    select * from {{ source('raw', 'salesforce__user') }}
    {{ new_deliveries() }}

),

deduplicated as (

    -- the latest delivery of each user
    select *
    from source
    {{ latest_delivery('id') }}

),

renamed as (

    select

        ----------  ids
        {{ clean_id('id') }} as user_id,
        {{ clean_id('manager_id') }} as manager_id,
        {{ clean_id('user_role_id') }} as user_role_id,
        {{ clean_id('profile_id') }} as profile_id,

        ----------  strings
        {{ clean_text('username') }} as username,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('name') }} as full_name,
        {{ clean_text('email') }} as email,
        {{ clean_text('title') }} as title,
        {{ clean_text('department') }} as department,
        {{ clean_text('division') }} as division,
        {{ bound_field(source('raw', 'salesforce__user'), 'salesforce_user', 'team') }} as team,
        {{ bound_field(source('raw', 'salesforce__user'), 'salesforce_user', 'region') }} as region,
        {{ clean_text('time_zone_sid_key') }} as time_zone_sid_key,
        {{ clean_text('language_locale_key') }} as language_locale_key,

        ----------  booleans
        {{ parse_boolean('is_active', empty_as='false') }} as is_active,

        ----------  timestamps
        {{ parse_timestamp('created_date') }} as created_date,
        {{ parse_timestamp('last_modified_date') }} as last_modified_date,

        ----------  lineage
        _source_file,
        _row_number,
        _loaded_at

    from deduplicated

)

select * from renamed
