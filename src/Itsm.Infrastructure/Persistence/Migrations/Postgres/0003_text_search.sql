-- Queue text filter: "ShortDescription" COLLATE "und-x-icu" ILIKE '%text%' answered by a trigram index
-- (docs/decisions/0005-trigram-text-search.md). pg_trgm is a trusted extension (PostgreSQL 13+), so the
-- database owner may create it without being superuser. "und-x-icu" needs a PostgreSQL built with ICU.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "IX_tickets_ShortDescription" ON tickets USING gin ("ShortDescription" COLLATE "und-x-icu" gin_trgm_ops);
