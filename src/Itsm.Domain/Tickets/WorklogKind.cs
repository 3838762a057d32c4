namespace Itsm.Domain.Tickets;

public enum WorklogKind
{
    /// <summary>Visible to the caller.</summary>
    Comment,
    /// <summary>Internal; requesters never see it.</summary>
    WorkNote,
}
