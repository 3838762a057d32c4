using Itsm.Application.Features.Tickets;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Problems;

/// <summary>An incident linked to a problem, as the problem's page lists it.</summary>
public sealed record LinkedIncident(string Number, string ShortDescription, string State, string StateLabel, bool IsActive, string? HoldReason);
