using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Processes;
using MediatR;

namespace Itsm.Application.Features.Tickets;

public sealed record TicketTransitioned(string Number, TransitionOutcome Outcome);
