using Itsm.Application.Features.Incidents;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>POST /{number}/cis: the CI by id or by its exact name (one of them).</summary>
public sealed record AddAffectedCiBody(long? CiId = null, string? Name = null);

/// <summary>POST /incidents/{number}/correlation/link: as "major-incident" or "problem".</summary>
public sealed record LinkCorrelatedIncidentsBody(List<string> Incidents, string As);

/// <summary>
/// A ticket's CIs under /api/v1/incidents and /api/v1/problems (affected CIs, impacted services, related open
/// incidents) and, for incidents, correlation. Each endpoint binds its input strictly and sends one MediatR request.
/// </summary>
public static class TicketCiEndpoints
{
    public static RouteGroupBuilder MapTicketCiEndpoints(this RouteGroupBuilder g, TicketKind kind)
    {
        var noun = kind.ToString();

        g.MapGet("/{number}/cis", async (string number, HttpResponse res, IMediator m, CancellationToken ct) =>
                WithETag(res, await m.Send(new ListTicketCis(kind, number), ct)))
            .WithName($"List{noun}Cis").Produces<TicketCisView>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{number}/cis", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<AddAffectedCiBody>(req, ct);
            var command = new AddAffectedCi(kind, number, body.Long("ciId"), body.String("name", AddAffectedCiValidator.MaxName), TicketEndpoints.IfMatch(req));
            body.ThrowIfInvalid();
            return WithETag(res, await m.Send(command, ct));
        }).WithName($"Add{noun}AffectedCi").Accepts<AddAffectedCiBody>("application/json").Produces<TicketCisView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapDelete("/{number}/cis/{ciId:long}", async (string number, long ciId, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
                WithETag(res, await m.Send(new RemoveAffectedCi(kind, number, ciId, TicketEndpoints.IfMatch(req)), ct)))
            .WithName($"Remove{noun}AffectedCi").Produces<TicketCisView>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{number}/impacted-services/{ciId:long}/include", async (string number, long ciId, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
                WithETag(res, await m.Send(new IncludeImpactedService(kind, number, ciId, TicketEndpoints.IfMatch(req)), ct)))
            .WithName($"Include{noun}ImpactedService").Produces<TicketCisView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{number}/impacted-services/{ciId:long}/exclude", async (string number, long ciId, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
                WithETag(res, await m.Send(new ExcludeImpactedService(kind, number, ciId, TicketEndpoints.IfMatch(req)), ct)))
            .WithName($"Exclude{noun}ImpactedService").Produces<TicketCisView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapGet("/{number}/related", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "hops");
            var hops = q.Int("hops", ListIncidentsOnRelatedCis.DefaultHops);
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(new ListIncidentsOnRelatedCis(kind, number, hops), ct));
        }).WithName($"List{noun}RelatedIncidents").Produces<IReadOnlyList<RelatedIncidentView>>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        if (kind != TicketKind.Incident) return g;

        g.MapGet("/{number}/correlation", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "hops");
            var hops = q.Int("hops", 0);
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(new CorrelateIncidents(number, req.Query.ContainsKey("hops") ? hops : null), ct));
        }).WithName("CorrelateIncidents").Produces<IncidentCorrelationView>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{number}/correlation/link", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<LinkCorrelatedIncidentsBody>(req, ct);
            var command = new LinkCorrelatedIncidents(number, body.StringList("incidents", LinkCorrelatedIncidents.MaxIncidents, 20, required: true),
                body.String("as", 30, required: true));
            body.ThrowIfInvalid();
            return Results.Ok(await m.Send(command, ct));
        }).WithName("LinkCorrelatedIncidents").Accepts<LinkCorrelatedIncidentsBody>("application/json").Produces<CorrelatedIncidentsLinked>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        return g;
    }

    private static IResult WithETag(HttpResponse res, TicketCisView view)
    {
        res.Headers.ETag = $"\"{view.Version}\"";
        return Results.Ok(view);
    }
}
