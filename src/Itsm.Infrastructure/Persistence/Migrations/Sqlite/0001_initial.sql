CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);


CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);


CREATE TABLE "assignment_groups" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_assignment_groups" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Description" TEXT NULL
);


CREATE TABLE "categories" (
    "Code" TEXT NOT NULL CONSTRAINT "PK_categories" PRIMARY KEY,
    "Label" TEXT NOT NULL,
    "DefaultGroupId" TEXT NULL
);


CREATE TABLE "idempotency_keys" (
    "Key" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "RequestHash" TEXT NOT NULL,
    "TicketNumber" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_idempotency_keys" PRIMARY KEY ("UserId", "Key")
);


CREATE TABLE "number_sequences" (
    "Prefix" TEXT NOT NULL CONSTRAINT "PK_number_sequences" PRIMARY KEY,
    "Next" INTEGER NOT NULL
);


CREATE TABLE "tickets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_tickets" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "Number" TEXT NOT NULL,
    "ShortDescription" TEXT NOT NULL,
    "Description" TEXT NULL,
    "State" TEXT NOT NULL,
    "Impact" INTEGER NOT NULL,
    "Urgency" INTEGER NOT NULL,
    "Priority" INTEGER NOT NULL,
    "PriorityOverrideReason" TEXT NULL,
    "CategoryCode" TEXT NULL,
    "RequesterId" TEXT NOT NULL,
    "RequesterName" TEXT NOT NULL,
    "AssignmentGroupId" TEXT NULL,
    "AssignmentGroupName" TEXT NULL,
    "AssigneeId" TEXT NULL,
    "AssigneeName" TEXT NULL,
    "ReassignmentCount" INTEGER NOT NULL,
    "ReopenCount" INTEGER NOT NULL,
    "HoldReason" TEXT NULL,
    "ResolutionCode" TEXT NULL,
    "ResolutionNotes" TEXT NULL,
    "CancelReason" TEXT NULL,
    "OpenedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "ResolvedAt" INTEGER NULL,
    "ClosedAt" INTEGER NULL,
    "Version" INTEGER NOT NULL,
    "ParentIncidentId" TEXT NULL,
    "ParentIncidentNumber" TEXT NULL
);


CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "api_tokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_api_tokens" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_api_tokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "group_members" (
    "GroupId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_group_members" PRIMARY KEY ("GroupId", "UserId"),
    CONSTRAINT "FK_group_members_assignment_groups_GroupId" FOREIGN KEY ("GroupId") REFERENCES "assignment_groups" ("Id") ON DELETE CASCADE
);


CREATE TABLE "ticket_history" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ticket_history" PRIMARY KEY,
    "TicketId" TEXT NOT NULL,
    "Field" TEXT NOT NULL,
    "OldValue" TEXT NULL,
    "NewValue" TEXT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "FK_ticket_history_tickets_TicketId" FOREIGN KEY ("TicketId") REFERENCES "tickets" ("Id") ON DELETE CASCADE
);


CREATE TABLE "worklog" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_worklog" PRIMARY KEY,
    "TicketId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "AuthorId" TEXT NOT NULL,
    "AuthorName" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "FK_worklog_tickets_TicketId" FOREIGN KEY ("TicketId") REFERENCES "tickets" ("Id") ON DELETE CASCADE
);


CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");


CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");


CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");


CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");


CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");


CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");


CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");


CREATE UNIQUE INDEX "IX_api_tokens_TokenHash" ON "api_tokens" ("TokenHash");


CREATE INDEX "IX_api_tokens_UserId" ON "api_tokens" ("UserId");


CREATE UNIQUE INDEX "IX_assignment_groups_Name" ON "assignment_groups" ("Name");


CREATE INDEX "IX_group_members_UserId" ON "group_members" ("UserId");


CREATE INDEX "IX_ticket_history_TicketId_At" ON "ticket_history" ("TicketId", "At");


CREATE INDEX "IX_tickets_AssigneeId_State" ON "tickets" ("AssigneeId", "State");


CREATE INDEX "IX_tickets_AssignmentGroupId_State" ON "tickets" ("AssignmentGroupId", "State");


CREATE INDEX "IX_tickets_Kind_State_UpdatedAt" ON "tickets" ("Kind", "State", "UpdatedAt");


CREATE INDEX "IX_tickets_Kind_UpdatedAt" ON "tickets" ("Kind", "UpdatedAt");


CREATE UNIQUE INDEX "IX_tickets_Number" ON "tickets" ("Number");


CREATE INDEX "IX_tickets_ParentIncidentId" ON "tickets" ("ParentIncidentId");


CREATE INDEX "IX_tickets_RequesterId_UpdatedAt" ON "tickets" ("RequesterId", "UpdatedAt");


CREATE INDEX "IX_tickets_State_ResolvedAt" ON "tickets" ("State", "ResolvedAt");


CREATE INDEX "IX_worklog_TicketId_At" ON "worklog" ("TicketId", "At");



