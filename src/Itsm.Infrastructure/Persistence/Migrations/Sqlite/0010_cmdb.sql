-- The CMDB (issue 9, docs/decisions/0011): configuration items and relationships are the truth; every write is a
-- changeset with its entries, so the graph can be read as of any time and diffed. Deleted relationships are
-- kept, closed by DeletedAt. AUTOINCREMENT: changeset ids only grow, which the index follower relies on.
CREATE TABLE "cmdb_changesets" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_cmdb_changesets" PRIMARY KEY AUTOINCREMENT,
    "At" INTEGER NOT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "ChangeNumber" TEXT NULL,
    "Source" TEXT NULL
);
CREATE INDEX "IX_cmdb_changesets_At" ON "cmdb_changesets" ("At");

CREATE TABLE "configuration_items" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_configuration_items" PRIMARY KEY AUTOINCREMENT,
    "ClassCode" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Status" INTEGER NOT NULL,
    "Environment" TEXT NULL,
    "Criticality" INTEGER NOT NULL,
    "OwnerGroupId" TEXT NULL,
    "SupportGroupId" TEXT NULL,
    "Restricted" INTEGER NOT NULL,
    "RedundancyNeeded" INTEGER NULL,
    "RedundancyIsPercent" INTEGER NOT NULL,
    "Attributes" TEXT NOT NULL,
    "AttributeSources" TEXT NOT NULL,
    "Source" TEXT NULL,
    "NativeKey" TEXT NULL,
    "IdentityKey" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedChangesetId" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedChangesetId" INTEGER NOT NULL,
    "Version" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "IX_configuration_items_Source_NativeKey" ON "configuration_items" ("Source", "NativeKey") WHERE "NativeKey" IS NOT NULL;
CREATE UNIQUE INDEX "IX_configuration_items_ClassCode_IdentityKey" ON "configuration_items" ("ClassCode", "IdentityKey") WHERE "IdentityKey" IS NOT NULL;
CREATE INDEX "IX_configuration_items_Name" ON "configuration_items" ("Name");
CREATE INDEX "IX_configuration_items_ClassCode_Name" ON "configuration_items" ("ClassCode", "Name");
CREATE INDEX "IX_configuration_items_UpdatedChangesetId" ON "configuration_items" ("UpdatedChangesetId");

CREATE TABLE "relationships" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_relationships" PRIMARY KEY AUTOINCREMENT,
    "TypeCode" TEXT NOT NULL,
    "SourceId" INTEGER NOT NULL,
    "TargetId" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedChangesetId" INTEGER NOT NULL,
    "DeletedAt" INTEGER NULL,
    "DeletedChangesetId" INTEGER NULL
);
CREATE UNIQUE INDEX "IX_relationships_SourceId_TargetId_TypeCode" ON "relationships" ("SourceId", "TargetId", "TypeCode") WHERE "DeletedAt" IS NULL;
CREATE INDEX "IX_relationships_TargetId" ON "relationships" ("TargetId");

CREATE TABLE "cmdb_change_entries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_cmdb_change_entries" PRIMARY KEY AUTOINCREMENT,
    "ChangesetId" INTEGER NOT NULL,
    "CiId" INTEGER NULL,
    "RelationshipId" INTEGER NULL,
    "Kind" TEXT NOT NULL,
    "Field" TEXT NULL,
    "OldValue" TEXT NULL,
    "NewValue" TEXT NULL
);
CREATE INDEX "IX_cmdb_change_entries_ChangesetId" ON "cmdb_change_entries" ("ChangesetId");
CREATE INDEX "IX_cmdb_change_entries_CiId_ChangesetId" ON "cmdb_change_entries" ("CiId", "ChangesetId") WHERE "CiId" IS NOT NULL;

-- The CIs a ticket is about: affected CIs (added by people) and impacted services (computed from them through
-- impact analysis, or added or excluded by hand; a person's choice is kept over the computation).
CREATE TABLE "ticket_configuration_items" (
    "TicketId" TEXT NOT NULL,
    "CiId" INTEGER NOT NULL,
    "Role" INTEGER NOT NULL,
    "Origin" INTEGER NOT NULL,
    "Excluded" INTEGER NOT NULL,
    "AddedAt" INTEGER NOT NULL,
    "AddedBy" TEXT NOT NULL,
    CONSTRAINT "PK_ticket_configuration_items" PRIMARY KEY ("TicketId", "Role", "CiId")
);
CREATE INDEX "IX_ticket_configuration_items_CiId" ON "ticket_configuration_items" ("CiId");
