using Itsm.Application.Features.Tickets;
using Itsm.Domain.Incidents;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Incidents;

/// <summary>The problem an incident is linked to, as the incident's page shows it.</summary>
public sealed record LinkedProblem(string Number, string ShortDescription, string State, string StateLabel, bool IsKnownError, string? Workaround);
