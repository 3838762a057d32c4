-- Conflicts and the calendar look for the changes whose planned window overlaps [from, to): PlannedEnd > from and
-- PlannedStart < to. PlannedEnd first, so that the changes that ended long ago (most of a change history) are never
-- scanned; the same index as on SQLite, where leading with Kind keeps the planner off the state index.
DROP INDEX IF EXISTS "IX_tickets_PlannedStart_PlannedEnd";
CREATE INDEX "IX_tickets_Kind_PlannedEnd_PlannedStart" ON tickets ("Kind", "PlannedEnd", "PlannedStart");
