-- The audit becomes one row per change (its fields as a JSON array) instead of one row per field
-- (docs/decisions/0006-sqlite-group-commit.md). Existing history is carried over: the entries one actor made at
-- one moment become one change, their fields in the order they were stored.
-- "TicketVersion" (the ticket's version before the change) orders a ticket's changes even when their times tie;
-- changes carried over get 0 and are ordered by their time, before every later change.
CREATE TABLE ticket_changes (
    "Id" uuid NOT NULL,
    "TicketId" uuid NOT NULL,
    "TicketVersion" integer NOT NULL,
    "ActorId" character varying(450) NOT NULL,
    "ActorName" character varying(200) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "Fields" text NOT NULL,
    CONSTRAINT "PK_ticket_changes" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ticket_changes_tickets_TicketId" FOREIGN KEY ("TicketId") REFERENCES tickets ("Id") ON DELETE CASCADE
);

INSERT INTO ticket_changes ("Id", "TicketId", "TicketVersion", "ActorId", "ActorName", "At", "Fields")
SELECT (array_agg("Id" ORDER BY ctid))[1], "TicketId", 0, "ActorId", min("ActorName"), "At",
       json_agg(json_build_object('field', "Field", 'oldValue', "OldValue", 'newValue', "NewValue") ORDER BY ctid)::text
FROM ticket_history
GROUP BY "TicketId", "At", "ActorId";

DROP TABLE ticket_history;

CREATE INDEX "IX_ticket_changes_TicketId_At" ON ticket_changes ("TicketId", "At");
