using Itsm.Domain.Processes;

namespace Itsm.Domain.Tickets;

/// <summary>The guards, fields and effects of the ticket core, open to every process.</summary>
public sealed class TicketVocabulary : IProcessVocabulary
{
    public IEnumerable<Guard> Guards =>
    [
        new("has-assignee", "the ticket has an assignee",
            c => c.Ticket.AssigneeId is not null),
        new("has-assignment-group", "the ticket has an assignment group",
            c => c.Ticket.AssignmentGroupId is not null),
        new("resolution-recorded", "a resolution code and notes are recorded",
            c => !string.IsNullOrWhiteSpace(c.Ticket.ResolutionCode) && !string.IsNullOrWhiteSpace(c.Ticket.ResolutionNotes)),
        new("within-reopen-window", "the ticket was resolved within the reopen window",
            c => c.Ticket.ResolvedAt is { } at && c.Now - at <= TimeSpan.FromDays(c.Process.ReopenWindowDays)),
        new("is-caller", "the person acting is the ticket's caller",
            c => c.Ticket.RequesterId == c.Actor.UserId),
        new("is-caller-or-fulfiller", "the person acting is the caller or works tickets",
            c => c.Ticket.RequesterId == c.Actor.UserId || c.Actor.IsFulfiller),
    ];

    public IEnumerable<TransitionField> Fields =>
    [
        new(TransitionFields.ResolutionCode, "Resolution code", 60, p => p.ResolutionCodes),
        new(TransitionFields.ResolutionNotes, "Resolution notes"),
        new(TransitionFields.HoldReason, "On-hold reason", 60, p => p.HoldReasons),
        new(TransitionFields.CancelReason, "Reason for canceling", 2000),
        new(TransitionFields.ReopenReason, "Why it is not solved"),
    ];

    public IEnumerable<TransitionEffect> Effects =>
    [
        new(TransitionEffects.RecordResolution, "records the resolution code and notes, and when it was resolved",
            [TransitionFields.ResolutionCode], [TransitionFields.ResolutionNotes], null,
            c => c.Ticket.RecordResolution(c.Value(TransitionFields.ResolutionCode)!, c.Value(TransitionFields.ResolutionNotes), c.Actor, c.Now)),
        new(TransitionEffects.RecordHoldReason, "records why work is paused (cleared by the next transition)",
            [TransitionFields.HoldReason], [], null,
            c => c.Ticket.RecordHoldReason(c.Value(TransitionFields.HoldReason)!, c.Actor, c.Now)),
        new(TransitionEffects.RecordCancelReason, "records why the ticket was canceled",
            [TransitionFields.CancelReason], [], null,
            c => c.Ticket.RecordCancelReason(c.Value(TransitionFields.CancelReason)!, c.Actor, c.Now)),
        new(TransitionEffects.Reopen, "counts a reopen, clears the resolution and adds the reason as a comment",
            [], [TransitionFields.ReopenReason], null,
            c => c.Ticket.Reopen(c.Value(TransitionFields.ReopenReason), c.Actor, c.Now)),
    ];
}
