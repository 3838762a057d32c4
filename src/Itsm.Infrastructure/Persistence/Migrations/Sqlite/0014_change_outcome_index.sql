-- A change's risk counts the failed and backed-out changes of the last 90 days on the same CIs: read from the few
-- changes with such an outcome (this index), not from every change (without statistics SQLite would walk them all).
CREATE INDEX "IX_tickets_ResolutionCode_ResolvedAt" ON "tickets" ("ResolutionCode", "ResolvedAt") WHERE "Kind" = 'Change' AND "ResolutionCode" IS NOT NULL;
