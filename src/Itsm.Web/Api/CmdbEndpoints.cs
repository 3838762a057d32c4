using System.Globalization;
using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Cmdb.Graph;
using Itsm.Domain.Common;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>/api/v1/cis, /relationships, /impact and /cmdb: each endpoint binds its input strictly and sends one MediatR request.</summary>
public static class CmdbEndpoints
{
    public static RouteGroupBuilder MapCmdbEndpoints(this RouteGroupBuilder api)
    {
        var cis = api.MapGroup("/cis").WithTags("CMDB");

        cis.MapGet("/", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "class", "name", "status", "environment", "attribute", "page", "pageSize");
            var request = new ListConfigurationItems
            {
                Class = q.Text("class"), Name = q.Text("name"), Status = q.Text("status"), Environment = q.Text("environment"),
                Attribute = q.Text("attribute"), Page = q.Int("page", 1), PageSize = q.Int("pageSize", 50),
            };
            q.ThrowIfInvalid();
            var page = await m.Send(request, ct);
            return Results.Ok(new CiPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListCis").Produces<CiPage>().ProducesValidationProblem().ProducesProblem(403);

        cis.MapGet("/{id:long}", async (long id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "asOf");
            var asOf = q.Time("asOf");
            q.ThrowIfInvalid();
            var ci = await m.Send(new GetConfigurationItem(id, asOf), ct);
            return WithETag(res, ci, Results.Ok(ci));
        }).WithName("GetCi").Produces<CiDetails>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        cis.MapPost("/", async (HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<RegisterCiBody>(req, ct);
            var command = new RegisterConfigurationItem(body.String("class", 60, required: true), Values(body, create: true),
                body.String("reason", CmdbWriter.MaxReason), body.String("changeNumber", 20)) { IdempotencyKey = TicketBodies.IdempotencyKey(req) };
            body.ThrowIfInvalid();
            var ci = await m.Send(command, ct);
            return WithETag(res, ci, Results.Created($"/api/v1/cis/{ci.Id}", ci));
        }).WithName("RegisterCi").Accepts<RegisterCiBody>("application/json").Produces<CiDetails>(201)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        cis.MapMethods("/{id:long}", ["PATCH"], async (long id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<UpdateCiBody>(req, ct);
            var command = new UpdateConfigurationItem(id, Values(body, create: false), TicketEndpoints.IfMatch(req),
                body.String("reason", CmdbWriter.MaxReason), body.String("changeNumber", 20));
            body.ThrowIfInvalid();
            var ci = await m.Send(command, ct);
            return WithETag(res, ci, Results.Ok(ci));
        }).WithName("UpdateCi").Accepts<UpdateCiBody>("application/json").Produces<CiDetails>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        cis.MapPost("/{id:long}/retire", async (long id, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "reason");
            var reason = q.Text("reason");
            q.ThrowIfInvalid();
            var ci = await m.Send(new RetireConfigurationItem(id, TicketEndpoints.IfMatch(req), reason), ct);
            return WithETag(res, ci, Results.Ok(ci));
        }).WithName("RetireCi").Produces<CiDetails>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(412);

        cis.MapGet("/{id:long}/relationships", async (long id, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "asOf");
            var asOf = q.Time("asOf");
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(new ListCiRelationships(id, asOf), ct));
        }).WithName("ListCiRelationships").Produces<IReadOnlyList<CiRelationshipView>>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        cis.MapGet("/{id:long}/graph", async (long id, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "depth", "direction", "types", "classes", "statuses", "limit", "asOf");
            var direction = q.Text("direction") switch
            {
                null or "both" => GraphDirection.Both,
                "out" or "outgoing" => GraphDirection.Outgoing,
                "in" or "incoming" => GraphDirection.Incoming,
                var other => q.Fail("direction", $"'{other}' is not a direction: both, out or in.", GraphDirection.Both),
            };
            var request = new GetCiGraph(id)
            {
                Depth = q.Int("depth", 1), Direction = direction, Types = q.List("types"), Classes = q.List("classes"),
                Statuses = q.List("statuses"), Limit = q.Int("limit", 200), AsOf = q.Time("asOf"),
            };
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(request, ct));
        }).WithName("GetCiGraph").Produces<GraphView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        cis.MapGet("/{id:long}/impact", async (long id, HttpRequest req, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(ImpactQuery(req, [id], dependencies: false), ct)))
            .WithName("GetCiImpact").Produces<ImpactView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        cis.MapGet("/{id:long}/dependencies", async (long id, HttpRequest req, IMediator m, CancellationToken ct) =>
            Results.Ok(await m.Send(ImpactQuery(req, [id], dependencies: true), ct)))
            .WithName("GetCiDependencies").Produces<ImpactView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        cis.MapGet("/{id:long}/tickets", async (long id, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "pastChanges");
            var pastChanges = q.Int("pastChanges", 20);
            if (pastChanges is < 0 or > 100) q.Fail("pastChanges", "Give 0 to 100 past changes.", 0);
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(new ListCiTickets(id, pastChanges), ct));
        }).WithName("ListCiTickets").Produces<CiTicketsView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        api.MapPost("/impact", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<ImpactBody>(req, ct);
            var request = new AnalyseImpact(body.LongList("ciIds", AnalyseImpact.MaxStart, required: true))
            {
                Depth = body.Int("depth", 1, AnalyseImpact.MaxDepth) ?? GraphQueries.DefaultDepth,
                AsOf = body.String("asOf", 40) is { } t ? ParseTime(body, t) : null,
                Page = body.Int("page", 1, int.MaxValue) ?? 1,
                PageSize = body.Int("pageSize", 1, 1000) ?? 100,
                MostCriticalServices = body.Int("mostCriticalServices", 1, 1000),
            };
            body.ThrowIfInvalid();
            return Results.Ok(await m.Send(request, ct));
        }).WithTags("CMDB").WithName("AnalyseImpact").Accepts<ImpactBody>("application/json").Produces<ImpactView>()
            .ProducesValidationProblem().ProducesProblem(403);

        var relationships = api.MapGroup("/relationships").WithTags("CMDB");
        relationships.MapPost("/", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<LinkCisBody>(req, ct);
            var command = new LinkConfigurationItems(body.Long("sourceId", required: true) ?? 0, body.String("type", 60, required: true),
                body.Long("targetId", required: true) ?? 0, body.String("reason", CmdbWriter.MaxReason), body.String("changeNumber", 20));
            body.ThrowIfInvalid();
            var relationship = await m.Send(command, ct);
            return Results.Created($"/api/v1/relationships/{relationship.Id}", relationship);
        }).WithName("LinkCis").Accepts<LinkCisBody>("application/json").Produces<RelationshipView>(201)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        relationships.MapDelete("/{id:long}", async (long id, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "reason");
            var reason = q.Text("reason");
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(new DeleteRelationship(id, reason), ct));
        }).WithName("DeleteRelationship").Produces<RelationshipView>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        var cmdb = api.MapGroup("/cmdb").WithTags("CMDB");
        cmdb.MapGet("/changesets", async (HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "from", "to", "ciId", "pathTo", "changeNumber", "unauthorised", "page", "pageSize");
            var request = new ListCmdbChangesets
            {
                From = q.Time("from"), To = q.Time("to"), CiId = q.Long("ciId"), PathTo = q.Long("pathTo"), ChangeNumber = q.Text("changeNumber"),
                Unauthorised = q.Bool("unauthorised") ?? false,
                Page = q.Int("page", 1), PageSize = q.Int("pageSize", 50),
            };
            q.ThrowIfInvalid();
            var page = await m.Send(request, ct);
            return Results.Ok(new ChangesetPage(page.Items, page.Total, page.PageNumber, page.PageSize, page.PageCount));
        }).WithName("ListCmdbChangesets").Produces<ChangesetPage>().ProducesValidationProblem().ProducesProblem(403);

        cmdb.MapGet("/diff", async (HttpRequest req, IClock clock, IMediator m, CancellationToken ct) =>
        {
            var q = Query.Of(req, "from", "to", "ciId", "pathTo");
            var from = q.Time("from") ?? q.Fail<DateTimeOffset?>("from", "Give the earlier time, e.g. from=2026-11-01T00:00:00Z.", null);
            var request = new DiffCmdb(from ?? default, q.Time("to") ?? clock.UtcNow) { CiId = q.Long("ciId"), PathTo = q.Long("pathTo") };
            q.ThrowIfInvalid();
            return Results.Ok(await m.Send(request, ct));
        }).WithName("DiffCmdb").Produces<CmdbDiff>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        cmdb.MapGet("/classes", (HttpRequest req, IMediator m, CancellationToken ct) =>
            {
                Query.Of(req).ThrowIfInvalid(); // it takes no parameters: ?class=server must not look like a filter
                return m.Send(new ListCiClasses(), ct);
            })
            .WithName("ListCiClasses").Produces<CmdbVocabulary>().ProducesProblem(403);

        return api;
    }

    private static AnalyseImpact ImpactQuery(HttpRequest req, long[] ids, bool dependencies)
    {
        var q = Query.Of(req, "depth", "asOf", "page", "pageSize");
        var request = new AnalyseImpact(ids)
        {
            ByPath = true,
            Depth = q.Int("depth", GraphQueries.DefaultDepth), AsOf = q.Time("asOf"),
            Page = q.Int("page", 1), PageSize = q.Int("pageSize", 100), Dependencies = dependencies,
        };
        q.ThrowIfInvalid();
        return request;
    }

    private static CiInput Values(JsonInput body, bool create) => new()
    {
        Name = body.String("name", CiValidation.MaxNameLength, required: create),
        Status = body.String("status", 40),
        Environment = body.String("environment", 60),
        Criticality = body.Int("criticality", 1, 4),
        OwnerGroup = body.String("ownerGroup", 200),
        SupportGroup = body.String("supportGroup", 200),
        Restricted = body.Bool("restricted"),
        Redundancy = body.String("redundancy", 40),
        Attributes = body.Has("attributes") ? body.StringMap("attributes") : null,
    };

    private static DateTimeOffset? ParseTime(JsonInput body, string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t.ToUniversalTime();
        body.Error("asOf", "Must be a time, e.g. 2026-11-01T00:00:00Z.");
        return null;
    }

    private static IResult WithETag(HttpResponse res, CiDetails ci, IResult result)
    {
        if (ci.AsOf is null) res.Headers.ETag = $"\"{ci.Version}\"";
        return result;
    }
}

public sealed record CiPage(IReadOnlyList<CiSummary> Items, int Total, int Page, int PageSize, int PageCount);
public sealed record ChangesetPage(IReadOnlyList<ChangesetView> Items, int Total, int Page, int PageSize, int PageCount);
