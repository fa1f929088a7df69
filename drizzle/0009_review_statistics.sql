-- The review asks, for each session, whether its site gave a dose that day: a semi-join on
-- (date, site_code) over dose_day_rollups, whose rows are per vaccine and dose number too.
-- Without statistics on the pair the planner takes date and site as independent, expects a
-- tenth of the real site-days and picks a plan that spills to disk.
CREATE STATISTICS IF NOT EXISTS "dose_day_rollups_date_site" (ndistinct) ON "date", "site_code" FROM "dose_day_rollups";
