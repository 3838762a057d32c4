using Itsm.Application.Common;
using Itsm.Domain.Changes.Cab;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Changes.Cab;

/// <summary>The change manager opens the meeting: from now on the board's decisions are recorded.</summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record StartCabMeeting(Guid Id, int? ExpectedVersion = null) : IRequest<CabMeetingView>, ICommand;

/// <summary>The change manager closes the meeting: its decisions and minutes become the record and change no more.</summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record CloseCabMeeting(Guid Id, int? ExpectedVersion = null) : IRequest<CabMeetingView>, ICommand;

/// <summary>The change manager writes the minutes (the whole text; blank clears them), before or during the meeting.</summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record RecordCabMinutes(Guid Id, string? Minutes, int? ExpectedVersion = null) : IRequest<CabMeetingView>, ICommand;

/// <summary>The change manager puts the agenda in another order: every change on it, each once.</summary>
[AuthorizeRoles(Roles.ChangeManager, Roles.Admin)]
public sealed record ReorderCabAgenda(Guid Id, IReadOnlyList<string> ChangeNumbers, int? ExpectedVersion = null) : IRequest<CabMeetingView>, ICommand;

public sealed class RecordCabMinutesValidator : IRequestValidator<RecordCabMinutes>
{
    public IEnumerable<(string, string)> Validate(RecordCabMinutes r)
    {
        if (r.Minutes is { Length: > CabMeeting.MinutesMax }) yield return ("minutes", $"At most {CabMeeting.MinutesMax} characters.");
    }
}

public sealed class ReorderCabAgendaValidator : IRequestValidator<ReorderCabAgenda>
{
    public IEnumerable<(string, string)> Validate(ReorderCabAgenda r)
    {
        if (r.ChangeNumbers.Count == 0) yield return ("changeNumbers", "Give the changes of the agenda in their new order.");
        if (r.ChangeNumbers.Count > CabMeeting.MaxItems) yield return ("changeNumbers", $"An agenda has at most {CabMeeting.MaxItems} changes.");
    }
}

public sealed class RunCabMeetingHandlers(IItsmDbContext db, ICurrentUser user, IClock clock, IMediator mediator) :
    IRequestHandler<StartCabMeeting, CabMeetingView>,
    IRequestHandler<CloseCabMeeting, CabMeetingView>,
    IRequestHandler<RecordCabMinutes, CabMeetingView>,
    IRequestHandler<ReorderCabAgenda, CabMeetingView>
{
    public Task<CabMeetingView> Handle(StartCabMeeting r, CancellationToken ct) =>
        RunAsync(r.Id, r.ExpectedVersion, m => m.Start(user.Actor, clock.UtcNow), ct);

    public Task<CabMeetingView> Handle(CloseCabMeeting r, CancellationToken ct) =>
        RunAsync(r.Id, r.ExpectedVersion, m => m.Close(user.Actor, clock.UtcNow), ct);

    public Task<CabMeetingView> Handle(RecordCabMinutes r, CancellationToken ct) =>
        RunAsync(r.Id, r.ExpectedVersion, m => m.RecordMinutes(r.Minutes, user.Actor, clock.UtcNow), ct);

    public Task<CabMeetingView> Handle(ReorderCabAgenda r, CancellationToken ct) =>
        RunAsync(r.Id, r.ExpectedVersion, m => m.Reorder(r.ChangeNumbers, user.Actor, clock.UtcNow), ct);

    private async Task<CabMeetingView> RunAsync(Guid id, int? expectedVersion, Action<CabMeeting> act, CancellationToken ct)
    {
        var meeting = await CabMeetings.LoadAsync(db, id, ct);
        meeting.EnsureVersion(expectedVersion);
        act(meeting);
        await db.SaveChangesAsync(ct);
        return await mediator.Send(new GetCabMeeting(meeting.Id), ct);
    }
}

internal static class CabMeetings
{
    /// <summary>A meeting with its agenda, tracked for a write (its log is only appended to, so it is not read).</summary>
    public static async Task<CabMeeting> LoadAsync(IItsmDbContext db, Guid id, CancellationToken ct) =>
        await db.CabMeetings.Include(m => m.Items).FirstOrDefaultAsync(m => m.Id == id, ct)
        ?? throw new NotFoundException($"CAB meeting {id}");
}
