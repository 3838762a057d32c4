using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Problems;

/// <summary>
/// After a problem's fix is applied, the service desk resolves its open linked incidents in one step, each with the
/// given resolution code (default: solved permanently) and a note naming the problem. Returns the incidents resolved.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.Admin)]
public sealed record ResolveLinkedIncidents(string ProblemNumber, string? ResolutionCode = null, string? ResolutionNotes = null)
    : IRequest<IReadOnlyList<string>>, ICommand
{
    public const string DefaultResolutionCode = "solved-permanently";
}

public sealed class ResolveLinkedIncidentsHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes)
    : IRequestHandler<ResolveLinkedIncidents, IReadOnlyList<string>>
{
    public async Task<IReadOnlyList<string>> Handle(ResolveLinkedIncidents r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var problem = await db.Problems.LoadVisibleAsync(TicketKind.Problem, r.ProblemNumber, actor, ct);
        if (problem.ResolutionCode != ProblemVocabulary.FixApplied)
            throw new BusinessRuleException("problem-not-fixed", $"{problem.Number} is not resolved with a fix applied; its incidents cannot be resolved by it.");
        var process = processes.For(TicketKind.Incident);
        var code = string.IsNullOrWhiteSpace(r.ResolutionCode) ? ResolveLinkedIncidents.DefaultResolutionCode : r.ResolutionCode.Trim();
        if (process.ResolutionCodes.All(c => c.Id != code))
            throw new FieldValidationException("resolutionCode", $"'{code}' is not a resolution code. Known: {string.Join(", ", process.ResolutionCodes.Select(c => c.Id))}.");
        var active = process.ActiveStates.ToList();
        var incidents = await db.Incidents.Where(i => i.ProblemId == problem.Id && active.Contains(i.State)).OrderBy(i => i.Number).ToListAsync(ct);
        var resolved = new List<string>();
        var notes = string.IsNullOrWhiteSpace(r.ResolutionNotes) ? $"Resolved by the fix of problem {problem.Number}: {problem.ResolutionNotes}" : r.ResolutionNotes.Trim();
        foreach (var incident in incidents)
            if (incident.ResolveWithProblem(problem, code, notes, process, actor, now) is not null)
                resolved.Add(incident.Number);
        await db.SaveChangesAsync(ct);
        return resolved;
    }
}
