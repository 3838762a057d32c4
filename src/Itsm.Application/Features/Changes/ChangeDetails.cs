using Itsm.Application.Features.Tickets;
using Itsm.Domain.Changes;

namespace Itsm.Application.Features.Changes;

/// <summary>A change as its page and the API show it: the ticket core's fields, its type, plan, risk and approvals.</summary>
public sealed class ChangeDetails : TicketDetails
{
    public string Type { get; set; } = "";
    public string? TemplateCode { get; set; }
    public string? Justification { get; set; }
    public string? ImplementationPlan { get; set; }
    public string? BackoutPlan { get; set; }
    public string? TestPlan { get; set; }
    public DateTimeOffset? PlannedStart { get; set; }
    public DateTimeOffset? PlannedEnd { get; set; }
    public string? ImplementerId { get; set; }
    public string? ImplementerName { get; set; }
    /// <summary>The risk of the last assessment: low, moderate, high, very-high (null before the first).</summary>
    public string? Risk { get; set; }
    public string? RiskLabel { get; set; }
    public int ConflictCount { get; set; }
    public DateTimeOffset? AssessedAt { get; set; }
    public IReadOnlyDictionary<string, string> RiskAnswers { get; set; } = new Dictionary<string, string>();
    /// <summary>What the plan still lacks before it can be submitted.</summary>
    public IReadOnlyList<string> Missing { get; set; } = [];
    /// <summary>True while the plan and CIs are frozen for approval (editing them sends the change back to New).</summary>
    public bool IsFrozen { get; set; }
    /// <summary>The incidents attributed to this change (they count against its CIs' future changes).</summary>
    public IReadOnlyList<LinkedTicketView> CausedIncidents { get; set; } = [];
}
