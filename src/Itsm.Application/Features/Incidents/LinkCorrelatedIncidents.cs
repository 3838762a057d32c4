using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Incidents;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Incidents;

/// <summary>
/// From a correlation, in one step: makes this incident the major incident of the correlated ones
/// (<see cref="MajorIncident"/>), or raises a problem from this incident and links it and all of them to it
/// (<see cref="Problem"/>). All or nothing: one incident that cannot be linked refuses the whole step.
/// </summary>
[AuthorizeRoles(Roles.Agent, Roles.ProblemManager, Roles.Admin)]
public sealed record LinkCorrelatedIncidents(string Number, IReadOnlyList<string> Incidents, string? As) : IRequest<CorrelatedIncidentsLinked>, ICommand
{
    public const string MajorIncident = "major-incident";
    public const string Problem = "problem";
    public const int MaxIncidents = 100;
}

/// <summary>What was done: the major incident or the new problem, and the incidents now linked under it.</summary>
public sealed record CorrelatedIncidentsLinked(string As, string Number, IReadOnlyList<string> Linked);

public sealed class LinkCorrelatedIncidentsValidator : IRequestValidator<LinkCorrelatedIncidents>
{
    public IEnumerable<(string, string)> Validate(LinkCorrelatedIncidents r)
    {
        if (r.As is not (LinkCorrelatedIncidents.MajorIncident or LinkCorrelatedIncidents.Problem))
            yield return ("as", $"Link as '{LinkCorrelatedIncidents.MajorIncident}' or '{LinkCorrelatedIncidents.Problem}'.");
        if (r.Incidents.Count == 0) yield return ("incidents", "Give at least one incident.");
        if (r.Incidents.Count > LinkCorrelatedIncidents.MaxIncidents) yield return ("incidents", $"At most {LinkCorrelatedIncidents.MaxIncidents} incidents.");
        var bad = r.Incidents.Where(n => !TicketNumber.TryParse((n ?? "").Trim().ToUpperInvariant(), out var t) || t.Kind != TicketKind.Incident).Take(3).ToList();
        if (bad.Count > 0) yield return ("incidents", $"Not incident numbers: {string.Join(", ", bad.Select(b => b.Length > 24 ? b[..24] + "…" : b))}.");
    }
}

public sealed class LinkCorrelatedIncidentsHandler(IItsmDbContext db, ICurrentUser user, IClock clock, IProcessCatalog processes, ITicketNumberGenerator numbers)
    : IRequestHandler<LinkCorrelatedIncidents, CorrelatedIncidentsLinked>
{
    public async Task<CorrelatedIncidentsLinked> Handle(LinkCorrelatedIncidents r, CancellationToken ct)
    {
        var actor = user.Actor;
        var now = clock.UtcNow;
        var subject = await db.Incidents.LoadVisibleAsync(TicketKind.Incident, r.Number, actor, ct);
        var keys = r.Incidents.Select(n => n.Trim().ToUpperInvariant()).Distinct().ToList();
        if (keys.Contains(subject.Number))
            throw new FieldValidationException("incidents", $"{subject.Number} is the incident the others are linked to; leave it out of the list.");
        var others = await db.Incidents.Where(i => keys.Contains(i.Number)).ToListAsync(ct);
        var missing = keys.Except(others.Select(o => o.Number)).ToList();
        if (missing.Count > 0) throw new FieldValidationException("incidents", $"There is no incident {string.Join(", ", missing.Take(5))}.");
        var ordered = others.OrderBy(o => o.Number, StringComparer.Ordinal).ToList();

        if (r.As == LinkCorrelatedIncidents.MajorIncident)
        {
            var ids = ordered.Select(o => o.Id).ToList();
            // A major incident's children cannot have children of their own (as UpdateIncident refuses).
            var parents = await db.Incidents.Where(i => i.ParentIncidentId != null && ids.Contains(i.ParentIncidentId.Value))
                .Select(i => i.ParentIncidentNumber).Distinct().ToListAsync(ct);
            if (parents.Count > 0)
                throw new BusinessRuleException("parent-nested", $"{string.Join(", ", parents)} {(parents.Count == 1 ? "has" : "have")} child incidents of {(parents.Count == 1 ? "its" : "their")} own; they cannot become children.");
            foreach (var o in ordered) o.LinkToParent(subject, actor, now);
            await db.SaveChangesAsync(ct);
            return new CorrelatedIncidentsLinked(r.As, subject.Number, ordered.Select(o => o.Number).ToList());
        }

        var process = processes.For(TicketKind.Problem);
        var problem = Problem.Log(await numbers.NextAsync(TicketKind.Problem, ct), subject.ShortDescription, subject.Description,
            subject.Impact, subject.Urgency, subject.CategoryCode, actor, process, now);
        db.Tickets.Add(problem);
        subject.LinkToProblem(problem, actor, now);
        foreach (var o in ordered) o.LinkToProblem(problem, actor, now);
        await db.SaveChangesAsync(ct);
        return new CorrelatedIncidentsLinked(r.As!, problem.Number, [subject.Number, .. ordered.Select(o => o.Number)]);
    }
}
