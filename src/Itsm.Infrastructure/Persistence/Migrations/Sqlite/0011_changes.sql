-- Change management (issue 10): changes share the tickets table (their type, plan, implementer and last assessment in
-- columns of their own); each approval an approver set asks for is a row of change_approvals (one per approver, per
-- round of the policy); approvers may delegate for a period.

ALTER TABLE "tickets" ADD COLUMN "ChangeType" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "TemplateCode" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "Justification" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "ImplementationPlan" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "BackoutPlan" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "TestPlan" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "PlannedStart" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "PlannedEnd" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "ImplementerId" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "ImplementerName" TEXT NULL;
ALTER TABLE "tickets" ADD COLUMN "Risk" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "ConflictCount" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "AffectedCiCount" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "AssessedAt" INTEGER NULL;
ALTER TABLE "tickets" ADD COLUMN "RiskAnswers" TEXT NULL;

CREATE TABLE "change_approvals" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_change_approvals" PRIMARY KEY,
    "ChangeId" TEXT NOT NULL,
    "Stage" INTEGER NOT NULL,
    "StageName" TEXT NOT NULL,
    "SetKey" TEXT NOT NULL,
    "SetLabel" TEXT NOT NULL,
    "Rule" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ApproverId" TEXT NOT NULL,
    "ApproverName" TEXT NOT NULL,
    "Why" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RequestedAt" INTEGER NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedById" TEXT NULL,
    "DecidedByName" TEXT NULL,
    "OnBehalfOfId" TEXT NULL,
    "OnBehalfOfName" TEXT NULL,
    "Comment" TEXT NULL,
    "CanceledReason" TEXT NULL,
    "Round" INTEGER NOT NULL,
    CONSTRAINT "FK_change_approvals_tickets_ChangeId" FOREIGN KEY ("ChangeId") REFERENCES "tickets" ("Id") ON DELETE CASCADE
);

CREATE TABLE "approval_delegations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_approval_delegations" PRIMARY KEY,
    "FromUserId" TEXT NOT NULL,
    "FromUserName" TEXT NOT NULL,
    "ToUserId" TEXT NOT NULL,
    "ToUserName" TEXT NOT NULL,
    "Starts" INTEGER NOT NULL,
    "Ends" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE INDEX "IX_approval_delegations_FromUserId_Ends" ON "approval_delegations" ("FromUserId", "Ends");
CREATE INDEX "IX_approval_delegations_ToUserId_Ends" ON "approval_delegations" ("ToUserId", "Ends");
CREATE INDEX "IX_change_approvals_ApproverId_State" ON "change_approvals" ("ApproverId", "State");
CREATE INDEX "IX_change_approvals_ChangeId_Round" ON "change_approvals" ("ChangeId", "Round");
CREATE INDEX "IX_tickets_ImplementerId_PlannedStart" ON "tickets" ("ImplementerId", "PlannedStart") WHERE "Kind" = 'Change';
CREATE INDEX "IX_tickets_PlannedStart_PlannedEnd" ON "tickets" ("PlannedStart", "PlannedEnd") WHERE "Kind" = 'Change';

-- Personal links to the change calendar's ICS feed: only the secret's hash is kept; at most one live link per person.
CREATE TABLE "calendar_feed_links" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_calendar_feed_links" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_calendar_feed_links_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "IX_calendar_feed_links_TokenHash" ON "calendar_feed_links" ("TokenHash");
CREATE INDEX "IX_calendar_feed_links_UserId" ON "calendar_feed_links" ("UserId");

-- A CMDB write no approved change covers (its implementer, in its window) says why; the change manager lists them.
ALTER TABLE "cmdb_changesets" ADD COLUMN "UnauthorisedReason" TEXT NULL;
CREATE INDEX "IX_cmdb_changesets_Unauthorised" ON "cmdb_changesets" ("Id") WHERE "UnauthorisedReason" IS NOT NULL;
