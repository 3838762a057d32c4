using Itsm.Application.Features.Problems;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>/api/v1/problems and /api/v1/known-errors: each endpoint binds its input strictly and sends one MediatR request.</summary>
public static class ProblemEndpoints
{

    public static RouteGroupBuilder MapProblemEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/problems").WithTags("Problems");

        g.MapGet("/", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var page = await m.Send(QueryBinding.List<ListProblems>(req.Query), ct);
            return Results.Ok(new TicketPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListProblems").Produces<TicketPage>().ProducesValidationProblem().ProducesProblem(403);

        g.MapGet("/{number}", async (string number, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var problem = await m.Send(new GetProblem(number), ct);
            return TicketEndpoints.WithETag(res, problem, Results.Ok(problem));
        }).WithName("GetProblem").Produces<ProblemDetails>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/", async (HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<LogProblemBody>(req, ct);
            var command = new LogProblem
            {
                ShortDescription = body.String("shortDescription", 1000),
                Description = body.String("description"),
                Impact = body.Int("impact", 1, 3),
                Urgency = body.Int("urgency", 1, 3),
                Category = body.String("category", 60),
                AssignmentGroupId = body.Guid("assignmentGroupId"),
                AssigneeId = body.String("assigneeId", 450),
                IncidentNumber = body.String("incidentNumber", 20),
                IdempotencyKey = TicketBodies.IdempotencyKey(req),
            };
            body.ThrowIfInvalid();
            var problem = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, problem, Results.Created($"/api/v1/problems/{problem.Number}", problem));
        }).WithName("LogProblem").Accepts<LogProblemBody>("application/json").Produces<ProblemDetails>(201)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(422);

        g.MapMethods("/{number}", ["PATCH"], async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<UpdateProblemBody>(req, ct);
            var command = TicketBodies.Update<UpdateProblem>(body, number, TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            var problem = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, problem, Results.Ok(problem));
        }).WithName("UpdateProblem").Accepts<UpdateProblemBody>("application/json").Produces<ProblemDetails>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapTicketCore(TicketKind.Problem, (m, number, ct) => m.Send(new GetProblem(number), ct));
        g.MapTicketCiEndpoints(TicketKind.Problem);

        g.MapPut("/{number}/root-cause", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<RootCauseBody>(req, ct);
            var command = new RecordRootCause
            {
                Number = number,
                ExpectedVersion = TicketEndpoints.IfMatch(req),
                RootCause = body.String("rootCause"),
                Workaround = body.String("workaround"),
            };
            body.ThrowIfInvalid();
            var problem = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, problem, Results.Ok(problem));
        }).WithName("RecordRootCause").Accepts<RootCauseBody>("application/json").Produces<ProblemDetails>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{number}/known-error", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var problem = await m.Send(new PublishKnownError(number, true, TicketEndpoints.IfMatch(req)), ct);
            return TicketEndpoints.WithETag(res, problem, Results.Ok(problem));
        }).WithName("PublishKnownError").Produces<ProblemDetails>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapDelete("/{number}/known-error", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var problem = await m.Send(new PublishKnownError(number, false, TicketEndpoints.IfMatch(req)), ct);
            return TicketEndpoints.WithETag(res, problem, Results.Ok(problem));
        }).WithName("RetractKnownError").Produces<ProblemDetails>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{number}/incidents", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<LinkIncidentBody>(req, ct);
            var incident = body.String("incident", 20, required: true) ?? "";
            body.ThrowIfInvalid();
            return Results.Ok(await m.Send(new LinkIncidentToProblem(number, incident), ct));
        }).WithName("LinkIncidentToProblem").Accepts<LinkIncidentBody>("application/json").Produces<ProblemDetails>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapDelete("/{number}/incidents/{incident}", async (string number, string incident, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new LinkIncidentToProblem(number, incident, Link: false), ct)))
            .WithName("UnlinkIncidentFromProblem").Produces<ProblemDetails>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        g.MapPost("/{number}/resolve-incidents", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<ResolveLinkedIncidentsBody>(req, ct);
            var command = new ResolveLinkedIncidents(number, body.String("resolutionCode", 60), body.String("resolutionNotes"));
            body.ThrowIfInvalid();
            return Results.Ok(new ResolvedIncidents(await m.Send(command, ct)));
        }).WithName("ResolveLinkedIncidents").Accepts<ResolveLinkedIncidentsBody>("application/json").Produces<ResolvedIncidents>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        api.MapGet("/known-errors", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var page = await m.Send(QueryBinding.ListKnownErrors(req.Query), ct);
            return Results.Ok(new KnownErrorPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithTags("Problems").WithName("ListKnownErrors").Produces<KnownErrorPage>().ProducesValidationProblem().ProducesProblem(403);

        return api;
    }
}
