using System.Text.RegularExpressions;
using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Imports CIs and relationships from one source (docs/cmdb-import-format.md): each CI row is recognised by the source's
/// key or by its class's identifiers, so a re-import changes nothing; per-field source precedence decides what an
/// update may overwrite; a row that breaks a rule is rejected with its reason and leaves nothing behind; the rest is
/// written in one changeset, or none when nothing changed.
/// </summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed partial record ImportCmdb(string? Source, string? Reason, string? ChangeNumber,
    IReadOnlyList<CmdbImportCi> Cis, IReadOnlyList<CmdbImportRelationship> Relationships) : IRequest<CmdbImportResult>, ICommand
{
    public const int MaxRows = 200_000;
    public const int MaxSource = 100;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    internal static partial Regex SourcePattern();
}

public sealed record CmdbImportRejection(int Row, string Kind, string? Key, string Reason, string? Field);

public sealed record CmdbImportRelationshipCounts(int Created, int Unchanged, int Rejected);

public sealed record CmdbImportResult(long? ChangesetId, int Created, int Updated, int Unchanged, int Rejected,
    CmdbImportRelationshipCounts Relationships, IReadOnlyList<CmdbImportRejection> Rejections);

public sealed class ImportCmdbValidator : IRequestValidator<ImportCmdb>
{
    public IEnumerable<(string, string)> Validate(ImportCmdb r)
    {
        var source = r.Source?.Trim();
        if (string.IsNullOrEmpty(source)) yield return ("source", "Name the source the data comes from (\"source\" in the document, or ?source=).");
        else if (source.Length > ImportCmdb.MaxSource || !ImportCmdb.SourcePattern().IsMatch(source))
            yield return ("source", $"A source is a name of at most {ImportCmdb.MaxSource} letters, digits, '.', '_' or '-'.");
        else if (string.Equals(source, SourcePrecedence.Manual, StringComparison.OrdinalIgnoreCase))
            yield return ("source", "'manual' stands for edits by people and is not an import source.");
        if (r.Reason is { Length: > CmdbWriter.MaxReason }) yield return ("reason", $"At most {CmdbWriter.MaxReason} characters.");
        if (r.ChangeNumber is { Length: > 20 }) yield return ("changeNumber", "At most 20 characters.");
        if (r.Cis.Count > ImportCmdb.MaxRows) yield return ("cis", $"At most {ImportCmdb.MaxRows} rows per import: split the file.");
        if (r.Relationships.Count > ImportCmdb.MaxRows) yield return ("relationships", $"At most {ImportCmdb.MaxRows} rows per import: split the file.");
        if (r.Cis.Count + r.Relationships.Count == 0) yield return ("cis", "The import has no rows.");
    }
}

public sealed class ImportCmdbHandler(
    IItsmDbContext db, ICurrentUser user, CmdbModel model, SourcePrecedence precedence, CiInputResolver resolver, CmdbWriter writer,
    ICmdbBulkWriter bulk, IClock clock)
    : IRequestHandler<ImportCmdb, CmdbImportResult>
{
    /// <summary>Ids or keys per set query, and rows per save: large enough for speed, small enough for any database.</summary>
    private const int Batch = 2000;

    private const string CiKind = "ci", RelationshipKind = "relationship";

    private sealed class CiPlan(CmdbImportCi row, CiClass cls)
    {
        public CmdbImportCi Row { get; } = row;
        public CiClass Class { get; } = cls;
        public CiValues? Values { get; set; }
        public string? Identity { get; set; }
        public Dictionary<string, string[]>? Errors { get; set; }
        public ConfigurationItem? Existing { get; set; }
        public IReadOnlyList<(string Field, string? Old, string? New)> Changes { get; set; } = [];
        /// <summary>The CI the row ends up as: the existing one, or the one it registers.</summary>
        public ConfigurationItem? Ci { get; set; }
    }

    public async Task<CmdbImportResult> Handle(ImportCmdb r, CancellationToken ct)
    {
        var actor = user.Actor;
        var source = r.Source!.Trim();
        var rejections = new List<CmdbImportRejection>();
        var tracker = db.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        // Thousands of rows: each changed entity is detected by itself, not every tracked one on every save.
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var plans = await PlanCisAsync(r.Cis, source, actor, rejections, ct);
            CmdbChangeset? changeset = null;
            var creates = plans.Values.Where(p => p.Existing is null).Distinct().ToList();
            var updates = plans.Values.Where(p => p.Existing is not null && p.Changes.Count > 0).Distinct().ToList();
            if (creates.Count > 0 || updates.Count > 0)
            {
                changeset = await writer.BeginAsync(actor, r.Reason, r.ChangeNumber, source, ct);
                await WriteCisAsync(creates, updates, source, changeset, ct);
            }
            var (linked, unchangedLinks) = await ImportRelationshipsAsync(r.Relationships, plans, source, actor, rejections, changeset, ct);
            if (linked.Count > 0)
            {
                changeset ??= await writer.BeginAsync(actor, r.Reason, r.ChangeNumber, source, ct);
                await WriteRelationshipsAsync(linked, changeset, ct);
            }
            var ciRejected = rejections.Count(x => x.Kind == CiKind);
            return new CmdbImportResult(changeset?.Id, creates.Count, updates.Count, plans.Values.Distinct().Count() - creates.Count - updates.Count,
                ciRejected, new CmdbImportRelationshipCounts(linked.Count, unchangedLinks, rejections.Count - ciRejected),
                rejections.OrderBy(x => x.Kind == CiKind ? 0 : 1).ThenBy(x => x.Row).ToList());
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// Checks every CI row and decides what it does: register, update (with the changes precedence lets through) or
    /// nothing. Existing CIs are found with a few set queries: by (source, key), then by identity key.
    /// </summary>
    private async Task<Dictionary<int, CiPlan>> PlanCisAsync(IReadOnlyList<CmdbImportCi> rows, string source, Actor actor,
        List<CmdbImportRejection> rejections, CancellationToken ct)
    {
        void Reject(CmdbImportCi row, string? field, string reason) => rejections.Add(new CmdbImportRejection(row.Row, CiKind, row.Key, reason, field));
        void RejectErrors(CmdbImportCi row, Dictionary<string, string[]> errors) =>
            Reject(row, errors.Keys.First(), string.Join(" ", errors.SelectMany(e => e.Value)));

        var candidates = new List<CiPlan>();
        var keyRows = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Problem is { } p) { Reject(row, p.Field, p.Message); continue; }
            if (row.Key is { } key && !keyRows.TryAdd(key, row.Row)) { Reject(row, "key", $"The key '{key}' is already on row {keyRows[key]}."); continue; }
            var cls = model.FindClass(row.Class);
            if (cls is { IsAbstract: true })
            {
                Reject(row, "class", $"'{cls.Code}' is abstract: choose one of its subclasses ({string.Join(", ", model.WithSubclasses(cls).Where(c => !c.IsAbstract).Select(c => c.Code))}).");
                continue;
            }
            try
            {
                cls = model.RequireConcreteClass("class", row.Class);
            }
            catch (FieldValidationException e)
            {
                RejectErrors(row, e.Errors.ToDictionary(x => x.Key, x => x.Value));
                continue;
            }
            // As a new CI first: that gives the identity key to look it up by; a found CI is checked again below.
            var (values, errors) = await resolver.ResolveAsync(cls, row.Values, null, ct);
            candidates.Add(new CiPlan(row, cls) { Values = values, Errors = errors, Identity = CiValidation.IdentityKey(cls, values) });
        }

        var byKey = new Dictionary<string, ConfigurationItem>(StringComparer.Ordinal);
        foreach (var chunk in candidates.Where(c => c.Row.Key is not null).Select(c => c.Row.Key!).Chunk(Batch))
            foreach (var ci in await db.ConfigurationItems.AsNoTracking().Where(c => c.Source == source && chunk.Contains(c.NativeKey!)).ToListAsync(ct))
                byKey[ci.NativeKey!] = ci;
        var byIdentity = new Dictionary<string, List<ConfigurationItem>>(StringComparer.Ordinal);
        var loaded = byKey.Values.ToDictionary(c => c.Id); // one object per CI, however it was found
        // With the class codes the (ClassCode, IdentityKey) index answers each key; on the key alone the database reads the
        // whole index for every chunk. (No "IS NOT NULL" either: with it, SQLite scans each class's part of the index.)
        var classCodes = model.Classes.Select(c => c.Code).ToList();
        foreach (var chunk in candidates.Where(c => c.Identity is not null).Select(c => c.Identity!).Distinct().Chunk(Batch))
            foreach (var found in await db.ConfigurationItems.AsNoTracking().Where(c => classCodes.Contains(c.ClassCode) && chunk.Contains(c.IdentityKey!)).ToListAsync(ct))
            {
                var ci = loaded.TryGetValue(found.Id, out var same) ? same : loaded[found.Id] = found;
                if (!byIdentity.TryGetValue(ci.IdentityKey!, out var list)) byIdentity[ci.IdentityKey!] = list = [];
                list.Add(ci);
            }

        var plans = new Dictionary<int, CiPlan>();
        var claimed = new Dictionary<long, int>();
        var newIdentities = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var plan in candidates)
        {
            var row = plan.Row;
            var identifiers = string.Join(" and ", plan.Class.Identifiers);
            var keyed = row.Key is { } k ? byKey.GetValueOrDefault(k) : null;
            var identified = plan.Identity is { } id && byIdentity.TryGetValue(id, out var list)
                ? list.FirstOrDefault(c => c.ClassCode == plan.Class.Code) ?? list[0] : null;
            if (keyed is not null && identified is not null && keyed.Id != identified.Id)
            {
                Reject(row, "identifiers", $"The key '{row.Key}' names CI #{keyed.Id}, but its {identifiers} are those of CI #{identified.Id}.");
                continue;
            }
            var existing = keyed ?? identified;
            if (existing is null)
            {
                if (plan.Errors!.Count > 0) { RejectErrors(row, plan.Errors); continue; }
                if (plan.Identity is null && row.Key is null)
                {
                    Reject(row, "key", $"Give the row a key, or its {identifiers}: a re-import must be able to recognise it.");
                    continue;
                }
                if (plan.Identity is { } identity && !newIdentities.TryAdd(identity, row.Row))
                {
                    Reject(row, "identifiers", $"Row {newIdentities[identity]} has the same {identifiers}.");
                    continue;
                }
                plans[row.Row] = plan;
                continue;
            }
            if (claimed.TryGetValue(existing.Id, out var earlier)) { Reject(row, "key", $"Row {earlier} already imports CI #{existing.Id}."); continue; }
            if (!actor.MaySee(existing.Restricted, existing.OwnerGroupId, existing.SupportGroupId))
            {
                Reject(row, "key", "It matches a restricted CI that you may not change.");
                continue;
            }
            if (!string.Equals(existing.ClassCode, plan.Class.Code, StringComparison.Ordinal))
            {
                Reject(row, "class", $"CI #{existing.Id} is a {existing.ClassCode}, not a {plan.Class.Code}.");
                continue;
            }
            var (merged, errors) = await resolver.ResolveAsync(plan.Class, row.Values, existing.CurrentValues(), ct);
            if (errors.Count > 0) { RejectErrors(row, errors); continue; }
            claimed[existing.Id] = row.Row;
            plan.Values = merged;
            plan.Existing = existing;
            plan.Ci = existing;
            plan.Changes = existing.PendingChanges(merged, source, precedence);
            plans[row.Row] = plan;
        }
        return plans;
    }

    /// <summary>
    /// The new CIs and their entries go past the change tracker (<see cref="ICmdbBulkWriter"/>): they are most of the
    /// rows, and SaveChanges spent seconds of CPU on them. The updates, few and version-checked, stay on EF.
    /// </summary>
    private async Task WriteCisAsync(List<CiPlan> creates, List<CiPlan> updates, string source, CmdbChangeset changeset, CancellationToken ct)
    {
        var cis = creates.Select(p => p.Ci = ConfigurationItem.Register(p.Class, p.Values!, source, p.Row.Key, changeset)).ToList();
        await bulk.InsertAsync(cis, ct); // gives them their ids, for the entries and the relationships
        await bulk.InsertAsync(cis.Select(ci => CmdbChangeEntry.Created(changeset.Id, ci)).ToList(), ct);
        foreach (var chunk in updates.Chunk(Batch))
        {
            foreach (var plan in chunk)
            {
                var ci = plan.Existing!;
                db.ConfigurationItems.Attach(ci); // before the change, so its version is checked on save
                var changes = ci.Update(plan.Class, plan.Values!, source, precedence, changeset);
                db.Entry(ci).DetectChanges();
                writer.RecordUpdate(changeset, ci, changes);
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// Resolves each relationship row's ends (keys of this import or of the source's earlier imports, or <c>#id</c>),
    /// skips those already alive, and checks the rest against the type's class rules. Returns the ones to create.
    /// </summary>
    private sealed record Link(RelationshipType Type, ConfigurationItem Source, CiClass SourceClass, ConfigurationItem Target, CiClass TargetClass);

    private async Task<(List<Link> Linked, int Unchanged)> ImportRelationshipsAsync(IReadOnlyList<CmdbImportRelationship> rows,
        Dictionary<int, CiPlan> plans, string source, Actor actor, List<CmdbImportRejection> rejections, CmdbChangeset? changeset, CancellationToken ct)
    {
        void Reject(CmdbImportRelationship row, string? field, string reason) =>
            rejections.Add(new CmdbImportRejection(row.Row, RelationshipKind, $"{row.Source} {row.Type} {row.Target}", reason, field));
        if (rows.Count == 0) return ([], 0);

        var inFile = plans.Values.Where(p => p.Row.Key is not null).ToDictionary(p => p.Row.Key!, StringComparer.Ordinal);
        var rejectedKeys = rejections.Where(x => x.Kind == CiKind && x.Key is not null).GroupBy(x => x.Key!)
            .ToDictionary(g => g.Key, g => g.First().Row, StringComparer.Ordinal);
        var ids = new HashSet<long>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
            foreach (var end in new[] { row.Source, row.Target })
                if (Id(end) is { } id) ids.Add(id);
                else if (end is not null && !inFile.ContainsKey(end.Trim())) keys.Add(end.Trim());
        var byId = new Dictionary<long, ConfigurationItem>();
        foreach (var chunk in ids.Chunk(Batch))
            foreach (var ci in await db.ConfigurationItems.AsNoTracking().Where(c => chunk.Contains(c.Id)).ToListAsync(ct))
                byId[ci.Id] = ci;
        var byKey = new Dictionary<string, ConfigurationItem>(StringComparer.Ordinal);
        foreach (var chunk in keys.Chunk(Batch))
            foreach (var ci in await db.ConfigurationItems.AsNoTracking().Where(c => c.Source == source && chunk.Contains(c.NativeKey!)).ToListAsync(ct))
                byKey[ci.NativeKey!] = ci;

        // Sized up front: tens of thousands of rows, and growing these by doubling cost more than filling them.
        var candidates = new List<(CmdbImportRelationship Row, RelationshipType Type, ConfigurationItem Source, ConfigurationItem Target)>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Problem is { } p) { Reject(row, p.Field, p.Message); continue; }
            var type = model.FindType(row.Type);
            if (type is null)
            {
                Reject(row, "type", row.Type is null ? "A relationship needs a type." : $"'{row.Type}' is not a relationship type. Types: {string.Join(", ", model.Types.Select(t => t.Code))}.");
                continue;
            }
            var (from, fromError) = End(row.Source, "source");
            var (to, toError) = End(row.Target, "target");
            if (fromError is not null) { Reject(row, "source", fromError); continue; }
            if (toError is not null) { Reject(row, "target", toError); continue; }
            candidates.Add((row, type, from!, to!));
        }

        // The live relationships of the CIs that were here before: one query per batch, never one per row.
        var alive = new HashSet<(long, long, string)>();
        var created = plans.Values.Where(p => p.Existing is null).Select(p => p.Ci?.Id ?? 0).ToHashSet();
        foreach (var chunk in candidates.Select(c => c.Source.Id).Where(id => !created.Contains(id)).Distinct().Chunk(Batch))
            foreach (var x in await db.Relationships.AsNoTracking().Where(x => x.DeletedAt == null && chunk.Contains(x.SourceId))
                         .Select(x => new { x.SourceId, x.TargetId, x.TypeCode }).ToListAsync(ct))
                alive.Add((x.SourceId, x.TargetId, x.TypeCode));

        // Nothing may be written yet: the rules are checked against a changeset not saved, and stamped again for real.
        var stamp = changeset ?? new CmdbChangeset(actor.UserId, actor.UserName, clock.UtcNow, null, null, source);
        var linked = new List<Link>(candidates.Count);
        var inThisFile = new Dictionary<(long, long, string), int>(candidates.Count);
        var unchanged = 0;
        foreach (var (row, type, from, to) in candidates)
        {
            var pair = (from.Id, to.Id, type.Code);
            if (alive.Contains(pair)) { unchanged++; continue; }
            if (!inThisFile.TryAdd(pair, row.Row)) { Reject(row, null, $"Row {inThisFile[pair]} has the same relationship."); continue; }
            var fromClass = model.FindClass(from.ClassCode);
            var toClass = model.FindClass(to.ClassCode);
            if (fromClass is null || toClass is null) { Reject(row, null, "One end's class is no longer in the CMDB model."); continue; }
            try
            {
                Relationship.Link(type, from, fromClass, to, toClass, stamp);
                linked.Add(new Link(type, from, fromClass, to, toClass));
            }
            catch (BusinessRuleException e)
            {
                Reject(row, e.Rule == "relationship-class-not-allowed" ? "type" : null, e.Message);
            }
        }
        return (linked, unchanged);

        (ConfigurationItem?, string?) End(string? end, string which)
        {
            if (string.IsNullOrWhiteSpace(end)) return (null, $"A relationship needs a {which}.");
            end = end.Trim();
            if (end.StartsWith('#'))
            {
                var id = Id(end);
                return id is { } i && byId.TryGetValue(i, out var ci) && actor.MaySee(ci.Restricted, ci.OwnerGroupId, ci.SupportGroupId)
                    ? (ci, null) : (null, $"There is no CI {end}.");
            }
            if (inFile.TryGetValue(end, out var plan)) return (plan.Ci, null);
            if (rejectedKeys.TryGetValue(end, out var rejectedRow)) return (null, $"Its {which} '{end}' (CI row {rejectedRow}) was rejected.");
            if (byKey.TryGetValue(end, out var known))
                return actor.MaySee(known.Restricted, known.OwnerGroupId, known.SupportGroupId) ? (known, null) : (null, $"No CI has the key '{end}' from source '{source}'.");
            return (null, $"No CI has the key '{end}' in this import or from source '{source}'.");
        }
    }

    private async Task WriteRelationshipsAsync(List<Link> linked, CmdbChangeset changeset, CancellationToken ct)
    {
        var relationships = linked.Select(l => Relationship.Link(l.Type, l.Source, l.SourceClass, l.Target, l.TargetClass, changeset)).ToList();
        await bulk.InsertAsync(relationships, ct); // their ids, for the entries
        await bulk.InsertAsync(relationships.Select(x => CmdbChangeEntry.Linked(changeset.Id, x)).ToList(), ct);
    }

    private static long? Id(string? end) =>
        end is not null && end.Trim() is ['#', .. var digits] && long.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0
            ? id : null;
}
