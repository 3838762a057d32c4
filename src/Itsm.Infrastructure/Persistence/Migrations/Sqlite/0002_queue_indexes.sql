-- Queue filters by priority and by assignment group, newest first.
CREATE INDEX "IX_tickets_AssignmentGroupId_UpdatedAt" ON "tickets" ("AssignmentGroupId", "UpdatedAt");
CREATE INDEX "IX_tickets_Priority_UpdatedAt" ON "tickets" ("Priority", "UpdatedAt");
