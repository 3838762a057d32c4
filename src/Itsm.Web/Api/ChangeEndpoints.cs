using Itsm.Application.Features.Changes;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>/api/v1/changes: each endpoint binds its input strictly and sends one MediatR request.</summary>
public static class ChangeEndpoints
{
    public static RouteGroupBuilder MapChangeEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/changes").WithTags("Changes");

        g.MapGet("/", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var page = await m.Send(QueryBinding.List<ListChanges>(req.Query), ct);
            return Results.Ok(new TicketPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListChanges").Produces<TicketPage>().ProducesValidationProblem().ProducesProblem(403);

        g.MapGet("/{number}", async (string number, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var change = await m.Send(new GetChange(number), ct);
            return TicketEndpoints.WithETag(res, change, Results.Ok(change));
        }).WithName("GetChange").Produces<ChangeDetails>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/", async (HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<RaiseChangeBody>(req, ct);
            var command = new RaiseChange
            {
                Type = body.String("type", 20, required: true),
                Template = body.String("template", 60),
                ShortDescription = body.String("shortDescription", 1000),
                Description = body.String("description"),
                Impact = body.Int("impact", 1, 3),
                Urgency = body.Int("urgency", 1, 3),
                Category = body.String("category", 60),
                Justification = body.String("justification"),
                ImplementationPlan = body.String("implementationPlan"),
                BackoutPlan = body.String("backoutPlan"),
                TestPlan = body.String("testPlan"),
                PlannedStart = body.Time("plannedStart"),
                PlannedEnd = body.Time("plannedEnd"),
                Implementer = body.String("implementer", 450),
                CiIds = body.LongList("ciIds", 1000),
                RiskAnswers = Answers(body),
                IdempotencyKey = TicketBodies.IdempotencyKey(req),
            };
            body.ThrowIfInvalid();
            var change = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, change, Results.Created($"/api/v1/changes/{change.Number}", change));
        }).WithName("RaiseChange").Accepts<RaiseChangeBody>("application/json").Produces<ChangeDetails>(201)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(422);

        g.MapMethods("/{number}", ["PATCH"], async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<UpdateChangeBody>(req, ct);
            var command = TicketBodies.Update<UpdateChange>(body, number, TicketEndpoints.IfMatch(req)) with
            {
                Type = body.Optional("type", () => body.String("type", 20)),
                Template = body.Optional("template", () => body.String("template", 60)),
                Justification = body.Optional("justification", () => body.String("justification")),
                ImplementationPlan = body.Optional("implementationPlan", () => body.String("implementationPlan")),
                BackoutPlan = body.Optional("backoutPlan", () => body.String("backoutPlan")),
                TestPlan = body.Optional("testPlan", () => body.String("testPlan")),
                PlannedStart = body.Optional("plannedStart", () => body.Time("plannedStart")),
                PlannedEnd = body.Optional("plannedEnd", () => body.Time("plannedEnd")),
                Implementer = body.Optional("implementer", () => body.String("implementer", 450)),
                RiskAnswers = body.Optional("riskAnswers", () => Answers(body)),
            };
            body.ThrowIfInvalid();
            var change = await m.Send(command, ct);
            return TicketEndpoints.WithETag(res, change, Results.Ok(change));
        }).WithName("UpdateChange").Accepts<UpdateChangeBody>("application/json").Produces<ChangeDetails>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapGet("/{number}/assessment", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new GetChangeAssessment(number), ct)))
            .WithName("GetChangeAssessment").Produces<ChangeAssessmentView>().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{number}/risk", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok((await m.Send(new GetChangeAssessment(number), ct)).Risk))
            .WithName("GetChangeRisk").Produces<RiskView>().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{number}/conflicts", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok((await m.Send(new GetChangeAssessment(number), ct)).Conflicts))
            .WithName("GetChangeConflicts").Produces<IReadOnlyList<ConflictView>>().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{number}/approvals", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new GetChangeApprovals(number), ct)))
            .WithName("GetChangeApprovals").Produces<ChangeApprovalsView>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{number}/approvals/{id:guid}/decision", async (string number, Guid id, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<ApprovalDecisionBody>(req, ct);
            var command = new DecideChangeApproval(number, id, body.String("decision", 20, required: true), body.String("comment", 2000),
                TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            return Results.Ok(await m.Send(command, ct));
        }).WithName("DecideChangeApproval").Accepts<ApprovalDecisionBody>("application/json").Produces<ChangeApprovalsView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        api.MapGet("/approvals", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListMyApprovals(), ct)))
            .WithTags("Changes").WithName("ListMyApprovals").Produces<ApprovalInbox>().ProducesProblem(403);

        g.MapTicketCore(TicketKind.Change, (m, number, ct) => m.Send(new GetChange(number), ct));
        g.MapTicketCiEndpoints(TicketKind.Change);
        return api;
    }

    /// <summary>The questionnaire's answers: question id → answer id; a null answer leaves the question unanswered.</summary>
    private static IReadOnlyDictionary<string, string> Answers(JsonInput body) =>
        body.StringMap("riskAnswers").Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
}
