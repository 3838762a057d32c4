using Itsm.Application.Features.Tickets;

namespace Itsm.Web.Api;

/// <summary>Reads the parts of request bodies that every kind of ticket shares.</summary>
public static class TicketBodies
{
    /// <summary>A module's update request with the ticket core's fields read from a PATCH body (absent ones stay unset).</summary>
    public static T Update<T>(JsonInput body, string number, int? expectedVersion) where T : UpdateTicket, new() => new()
    {
        Number = number,
        ExpectedVersion = expectedVersion,
        ShortDescription = body.Optional("shortDescription", () => body.String("shortDescription", 1000, required: true) ?? ""),
        Description = body.Optional("description", () => body.String("description")),
        Impact = body.Optional("impact", () => body.Int("impact", 1, 3) ?? 0),
        Urgency = body.Optional("urgency", () => body.Int("urgency", 1, 3) ?? 0),
        Category = body.Optional("category", () => body.String("category", 60)),
        AssignmentGroupId = body.Optional("assignmentGroupId", () => body.Guid("assignmentGroupId")),
        AssigneeId = body.Optional("assigneeId", () => body.String("assigneeId", 450)),
        PriorityOverride = body.Optional("priorityOverride", () => body.Int("priorityOverride", 1, 4)),
        PriorityOverrideReason = body.Optional("priorityOverrideReason", () => body.String("priorityOverrideReason", 500)),
    };

    /// <summary>The Idempotency-Key of a create, if any.</summary>
    public static string? IdempotencyKey(HttpRequest req) => req.Headers["Idempotency-Key"].ToString() is { Length: > 0 } key ? key : null;
}
