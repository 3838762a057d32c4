-- Problem management on the ticket core (issue 8): problems share the tickets table (one row per ticket, the kind
-- telling them apart); an incident links to the problem behind it; every ticket knows when it entered its state,
-- so timer transitions count from there whatever the module (the time of the history's last state change).
ALTER TABLE tickets ADD COLUMN "StateChangedAt" timestamp with time zone NULL;
ALTER TABLE tickets ADD COLUMN "ProblemId" uuid NULL;
ALTER TABLE tickets ADD COLUMN "ProblemNumber" character varying(20) NULL;
ALTER TABLE tickets ADD COLUMN "RootCause" character varying(8000) NULL;
ALTER TABLE tickets ADD COLUMN "Workaround" character varying(8000) NULL;
ALTER TABLE tickets ADD COLUMN "IsKnownError" boolean NULL;
ALTER TABLE tickets ADD COLUMN "KnownErrorAt" timestamp with time zone NULL;

UPDATE tickets t SET "StateChangedAt" = s.at
FROM (SELECT c."TicketId", MAX(c."At") AS at
      FROM ticket_changes c, json_array_elements(c."Fields"::json) f
      WHERE f->>'field' = 'state'
      GROUP BY c."TicketId") s
WHERE s."TicketId" = t."Id";
UPDATE tickets SET "StateChangedAt" = "OpenedAt" WHERE "StateChangedAt" IS NULL;

CREATE INDEX "IX_tickets_Kind_State_StateChangedAt" ON tickets ("Kind", "State", "StateChangedAt");
CREATE INDEX "IX_tickets_ProblemId" ON tickets ("ProblemId") WHERE "ProblemId" IS NOT NULL;
CREATE INDEX "IX_tickets_IsKnownError_KnownErrorAt" ON tickets ("IsKnownError", "KnownErrorAt") WHERE "Kind" = 'Problem';
-- Timers now use IX_tickets_Kind_State_StateChangedAt; nothing queries by (State, ResolvedAt) any more.
DROP INDEX "IX_tickets_State_ResolvedAt";
