-- Ticket numbers from one SEQUENCE per kind (docs/decisions/0008): nextval holds no lock until commit, so creates no
-- longer queue behind the number_sequences row, on one instance or several. Each sequence starts after every number
-- handed out so far: the row's next value, or past the highest ticket number of that prefix if that is higher
-- (tickets loaded by hand). The rows are then removed, so nothing reads a value that no longer moves; SQLite keeps
-- its rows (its numbers are bumped in the single writer's turn).
CREATE SEQUENCE ticket_number_inc AS bigint MINVALUE 1 START 1001;
CREATE SEQUENCE ticket_number_prb AS bigint MINVALUE 1 START 1001;
CREATE SEQUENCE ticket_number_chg AS bigint MINVALUE 1 START 1001;
CREATE SEQUENCE ticket_number_req AS bigint MINVALUE 1 START 1001;
CREATE SEQUENCE ticket_number_task AS bigint MINVALUE 1 START 1001;

-- setval(…, n, false): the next nextval returns n.
SELECT setval('ticket_number_' || lower(p.prefix), greatest(
           1001,
           (SELECT s."Next" FROM number_sequences s WHERE s."Prefix" = p.prefix),
           (SELECT max(substring(t."Number" FROM length(p.prefix) + 1)::bigint) + 1 FROM tickets t
            WHERE t."Number" ~ ('^' || p.prefix || '[0-9]+$'))), false)
FROM (VALUES ('INC'), ('PRB'), ('CHG'), ('REQ'), ('TASK')) AS p(prefix);

DELETE FROM number_sequences;
