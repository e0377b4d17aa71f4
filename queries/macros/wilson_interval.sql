-- Scalar macro: the Wilson score interval of a share k / n for a normal quantile z (1.6448536269514722: the two-sided
-- 90% interval the charts show; 1.2815515655446004: the bound a one-sided 90% test reads), as a struct {low, high}
-- clipped to [0, 1]; NULL when n is 0. Wilson rather than k / n +- z * se because the theme measure
-- often rests on a handful of sentences, where the normal interval runs below 0 or above 1 and is too narrow
-- (Brown, Cai and DasGupta 2001, "Interval estimation for a binomial proportion"). Called by asof_theme_readings
-- and mart_peer_themes.
create or replace macro wilson_interval(k, n, z) as
case
    when n > 0
        then struct_pack(
            -- k = 0 and k = n give the bounds 0 and 1 exactly (in floating point the formula lands a hair inside)
            low := case when k = 0 then 0.0 else greatest(
                0.0,
                (
                    k / n + z ^ 2 / (2 * n)
                    - z
                    * sqrt(k / n * (1 - k / n) / n + z ^ 2 / (4 * n * n))
                ) / (1 + z ^ 2 / n)
            ) end,
            high := case when k = n then 1.0 else least(
                1.0,
                (
                    k / n + z ^ 2 / (2 * n)
                    + z
                    * sqrt(k / n * (1 - k / n) / n + z ^ 2 / (4 * n * n))
                ) / (1 + z ^ 2 / n)
            ) end
        )
end
