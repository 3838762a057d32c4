-- Security events (docs/decisions/0007): every write that makes a signed-in principal stale (a token revoked, a
-- password, role, group, lockout or name changed) appends a row; every instance reads the new rows every 250 ms and
-- drops the principals it cached for those users. AUTOINCREMENT: ids only grow, even after old rows are deleted.
CREATE TABLE "security_events" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_security_events" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);
