using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Incidents;
using Itsm.Domain.Common;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>/api/v1/incidents: each endpoint binds its input strictly and sends one MediatR request.</summary>
public static class IncidentEndpoints
{
    public static RouteGroupBuilder MapIncidentEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/incidents").WithTags("Incidents");

        g.MapGet("/", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var page = await m.Send(QueryBinding.ListIncidents(req.Query), ct);
            return Results.Ok(new IncidentPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListIncidents").Produces<IncidentPage>().ProducesValidationProblem();

        g.MapGet("/{number}", async (string number, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var incident = await m.Send(new GetIncident(number), ct);
            return WithETag(res, incident, Results.Ok(incident));
        }).WithName("GetIncident").Produces<IncidentDetails>().ProducesProblem(404);

        g.MapPost("/", async (HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<LogIncidentBody>(req, ct);
            var key = req.Headers["Idempotency-Key"].ToString();
            var command = new LogIncident
            {
                ShortDescription = body.String("shortDescription", 1000, required: true) ?? "",
                Description = body.String("description"),
                Impact = body.Int("impact", 1, 3) ?? 3,
                Urgency = body.Int("urgency", 1, 3) ?? 3,
                Category = body.String("category", 60),
                AssignmentGroupId = body.Guid("assignmentGroupId"),
                AssigneeId = body.String("assigneeId", 450),
                Caller = body.String("caller", 256),
                IdempotencyKey = key.Length > 0 ? key : null,
                RequestHash = key.Length > 0 ? body.BodyHash : null,
            };
            body.ThrowIfInvalid();
            var incident = await m.Send(command, ct);
            return WithETag(res, incident, Results.Created($"/api/v1/incidents/{incident.Number}", incident));
        }).WithName("LogIncident").Accepts<LogIncidentBody>("application/json").Produces<IncidentDetails>(201).ProducesValidationProblem().ProducesProblem(422);

        g.MapMethods("/{number}", ["PATCH"], async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<UpdateIncidentBody>(req, ct);
            var command = new UpdateIncident
            {
                Number = number,
                ExpectedVersion = IfMatch(req),
                ShortDescription = body.Optional("shortDescription", () => body.String("shortDescription", 1000, required: true) ?? ""),
                Description = body.Optional("description", () => body.String("description")),
                Impact = body.Optional("impact", () => body.Int("impact", 1, 3) ?? 0),
                Urgency = body.Optional("urgency", () => body.Int("urgency", 1, 3) ?? 0),
                Category = body.Optional("category", () => body.String("category", 60)),
                AssignmentGroupId = body.Optional("assignmentGroupId", () => body.Guid("assignmentGroupId")),
                AssigneeId = body.Optional("assigneeId", () => body.String("assigneeId", 450)),
                PriorityOverride = body.Optional("priorityOverride", () => body.Int("priorityOverride", 1, 4)),
                PriorityOverrideReason = body.Optional("priorityOverrideReason", () => body.String("priorityOverrideReason", 500)),
                ParentIncidentNumber = body.Optional("parentIncidentNumber", () => body.String("parentIncidentNumber", 20)),
            };
            body.ThrowIfInvalid();
            var incident = await m.Send(command, ct);
            return WithETag(res, incident, Results.Ok(incident));
        }).WithName("UpdateIncident").Accepts<UpdateIncidentBody>("application/json").Produces<IncidentDetails>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapGet("/{number}/transitions", async (string number, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new GetAllowedTransitions(number), ct))).WithName("GetAllowedTransitions").Produces<IReadOnlyList<TransitionOption>>().ProducesProblem(404);

        g.MapPost("/{number}/transitions", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<TransitionBody>(req, ct);
            var command = new TransitionIncident
            {
                Number = number,
                Transition = body.String("transition", 60, required: true) ?? "",
                Fields = body.StringMap("fields"),
                ExpectedVersion = IfMatch(req),
            };
            body.ThrowIfInvalid();
            var incident = await m.Send(command, ct);
            return WithETag(res, incident, Results.Ok(incident));
        }).WithName("TransitionIncident").Accepts<TransitionBody>("application/json").Produces<IncidentDetails>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapGet("/{number}/comments", async (string number, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new ListIncidentWorklog(number), ct))).WithName("ListIncidentComments").Produces<IReadOnlyList<WorklogItem>>().ProducesProblem(404);

        g.MapPost("/{number}/comments", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<CommentBody>(req, ct);
            var command = new CommentOnIncident
            {
                Number = number,
                Text = body.String("text", 8000, required: true) ?? "",
                WorkNote = body.Bool("workNote") ?? false,
            };
            body.ThrowIfInvalid();
            var entry = await m.Send(command, ct);
            return Results.Created($"/api/v1/incidents/{number}/comments", entry);
        }).WithName("CommentOnIncident").Accepts<CommentBody>("application/json").Produces<WorklogItem>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{number}/history", async (string number, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(new GetIncidentHistory(number), ct))).WithName("GetIncidentHistory").Produces<IReadOnlyList<HistoryItem>>().ProducesProblem(404);

        return api;
    }

    private static IResult WithETag(HttpResponse res, IncidentDetails incident, IResult result)
    {
        res.Headers.ETag = $"\"{incident.Version}\"";
        return result;
    }

    /// <summary>The version the caller last saw, from If-Match ("5" or W/"5"); a malformed one is a 400.</summary>
    private static int? IfMatch(HttpRequest req)
    {
        var value = req.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0) return null;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        if (int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        throw new FieldValidationException("If-Match", "Send the ETag you received, e.g. \"3\".");
    }
}
