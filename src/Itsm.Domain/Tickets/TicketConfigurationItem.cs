namespace Itsm.Domain.Tickets;

/// <summary>What a CI is to a ticket.</summary>
public enum TicketCiRole
{
    /// <summary>Down, degraded or changing: added by people.</summary>
    Affected = 0,
    /// <summary>A business service the affected CIs impact: computed, or added or excluded by hand.</summary>
    ImpactedService = 1,
}

public enum TicketCiOrigin
{
    Manual = 0,
    Computed = 1,
}

/// <summary>
/// A CI on a ticket. A computed impacted service is replaced whenever the affected CIs or the graph change; one a
/// person added (<see cref="TicketCiOrigin.Manual"/>) or excluded (<see cref="Excluded"/>) is kept as they left it.
/// </summary>
public sealed class TicketConfigurationItem
{
    private TicketConfigurationItem() { }

    public TicketConfigurationItem(Guid ticketId, long ciId, TicketCiRole role, TicketCiOrigin origin, bool excluded, DateTimeOffset at, string by)
    {
        TicketId = ticketId;
        CiId = ciId;
        Role = role;
        Origin = origin;
        Excluded = excluded;
        AddedAt = at;
        AddedBy = by;
    }

    public Guid TicketId { get; private set; }
    public long CiId { get; private set; }
    public TicketCiRole Role { get; private set; }
    public TicketCiOrigin Origin { get; private set; }
    public bool Excluded { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
    public string AddedBy { get; private set; } = "";

    /// <summary>A person's decision on an impacted service: keep it (false) or exclude it (true); it is theirs from now on.</summary>
    public void Decide(bool excluded, DateTimeOffset at, string by)
    {
        Origin = TicketCiOrigin.Manual;
        Excluded = excluded;
        AddedAt = at;
        AddedBy = by;
    }
}
