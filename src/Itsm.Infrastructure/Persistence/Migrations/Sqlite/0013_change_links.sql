-- Change management (issue 10): an incident may name the change that caused it; the change risk of the same CIs counts
-- such incidents of the last 90 days. A change page lists the CMDB writes that name it.
ALTER TABLE "tickets" ADD COLUMN "CausedByChangeId" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "CausedByChangeNumber" TEXT NULL;
CREATE INDEX "IX_tickets_CausedByChangeId" ON "tickets" ("CausedByChangeId") WHERE "CausedByChangeId" IS NOT NULL;
CREATE INDEX "IX_cmdb_changesets_ChangeNumber" ON "cmdb_changesets" ("ChangeNumber") WHERE "ChangeNumber" IS NOT NULL;
