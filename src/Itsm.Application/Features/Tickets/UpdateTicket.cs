using Itsm.Application.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// The fields every kind of ticket has, as a partial update: only the fields that are set change. A module's update
/// (<c>UpdateIncident</c>, <c>UpdateProblem</c>) derives from it and adds its own.
/// </summary>
public abstract record UpdateTicket
{
    public string Number { get; init; } = "";
    public int? ExpectedVersion { get; init; }
    public Optional<string> ShortDescription { get; init; }
    public Optional<string?> Description { get; init; }
    public Optional<int> Impact { get; init; }
    public Optional<int> Urgency { get; init; }
    public Optional<string?> Category { get; init; }
    public Optional<Guid?> AssignmentGroupId { get; init; }
    public Optional<string?> AssigneeId { get; init; }
    /// <summary>1–4 to override the matrix (needs a reason), null to return to the matrix.</summary>
    public Optional<int?> PriorityOverride { get; init; }
    public Optional<string?> PriorityOverrideReason { get; init; }

    /// <summary>The checks of the common fields, for each module's validator.</summary>
    public IEnumerable<(string, string)> ValidateCommon()
    {
        if (Impact.IsSet && !Enum.IsDefined(typeof(Impact), Impact.Value)) yield return ("impact", "Impact must be 1, 2 or 3.");
        if (Urgency.IsSet && !Enum.IsDefined(typeof(Urgency), Urgency.Value)) yield return ("urgency", "Urgency must be 1, 2 or 3.");
        if (PriorityOverride is { IsSet: true, Value: { } p } && p is < 1 or > 4) yield return ("priorityOverride", "Priority must be 1, 2, 3 or 4.");
        if (PriorityOverride is { IsSet: true, Value: not null } && string.IsNullOrWhiteSpace(PriorityOverrideReason.Value))
            yield return ("priorityOverrideReason", "Overriding the priority needs a reason.");
    }
}
