using Itsm.Domain.Identity;

namespace Itsm.Domain.Processes;

public sealed record GuardContext(IGuardedTicket Ticket, Actor Actor, DateTimeOffset Now, ProcessDefinition Process);
