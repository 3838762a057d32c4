using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes;

/// <summary>What raising and editing a change share: the implementer, the affected CIs, the questionnaire and the assessment.</summary>
public sealed class ChangeEditor(IItsmDbContext db, IUserDirectory users, ICmdbGraph graph, CmdbModel model, ChangeAssessor assessor)
{
    private static readonly string[] ImplementerRoles = [Roles.Engineer, Roles.ChangeManager, Roles.Admin];

    /// <summary>The implementer by id or user name: someone who implements changes (an engineer or a change manager).</summary>
    public async Task<UserInfo> ResolveImplementerAsync(string idOrUserName, CancellationToken ct)
    {
        var found = await users.FindAsync(idOrUserName.Trim(), ct)
                    ?? throw new FieldValidationException("implementer", $"There is no user '{idOrUserName.Trim()}'.");
        if (!found.Roles.Any(ImplementerRoles.Contains))
            throw new FieldValidationException("implementer", $"{found.DisplayName} does not implement changes: the implementer is an engineer or a change manager.");
        return found;
    }

    /// <summary>The questionnaire's answers must name its questions and answers; errors name the request's field, riskAnswers.&lt;question id&gt;.</summary>
    public void CheckRiskAnswers(IReadOnlyDictionary<string, string> answers)
    {
        // The risk model says "answers.<id>"; the commands and the API call the map riskAnswers, and a client matches errors to what it sent.
        var errors = assessor.Risk.CheckAnswers(answers)
            .GroupBy(e => e.Field.StartsWith("answers.", StringComparison.Ordinal) ? "riskAnswers." + e.Field["answers.".Length..] : e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        if (errors.Count > 0) throw new FieldValidationException(errors);
    }

    /// <summary>The CIs by id, visible to the caller and not retired; a standard change's must be of its template's classes.</summary>
    public async Task<List<ConfigurationItem>> FindCisAsync(IReadOnlyList<long> ids, StandardChangeTemplate? template, Actor actor, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var found = (await db.ConfigurationItems.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync(ct))
            .Where(c => actor.MaySee(c.Restricted, c.OwnerGroupId, c.SupportGroupId)).ToDictionary(c => c.Id);
        var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
        if (missing.Count > 0) throw new FieldValidationException("ciIds", $"There is no CI {string.Join(", ", missing)}.");
        var retired = found.Values.Where(c => c.Status == CiStatus.Retired).Select(c => c.Name).ToList();
        if (retired.Count > 0) throw new FieldValidationException("ciIds", $"{string.Join(", ", retired)} is retired; a retired CI is not changed.");
        if (template is not null) foreach (var ci in found.Values) CheckTemplateClass(template, ci.ClassCode, ci.Name, "ciIds");
        return ids.Select(id => found[id]).ToList();
    }

    /// <summary>A standard change touches only CIs of its template's classes (or their subclasses).</summary>
    public void CheckTemplateClass(StandardChangeTemplate template, string classCode, string ciName, string field)
    {
        var cls = model.FindClass(classCode);
        if (template.CiClasses.Any(c => model.FindClass(c) is { } allowed && cls?.IsA(allowed) == true)) return;
        throw new FieldValidationException(field,
            $"The standard change '{template.Name}' applies to {string.Join(", ", template.CiClasses)}; {ciName} is a {classCode}.");
    }

    /// <summary>Adds the CIs as affected CIs of a change being raised, audited, with its impacted services computed.</summary>
    public async Task AddAffectedCisAsync(Change change, IReadOnlyList<ConfigurationItem> cis, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (cis.Count == 0) return;
        var rows = new List<TicketConfigurationItem>();
        foreach (var ci in cis)
        {
            var row = new TicketConfigurationItem(change.Id, ci.Id, TicketCiRole.Affected, TicketCiOrigin.Manual, false, now, actor.UserName);
            db.TicketConfigurationItems.Add(row);
            rows.Add(row);
            change.RecordConfigurationItems(ImpactedServices.AffectedField, null, ImpactedServices.Label(ci.Id, ci.Name, ci.Restricted), actor, now);
        }
        await ImpactedServices.RefreshAsync(db, graph, model, change, rows, actor, now, ct);
    }

    /// <summary>The change's affected CIs as they stand in this unit of work.</summary>
    public Task<List<AssessedCi>> AffectedCisAsync(Change change, CancellationToken ct) => assessor.AffectedCisAsync(change, ct);

    /// <summary>Assesses the change (risk, conflicts) and records the result on it.</summary>
    public Task AssessAsync(Change change, DateTimeOffset now, CancellationToken ct) => assessor.AssessAndRecordAsync(change, now, ct);
}
