-- The queue sorted by priority or by opening time: the first page comes from an index, not a sort of every ticket.
CREATE INDEX "IX_tickets_OpenedAt_Number" ON tickets ("OpenedAt", "Number");
CREATE INDEX "IX_tickets_Priority_Number" ON tickets ("Priority", "Number");
