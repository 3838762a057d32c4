using Itsm.Application.Features.Incidents;
using Itsm.Domain.Tickets;
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
            var page = await m.Send(QueryBinding.List<ListIncidents>(req.Query), ct);
            return Results.Ok(new TicketPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListIncidents").Produces<TicketPage>().ProducesValidationProblem();

        g.MapGet("/{number}", async (string number, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var incident = await m.Send(new GetIncident(number), ct);
            return TicketEndpoints.WithETag(res, incident, Results.Ok(incident));
        }).WithName("GetIncident").Produces<IncidentDetails>().ProducesProblem(404);

        g.MapPost("/", async (HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<LogIncidentBody>(req, ct);
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
                IdempotencyKey = TicketBodies.IdempotencyKey(req),
            };
            body.ThrowIfInvalid();
            var incident = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, incident, Results.Created($"/api/v1/incidents/{incident.Number}", incident));
        }).WithName("LogIncident").Accepts<LogIncidentBody>("application/json").Produces<IncidentDetails>(201).ProducesValidationProblem().ProducesProblem(422);

        g.MapMethods("/{number}", ["PATCH"], async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<UpdateIncidentBody>(req, ct);
            var command = TicketBodies.Update<UpdateIncident>(body, number, TicketEndpoints.IfMatch(req)) with
            {
                ParentIncidentNumber = body.Optional("parentIncidentNumber", () => body.String("parentIncidentNumber", 20)),
                CausedByChangeNumber = body.Optional("causedByChangeNumber", () => body.String("causedByChangeNumber", 20)),
            };
            body.ThrowIfInvalid();
            var incident = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, incident, Results.Ok(incident));
        }).WithName("UpdateIncident").Accepts<UpdateIncidentBody>("application/json").Produces<IncidentDetails>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapTicketCore(TicketKind.Incident, (m, number, ct) => m.Send(new GetIncident(number), ct));
        g.MapTicketCiEndpoints(TicketKind.Incident);

        return api;
    }
}
