using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Tickets;

/// <summary>
/// A ticket listed on another record's page (a CI's open incidents and changes, a change's incidents): enough to
/// recognise it and follow the link. The change fields are set for changes only.
/// </summary>
/// <param name="Kind">incident, problem or change.</param>
/// <param name="Outcome">For a change that was implemented: its recorded outcome (successful, failed, backed-out…).</param>
public sealed record LinkedTicketView(string Number, string Kind, string ShortDescription, string State, string StateLabel, Priority Priority,
    DateTimeOffset OpenedAt, DateTimeOffset? PlannedStart = null, DateTimeOffset? PlannedEnd = null, string? Risk = null, string? Outcome = null);
