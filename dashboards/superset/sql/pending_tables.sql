-- Tables that datasets of the Superset bundle read but that no kefu command writes yet. This file is
-- their contract for the writers; the bundle test creates them (empty) so that every dataset query
-- is checked against PostgreSQL. Idempotent. Pseudonyms only: nothing here holds customer PII.

-- The audit tables (audit_batches, audit_verifications, audit_findings) are written by `kefu audit
-- anchor|verify|daily --jdbc` (io.kefu.audit.tables.AuditTables); their DDL is in
-- audit-ledger/src/main/resources/io/kefu/audit/tables/audit_tables.sql.
