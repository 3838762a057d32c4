using Itsm.Application.Features.Changes.Cab;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>/api/v1/cab/meetings: the Change Advisory Board's meetings. Each endpoint binds its input strictly and sends one MediatR request.</summary>
public static class CabEndpoints
{
    public static RouteGroupBuilder MapCabEndpoints(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/cab/meetings").WithTags("CAB");

        g.MapGet("/", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "state", "page", "pageSize");
            var query = new ListCabMeetings { State = q.Text("state", 20), Page = q.Int("page", 1), PageSize = q.Int("pageSize", 25) };
            q.ThrowIfInvalid();
            var page = await m.Send(query, ct);
            return Results.Ok(new CabMeetingPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListCabMeetings").Produces<CabMeetingPage>().ProducesValidationProblem().ProducesProblem(403);

        g.MapPost("/", async (HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<PlanCabMeetingBody>(req, ct);
            var command = new PlanCabMeeting
            {
                Title = body.String("title", 1000, required: true),
                StartsAt = body.Time("startsAt"),
                EndsAt = body.Time("endsAt"),
                PeriodFrom = body.Time("periodFrom"),
                PeriodTo = body.Time("periodTo"),
                ChangeNumbers = body.StringList("changeNumbers", PlanCabMeeting.MaxChangeNumbers, 40),
            };
            body.ThrowIfInvalid();
            var meeting = await m.Send(command, ct);
            return WithETag(res, meeting, Results.Created($"/api/v1/cab/meetings/{meeting.Id}", meeting));
        }).WithName("PlanCabMeeting").Accepts<PlanCabMeetingBody>("application/json").Produces<CabMeetingView>(201)
            .ProducesValidationProblem().ProducesProblem(403);

        g.MapGet("/{id:guid}", async (Guid id, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var meeting = await m.Send(new GetCabMeeting(id), ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("GetCabMeeting").Produces<CabMeetingView>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{id:guid}/start", async (Guid id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var meeting = await m.Send(new StartCabMeeting(id, TicketEndpoints.IfMatch(req)), ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("StartCabMeeting").Produces<CabMeetingView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/items/{changeNumber}/decision", async (Guid id, string changeNumber, HttpRequest req, HttpResponse res, IMediator m,
            CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<CabDecisionBody>(req, ct);
            var command = new RecordCabDecision(id, changeNumber, body.String("decision", 20, required: true), body.String("notes", 2000),
                TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            var result = await m.Send(command, ct);
            res.Headers.ETag = $"\"{result.Version}\"";
            return Results.Ok(result);
        }).WithName("RecordCabDecision").Accepts<CabDecisionBody>("application/json").Produces<CabDecisionResult>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPut("/{id:guid}/minutes", async (Guid id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<CabMinutesBody>(req, ct);
            var command = new RecordCabMinutes(id, body.String("minutes", 20000), TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            var meeting = await m.Send(command, ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("RecordCabMinutes").Accepts<CabMinutesBody>("application/json").Produces<CabMeetingView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPut("/{id:guid}/agenda", async (Guid id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<CabAgendaBody>(req, ct);
            var command = new ReorderCabAgenda(id, body.StringList("changeNumbers", 100, 40, required: true), TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            var meeting = await m.Send(command, ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("ReorderCabAgenda").Accepts<CabAgendaBody>("application/json").Produces<CabMeetingView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/agenda", async (Guid id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<CabAgendaItemBody>(req, ct);
            var command = new AddChangeToCabAgenda(id, body.String("changeNumber", 40, required: true), TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            var meeting = await m.Send(command, ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("AddChangeToCabAgenda").Accepts<CabAgendaItemBody>("application/json").Produces<CabMeetingView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapDelete("/{id:guid}/agenda/{changeNumber}", async (Guid id, string changeNumber, HttpRequest req, HttpResponse res, IMediator m,
            CancellationToken ct) =>
        {
            var meeting = await m.Send(new RemoveChangeFromCabAgenda(id, changeNumber, TicketEndpoints.IfMatch(req)), ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("RemoveChangeFromCabAgenda").Produces<CabMeetingView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{id:guid}/close", async (Guid id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var meeting = await m.Send(new CloseCabMeeting(id, TicketEndpoints.IfMatch(req)), ct);
            return WithETag(res, meeting, Results.Ok(meeting));
        }).WithName("CloseCabMeeting").Produces<CabMeetingView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        return api;
    }

    private static IResult WithETag(HttpResponse res, CabMeetingView meeting, IResult result)
    {
        res.Headers.ETag = $"\"{meeting.Version}\"";
        return result;
    }
}
