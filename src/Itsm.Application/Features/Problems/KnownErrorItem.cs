using Itsm.Application.Features.Tickets;
using Itsm.Domain.Problems;
using Itsm.Domain.Tickets;

namespace Itsm.Application.Features.Problems;

/// <summary>A published known error: what the service desk searches when a familiar fault comes in.</summary>
public sealed record KnownErrorItem(string Number, string ShortDescription, string RootCause, string Workaround, string State, string StateLabel,
    DateTimeOffset PublishedAt, int LinkedIncidents);
