-- One enterprise account per person and enterprise (B3 您已添加该企业; B1 links each of a legal
-- representative's enterprises once), held by PostgreSQL: adds and first logins made at once
-- cannot make two.
CREATE UNIQUE INDEX yst_enterprise_accounts_one_per_applicant ON yst_enterprise_accounts (run, uscc, applicant_id);
DROP INDEX yst_enterprise_accounts_by_uscc;  -- the unique index leads with the same columns
