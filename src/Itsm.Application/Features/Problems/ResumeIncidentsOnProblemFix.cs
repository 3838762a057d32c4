using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Identity;
using Itsm.Domain.Problems;
using Itsm.Domain.Processes;
using Itsm.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Problems;

/// <summary>
/// When a problem is resolved with a fix applied, its linked incidents that wait for it (the incident process's
/// problem-fixed automatic transition, e.g. on hold for Awaiting Problem) move on by themselves.
/// </summary>
public sealed class ResumeIncidentsOnProblemFix(IItsmDbContext db, IProcessCatalog processes) : ITransitionReaction
{
    public TicketKind Kind => TicketKind.Problem;

    public async Task ReactAsync(Ticket ticket, TransitionOutcome outcome, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (!outcome.Did(TransitionEffects.RecordResolution) || ticket.ResolutionCode != ProblemVocabulary.FixApplied) return;
        var process = processes.For(TicketKind.Incident);
        var waiting = process.AutomaticTransitions.Where(a => a.Trigger == AutomaticTrigger.ProblemFixed).Select(a => a.From).Distinct().ToList();
        if (waiting.Count == 0) return;
        var incidents = await db.Incidents.Where(i => i.ProblemId == ticket.Id && waiting.Contains(i.State)).ToListAsync(ct);
        foreach (var incident in incidents)
            if (incident.AutomaticFor(process, AutomaticTrigger.ProblemFixed) is { } auto)
                incident.ApplyAutomatic(process, auto, actor, now);
    }
}
