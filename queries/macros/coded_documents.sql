-- Table macro: the documents that carry at least one coding, of one council or, when for_la_id_gss is null, of all.
-- Called by the exports as coded_documents($la_id_gss). The parameter name differs from every column name because
-- inside a macro a column of the same name would win over the parameter.
create or replace macro coded_documents(for_la_id_gss) as table
    with final as (
        select * from documents
        where
            document_id in (select codings.document_id from codings)
            and (for_la_id_gss is null or la_id_gss = cast(for_la_id_gss as varchar))
    )

    select * from final  -- noqa: AM04
