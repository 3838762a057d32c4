-- CAB meetings (issue 10): the Change Advisory Board's meetings, each reviewing the changes awaiting the CAB in a
-- period; an agenda item per change with the board's decision; and the meeting's audit, one line per change to it.

CREATE TABLE "cab_meetings" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_cab_meetings" PRIMARY KEY,
    "Title" TEXT NOT NULL,
    "StartsAt" INTEGER NOT NULL,
    "EndsAt" INTEGER NOT NULL,
    "PeriodFrom" INTEGER NOT NULL,
    "PeriodTo" INTEGER NOT NULL,
    "State" TEXT NOT NULL,
    "Minutes" TEXT NULL,
    "CreatedById" TEXT NOT NULL,
    "CreatedByName" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "StartedAt" INTEGER NULL,
    "ClosedAt" INTEGER NULL,
    "Version" INTEGER NOT NULL
);

CREATE TABLE "cab_agenda_items" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_cab_agenda_items" PRIMARY KEY,
    "MeetingId" TEXT NOT NULL,
    "ChangeId" TEXT NOT NULL,
    "ChangeNumber" TEXT NOT NULL,
    "Order" INTEGER NOT NULL,
    "Decision" TEXT NOT NULL,
    "DecisionNotes" TEXT NULL,
    "DecidedById" TEXT NULL,
    "DecidedByName" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    CONSTRAINT "FK_cab_agenda_items_cab_meetings_MeetingId" FOREIGN KEY ("MeetingId") REFERENCES "cab_meetings" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_cab_agenda_items_tickets_ChangeId" FOREIGN KEY ("ChangeId") REFERENCES "tickets" ("Id") ON DELETE CASCADE
);

CREATE TABLE "cab_meeting_log" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_cab_meeting_log" PRIMARY KEY,
    "MeetingId" TEXT NOT NULL,
    "MeetingVersion" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "FK_cab_meeting_log_cab_meetings_MeetingId" FOREIGN KEY ("MeetingId") REFERENCES "cab_meetings" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_cab_agenda_items_ChangeId" ON "cab_agenda_items" ("ChangeId");
CREATE UNIQUE INDEX "IX_cab_agenda_items_MeetingId_ChangeId" ON "cab_agenda_items" ("MeetingId", "ChangeId");
CREATE INDEX "IX_cab_meeting_log_MeetingId_MeetingVersion" ON "cab_meeting_log" ("MeetingId", "MeetingVersion");
CREATE INDEX "IX_cab_meetings_StartsAt" ON "cab_meetings" ("StartsAt");
