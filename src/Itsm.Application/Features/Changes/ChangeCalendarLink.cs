using Itsm.Application.Common;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Application.Features.Changes;

/// <summary>Whether the caller has a live calendar link, and since when.</summary>
public sealed record CalendarLinkStatus(bool Active, DateTimeOffset? Since);

/// <summary>The secret of a new calendar link: shown once, never stored in the clear.</summary>
public sealed record IssuedCalendarLink(string Secret);

[AuthorizeRoles]
public sealed record GetChangeCalendarLink : IRequest<CalendarLinkStatus>;

/// <summary>Makes the caller a personal link to the change calendar's ICS feed; their earlier link stops working.</summary>
[AuthorizeRoles]
public sealed record IssueChangeCalendarLink : IRequest<IssuedCalendarLink>, ICommand;

[AuthorizeRoles]
public sealed record RevokeChangeCalendarLink : IRequest<CalendarLinkStatus>, ICommand;

/// <summary>
/// The ICS feed's data for whoever owns the link (no sign-in: the link is the credential): from 30 days back to 90 ahead.
/// An unknown or revoked link, or one whose owner no longer sees changes, is "not found".
/// </summary>
public sealed record ReadChangeCalendarFeed(string Secret) : IRequest<ChangeCalendarView>;

public sealed class ChangeCalendarLinkHandlers(ICurrentUser user, ICalendarFeedLinks links, IUserDirectory users, IClock clock, ChangeCalendarReader reader)
    : IRequestHandler<GetChangeCalendarLink, CalendarLinkStatus>, IRequestHandler<IssueChangeCalendarLink, IssuedCalendarLink>,
      IRequestHandler<RevokeChangeCalendarLink, CalendarLinkStatus>, IRequestHandler<ReadChangeCalendarFeed, ChangeCalendarView>
{
    public static readonly TimeSpan Back = TimeSpan.FromDays(30), Ahead = TimeSpan.FromDays(90);

    public async Task<CalendarLinkStatus> Handle(GetChangeCalendarLink r, CancellationToken ct)
    {
        TicketAccess.EnsureMayRead(TicketKind.Change, user.Actor);
        var since = await links.ActiveSinceAsync(user.Actor.UserId, ct);
        return new CalendarLinkStatus(since is not null, since);
    }

    public async Task<IssuedCalendarLink> Handle(IssueChangeCalendarLink r, CancellationToken ct)
    {
        TicketAccess.EnsureMayRead(TicketKind.Change, user.Actor);
        return new IssuedCalendarLink(await links.IssueAsync(user.Actor.UserId, ct));
    }

    public async Task<CalendarLinkStatus> Handle(RevokeChangeCalendarLink r, CancellationToken ct)
    {
        TicketAccess.EnsureMayRead(TicketKind.Change, user.Actor);
        await links.RevokeAsync(user.Actor.UserId, ct);
        return new CalendarLinkStatus(false, null);
    }

    public async Task<ChangeCalendarView> Handle(ReadChangeCalendarFeed r, CancellationToken ct)
    {
        var owner = await links.UserOfAsync(r.Secret, ct) is { } id ? await users.FindAsync(id, ct) : null;
        var actor = owner is null ? null : new Actor(owner.Id, owner.UserName, owner.Roles.ToHashSet(), new HashSet<Guid>());
        if (actor is null || !actor.IsFulfiller) throw new NotFoundException("Calendar");
        var now = clock.UtcNow;
        return await reader.ReadAsync(actor, now - Back, now + Ahead, ct);
    }
}
