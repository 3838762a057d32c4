-- Conflicts and the calendar look for the changes whose planned window overlaps [from, to): PlannedEnd > from and
-- PlannedStart < to. Led by Kind, so that without statistics SQLite prefers it to the (Kind, State, ...) index, which
-- made it read every open change's row; PlannedEnd first, so that the changes that ended long ago (most of a
-- change history) are never scanned.
DROP INDEX IF EXISTS "IX_tickets_PlannedStart_PlannedEnd";
CREATE INDEX "IX_tickets_Kind_PlannedEnd_PlannedStart" ON "tickets" ("Kind", "PlannedEnd", "PlannedStart");
