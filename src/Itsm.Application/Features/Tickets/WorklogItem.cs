namespace Itsm.Application.Features.Tickets;

/// <summary>A worklog entry; WorkNote marks an internal note that requesters never see.</summary>
public sealed record WorklogItem(Guid Id, bool WorkNote, string Text, string AuthorName, DateTimeOffset At);
