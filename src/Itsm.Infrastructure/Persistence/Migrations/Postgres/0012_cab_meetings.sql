-- CAB meetings (issue 10): the Change Advisory Board's meetings, each reviewing the changes awaiting the CAB in a
-- period; an agenda item per change with the board's decision; and the meeting's audit, one line per change to it.

CREATE TABLE cab_meetings (
    "Id" uuid NOT NULL,
    "Title" character varying(200) NOT NULL,
    "StartsAt" timestamp with time zone NOT NULL,
    "EndsAt" timestamp with time zone NOT NULL,
    "PeriodFrom" timestamp with time zone NOT NULL,
    "PeriodTo" timestamp with time zone NOT NULL,
    "State" character varying(16) NOT NULL,
    "Minutes" character varying(20000),
    "CreatedById" character varying(450) NOT NULL,
    "CreatedByName" character varying(200) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "StartedAt" timestamp with time zone,
    "ClosedAt" timestamp with time zone,
    "Version" integer NOT NULL,
    CONSTRAINT "PK_cab_meetings" PRIMARY KEY ("Id")
);

CREATE TABLE cab_agenda_items (
    "Id" uuid NOT NULL,
    "MeetingId" uuid NOT NULL,
    "ChangeId" uuid NOT NULL,
    "ChangeNumber" character varying(20) NOT NULL,
    "Order" integer NOT NULL,
    "Decision" character varying(16) NOT NULL,
    "DecisionNotes" character varying(2000),
    "DecidedById" character varying(450),
    "DecidedByName" character varying(200),
    "DecidedAt" timestamp with time zone,
    CONSTRAINT "PK_cab_agenda_items" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_cab_agenda_items_cab_meetings_MeetingId" FOREIGN KEY ("MeetingId") REFERENCES cab_meetings ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_cab_agenda_items_tickets_ChangeId" FOREIGN KEY ("ChangeId") REFERENCES tickets ("Id") ON DELETE CASCADE
);

CREATE TABLE cab_meeting_log (
    "Id" uuid NOT NULL,
    "MeetingId" uuid NOT NULL,
    "MeetingVersion" integer NOT NULL,
    "ActorId" character varying(450) NOT NULL,
    "ActorName" character varying(200) NOT NULL,
    "Text" character varying(4000) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_cab_meeting_log" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_cab_meeting_log_cab_meetings_MeetingId" FOREIGN KEY ("MeetingId") REFERENCES cab_meetings ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_cab_agenda_items_ChangeId" ON cab_agenda_items ("ChangeId");
CREATE UNIQUE INDEX "IX_cab_agenda_items_MeetingId_ChangeId" ON cab_agenda_items ("MeetingId", "ChangeId");
CREATE INDEX "IX_cab_meeting_log_MeetingId_MeetingVersion" ON cab_meeting_log ("MeetingId", "MeetingVersion");
CREATE INDEX "IX_cab_meetings_StartsAt" ON cab_meetings ("StartsAt");
