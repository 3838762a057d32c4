-- Problem management on the ticket core (issue 8): problems share the tickets table (one row per ticket, the kind
-- telling them apart); an incident links to the problem behind it; every ticket knows when it entered its state,
-- so timer transitions count from there whatever the module (the time of the history's last state change).
ALTER TABLE "tickets" ADD COLUMN "StateChangedAt" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "ProblemId" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "ProblemNumber" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "RootCause" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "Workaround" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "IsKnownError" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "KnownErrorAt" INTEGER NULL;

UPDATE "tickets" SET "StateChangedAt" = (
    SELECT MAX(c."At") FROM "ticket_changes" c, json_each(c."Fields") f
    WHERE c."TicketId" = "tickets"."Id" AND json_extract(f.value, '$.field') = 'state');
UPDATE "tickets" SET "StateChangedAt" = "OpenedAt" WHERE "StateChangedAt" IS NULL;

CREATE INDEX "IX_tickets_Kind_State_StateChangedAt" ON "tickets" ("Kind", "State", "StateChangedAt");
CREATE INDEX "IX_tickets_ProblemId" ON "tickets" ("ProblemId") WHERE "ProblemId" IS NOT NULL;
CREATE INDEX "IX_tickets_IsKnownError_KnownErrorAt" ON "tickets" ("IsKnownError", "KnownErrorAt") WHERE "Kind" = 'Problem';
-- Timers now use IX_tickets_Kind_State_StateChangedAt; nothing queries by (State, ResolvedAt) any more.
DROP INDEX "IX_tickets_State_ResolvedAt";
