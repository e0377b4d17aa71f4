-- Scalar macro: the day from which a date known to a precision counts as known (the as-of rule): the date
-- itself when known to the day, else the last day of its month or year. Called by the staging views.
create or replace macro visible_from_date(known_date, known_precision) as
case known_precision
    when 'year' then make_date(year(known_date), 12, 31)
    when 'month' then last_day(known_date)
    else known_date
end
