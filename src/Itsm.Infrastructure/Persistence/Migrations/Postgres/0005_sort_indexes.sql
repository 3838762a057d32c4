-- The queue sorted by priority or by opening time: the first page comes from an index, not a sort of every ticket.
CREATE INDEX "IX_tickets_Kind_OpenedAt_Number" ON tickets ("Kind", "OpenedAt", "Number");
CREATE INDEX "IX_tickets_Kind_Priority_Number" ON tickets ("Kind", "Priority", "Number");
