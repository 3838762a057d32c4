-- The audit becomes one row per change (its fields as a JSON array) instead of one row per field
-- (docs/decisions/0006-sqlite-group-commit.md). Existing history is carried over: the entries one actor made at
-- one moment become one change, their fields in the order they were written (rowid).
-- "TicketVersion" (the ticket's version before the change) orders a ticket's changes even when their times tie;
-- changes carried over get 0 and are ordered by their time, before every later change.
CREATE TABLE "ticket_changes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ticket_changes" PRIMARY KEY,
    "TicketId" TEXT NOT NULL,
    "TicketVersion" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Fields" TEXT NOT NULL,
    CONSTRAINT "FK_ticket_changes_tickets_TicketId" FOREIGN KEY ("TicketId") REFERENCES "tickets" ("Id") ON DELETE CASCADE
);

INSERT INTO "ticket_changes" ("Id", "TicketId", "TicketVersion", "ActorId", "ActorName", "At", "Fields")
SELECT MIN("Id"), "TicketId", 0, "ActorId", MIN("ActorName"), "At",
       json_group_array(json_object('field', "Field", 'oldValue', "OldValue", 'newValue', "NewValue"))
FROM (SELECT * FROM "ticket_history" ORDER BY rowid)
GROUP BY "TicketId", "At", "ActorId";

DROP TABLE "ticket_history";

CREATE INDEX "IX_ticket_changes_TicketId_At" ON "ticket_changes" ("TicketId", "At");
