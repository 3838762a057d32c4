-- The queue's sorts (priority, opening time, last update) read the first page from an index instead of sorting
-- every ticket.
CREATE INDEX "IX_tickets_OpenedAt_Number" ON tickets ("OpenedAt", "Number");
CREATE INDEX "IX_tickets_Priority_Number" ON tickets ("Priority", "Number");
CREATE INDEX "IX_tickets_UpdatedAt_Number" ON tickets ("UpdatedAt", "Number");
