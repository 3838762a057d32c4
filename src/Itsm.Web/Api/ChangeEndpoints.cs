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

        // Before /{number}: "calendar" is not a change number.
        g.MapGet("/calendar", async (HttpRequest req, IMediator m, Itsm.Domain.Common.IClock clock, CancellationToken ct) =>
        {
            var (from, to) = CalendarRange(req, clock.UtcNow);
            return Results.Ok(await m.Send(new GetChangeCalendar(from, to), ct));
        }).WithName("GetChangeCalendar").Produces<ChangeCalendarView>().ProducesValidationProblem().ProducesProblem(403);

        g.MapGet("/calendar/link", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new GetChangeCalendarLink(), ct)))
            .WithName("GetChangeCalendarLink").Produces<CalendarLinkStatus>().ProducesProblem(403);

        g.MapPost("/calendar/link", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var issued = await m.Send(new IssueChangeCalendarLink(), ct);
            return Results.Ok(new CalendarLinkBody(FeedUrl(req, issued.Secret)));
        }).WithName("IssueChangeCalendarLink").Produces<CalendarLinkBody>().ProducesProblem(403);

        g.MapDelete("/calendar/link", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new RevokeChangeCalendarLink(), ct)))
            .WithName("RevokeChangeCalendarLink").Produces<CalendarLinkStatus>().ProducesProblem(403);

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

        g.MapGet("/{number}/free-slots", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var count = req.Query["count"].ToString() is { Length: > 0 } text
                ? int.TryParse(text, out var n) ? n : throw new Itsm.Domain.Common.FieldValidationException("count", "Must be a whole number.")
                : 5;
            return Results.Ok(await m.Send(new ProposeChangeSlots(number, count), ct));
        }).WithName("ProposeChangeSlots").Produces<IReadOnlyList<FreeSlotView>>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        api.MapGet("/approvals/delegations", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListApprovalDelegations(), ct)))
            .WithTags("Changes").WithName("ListApprovalDelegations").Produces<DelegationsView>().ProducesProblem(403);

        api.MapPost("/approvals/delegations", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<DelegationBody>(req, ct);
            var command = new DelegateApprovals(body.String("to", 256, required: true), body.Time("starts"), body.Time("ends"));
            body.ThrowIfInvalid();
            return Results.Ok(await m.Send(command, ct));
        }).WithTags("Changes").WithName("DelegateApprovals").Accepts<DelegationBody>("application/json").Produces<DelegationsView>()
            .ProducesValidationProblem().ProducesProblem(403);

        api.MapDelete("/approvals/delegations/{id:guid}", async (Guid id, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new RevokeApprovalDelegation(id), ct)))
            .WithTags("Changes").WithName("RevokeApprovalDelegation").Produces<DelegationsView>().ProducesProblem(403).ProducesProblem(404);

        api.MapGet("/approvals", async (IMediator m, CancellationToken ct) => Results.Ok(await m.Send(new ListMyApprovals(), ct)))
            .WithTags("Changes").WithName("ListMyApprovals").Produces<ApprovalInbox>().ProducesProblem(403);

        g.MapTicketCore(TicketKind.Change, (m, number, ct) => m.Send(new GetChange(number), ct));
        g.MapTicketCiEndpoints(TicketKind.Change);
        return api;
    }

    /// <summary>
    /// The feed itself, outside /api/v1: calendar programs fetch it with no sign-in, so the secret in the query string is
    /// the credential (request logs never show query strings). Not found for an unknown or revoked link.
    /// </summary>
    public static void MapChangeCalendarFeed(this WebApplication app) =>
        app.MapGet("/feeds/changes.ics", async (HttpRequest req, IMediator m, Itsm.Domain.Common.IClock clock, CancellationToken ct) =>
        {
            var view = await m.Send(new ReadChangeCalendarFeed(req.Query["key"].ToString()), ct);
            return Results.Text(ChangeCalendarIcs.Write(view, $"{req.Scheme}://{req.Host}{req.PathBase}", clock.UtcNow), ChangeCalendarIcs.MediaType + "; charset=utf-8");
        }).AllowAnonymous().WithTags("Changes").WithName("ChangeCalendarFeed").Produces<string>(200, ChangeCalendarIcs.MediaType).ProducesProblem(404);

    public static string FeedUrl(HttpRequest req, string secret) => $"{req.Scheme}://{req.Host}{req.PathBase}/feeds/changes.ics?key={Uri.EscapeDataString(secret)}";

    /// <summary>from and to in ISO 8601; by default the current month.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) CalendarRange(HttpRequest req, DateTimeOffset now)
    {
        var q = Query.Of(req, "from", "to");
        var (from, to) = (q.Time("from"), q.Time("to"));
        q.ThrowIfInvalid();
        var start = from ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, to ?? start.AddMonths(1));
    }

    /// <summary>The questionnaire's answers: question id → answer id; a null answer leaves the question unanswered.</summary>
    private static IReadOnlyDictionary<string, string> Answers(JsonInput body) =>
        body.StringMap("riskAnswers").Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
}
