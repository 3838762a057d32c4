using Itsm.Domain.Processes;

namespace Itsm.Domain.Changes;

/// <summary>What change management adds to the process vocabulary: guards on the type, the plan and the conflicts.</summary>
public sealed class ChangeVocabulary : IProcessVocabulary
{
    public IEnumerable<Guard> Guards =>
    [
        new("standard-change", "the change is a standard change", c => c.Ticket is Change { Type: ChangeType.Standard }),
        new("normal-change", "the change is a normal change", c => c.Ticket is Change { Type: ChangeType.Normal }),
        new("emergency-change", "the change is an emergency change", c => c.Ticket is Change { Type: ChangeType.Emergency }),
        new("change-planned", "the change has a justification, implementation, backout and test plans, a planned window, an implementer and an affected CI",
            c => c.Ticket is Change { IsPlanned: true }),
        new("no-conflicts", "the last assessment found no conflict", c => c.Ticket is Change { AssessedAt: not null, ConflictCount: 0 }),
        new("is-implementer-or-change-manager", "the person acting is the change's implementer or a change manager",
            c => c.Ticket is Change ch && (ch.IsImplementer(c.Actor) || c.Actor.IsInRole(Identity.Roles.ChangeManager) || c.Actor.IsInRole(Identity.Roles.Admin))),
    ];

    public const string ReworkReason = "reworkReason";
    public const string RecordRework = "record-rework";

    public IEnumerable<TransitionField> Fields =>
    [
        new(ReworkReason, "Why it goes back to New", 2000),
    ];

    public IEnumerable<TransitionEffect> Effects =>
    [
        new(RecordRework, "records why the change goes back to New (its approvals are canceled and start again on resubmission)",
            [ReworkReason], [], Tickets.TicketKind.Change,
            c => ((Change)c.Ticket).RecordRework(c.Value(ReworkReason)!, c.Actor, c.Now)),
    ];
}
