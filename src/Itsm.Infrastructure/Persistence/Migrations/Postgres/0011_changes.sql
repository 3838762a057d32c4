-- Change management (issue 10): changes share the tickets table (their type, plan, implementer and last assessment in
-- columns of their own); each approval an approver set asks for is a row of change_approvals (one per approver, per
-- round of the policy); approvers may delegate for a period.

ALTER TABLE tickets ADD COLUMN "ChangeType" character varying(16);
ALTER TABLE tickets ADD COLUMN "TemplateCode" character varying(60);
ALTER TABLE tickets ADD COLUMN "Justification" character varying(8000);
ALTER TABLE tickets ADD COLUMN "ImplementationPlan" character varying(8000);
ALTER TABLE tickets ADD COLUMN "BackoutPlan" character varying(8000);
ALTER TABLE tickets ADD COLUMN "TestPlan" character varying(8000);
ALTER TABLE tickets ADD COLUMN "PlannedStart" timestamp with time zone;
ALTER TABLE tickets ADD COLUMN "PlannedEnd" timestamp with time zone;
ALTER TABLE tickets ADD COLUMN "ImplementerId" character varying(450);
ALTER TABLE tickets ADD COLUMN "ImplementerName" character varying(200);
ALTER TABLE tickets ADD COLUMN "Risk" integer;
ALTER TABLE tickets ADD COLUMN "ConflictCount" integer;
ALTER TABLE tickets ADD COLUMN "AffectedCiCount" integer;
ALTER TABLE tickets ADD COLUMN "AssessedAt" timestamp with time zone;
ALTER TABLE tickets ADD COLUMN "RiskAnswers" character varying(4000);

CREATE TABLE change_approvals (
    "Id" uuid NOT NULL,
    "ChangeId" uuid NOT NULL,
    "Stage" integer NOT NULL,
    "StageName" character varying(200) NOT NULL,
    "SetKey" character varying(260) NOT NULL,
    "SetLabel" character varying(300) NOT NULL,
    "Rule" character varying(20) NOT NULL,
    "Kind" character varying(16) NOT NULL,
    "ApproverId" character varying(450) NOT NULL,
    "ApproverName" character varying(200) NOT NULL,
    "Why" character varying(4000) NOT NULL,
    "State" character varying(16) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "RequestedAt" timestamp with time zone,
    "DecidedAt" timestamp with time zone,
    "DecidedById" character varying(450),
    "DecidedByName" character varying(200),
    "OnBehalfOfId" character varying(450),
    "OnBehalfOfName" character varying(200),
    "Comment" character varying(2000),
    "CanceledReason" character varying(2000),
    "Round" integer NOT NULL,
    CONSTRAINT "PK_change_approvals" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_change_approvals_tickets_ChangeId" FOREIGN KEY ("ChangeId") REFERENCES tickets ("Id") ON DELETE CASCADE
);

CREATE TABLE approval_delegations (
    "Id" uuid NOT NULL,
    "FromUserId" character varying(450) NOT NULL,
    "FromUserName" character varying(200) NOT NULL,
    "ToUserId" character varying(450) NOT NULL,
    "ToUserName" character varying(200) NOT NULL,
    "Starts" timestamp with time zone NOT NULL,
    "Ends" timestamp with time zone NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_approval_delegations" PRIMARY KEY ("Id")
);

CREATE INDEX "IX_approval_delegations_FromUserId_Ends" ON approval_delegations ("FromUserId", "Ends");
CREATE INDEX "IX_approval_delegations_ToUserId_Ends" ON approval_delegations ("ToUserId", "Ends");
CREATE INDEX "IX_change_approvals_ApproverId_State" ON change_approvals ("ApproverId", "State");
CREATE INDEX "IX_change_approvals_ChangeId_Round" ON change_approvals ("ChangeId", "Round");
CREATE INDEX "IX_tickets_ImplementerId_PlannedStart" ON tickets ("ImplementerId", "PlannedStart") WHERE "Kind" = 'Change';
CREATE INDEX "IX_tickets_PlannedStart_PlannedEnd" ON tickets ("PlannedStart", "PlannedEnd") WHERE "Kind" = 'Change';

-- Personal links to the change calendar's ICS feed: only the secret's hash is kept; at most one live link per person.
CREATE TABLE calendar_feed_links (
    "Id" uuid NOT NULL,
    "UserId" character varying(450) NOT NULL,
    "TokenHash" character varying(64) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "RevokedAt" timestamp with time zone,
    CONSTRAINT "PK_calendar_feed_links" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_calendar_feed_links_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_calendar_feed_links_TokenHash" ON calendar_feed_links ("TokenHash");
CREATE INDEX "IX_calendar_feed_links_UserId" ON calendar_feed_links ("UserId");

-- A CMDB write no approved change covers (its implementer, in its window) says why; the change manager lists them.
ALTER TABLE cmdb_changesets ADD COLUMN "UnauthorisedReason" character varying(500);
CREATE INDEX "IX_cmdb_changesets_Unauthorised" ON cmdb_changesets ("Id") WHERE "UnauthorisedReason" IS NOT NULL;
