using Itsm.Application.Common;
using Itsm.Application.Features.Cmdb;
using Itsm.Domain.Common;
using Itsm.Web.Pages.Shared;
using MediatR;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Itsm.Web.Api;

/// <summary>POST /api/v1/cmdb/import: a JSON document or a CSV file (docs/cmdb-import-format.md), read as it streams in.</summary>
public static class CmdbImportEndpoints
{
    public static RouteGroupBuilder MapCmdbImportEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/cmdb/import", async (HttpRequest req, ICurrentUser user, IMediator m, CancellationToken ct) =>
        {
            // The role first: nobody else gets to make the server read up to 100 MiB.
            if (!PageRoles.MaySend<ImportCmdb>(user.Actor)) throw new ForbiddenException("Importing into the CMDB needs the role Engineer or Admin.");
            var q = Query.Of(req, "source", "reason", "changeNumber", "rows");
            var source = q.Text("source", ImportCmdb.MaxSource);
            var reason = q.Text("reason", CmdbWriter.MaxReason);
            var changeNumber = q.Text("changeNumber", 20);
            var kind = Kind(req.ContentType);
            CmdbImportRows? rows = q.Text("rows") switch
            {
                null => null,
                "cis" => CmdbImportRows.Cis,
                "relationships" => CmdbImportRows.Relationships,
                var other => q.Fail<CmdbImportRows?>("rows", $"'{other}' is not a kind of row: cis or relationships.", null),
            };
            if (kind == "csv" && rows is null && req.Query["rows"].Count == 0) q.Fail<string?>("rows", "A CSV file holds one kind of row: add ?rows=cis or ?rows=relationships.", null);
            if (kind == "json" && req.Query["rows"].Count > 0) q.Fail<string?>("rows", "Only for CSV: a JSON document holds both kinds of row.", null);
            q.ThrowIfInvalid();
            if (req.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                limit.MaxRequestBodySize = CmdbImportReader.MaxBytes + 1024 * 1024; // the reader stops at MaxBytes with a clear 400
            var command = kind == "json"
                ? await CmdbImportReader.ReadJsonAsync(req.Body, source, reason, ct)
                : await CmdbImportReader.ReadCsvAsync(req.Body, rows!.Value, source, reason, changeNumber, ct);
            if (command.ChangeNumber is null && changeNumber is not null) command = command with { ChangeNumber = changeNumber };
            return Results.Ok(await m.Send(command, ct));
        }).WithTags("CMDB").WithName("ImportCmdb").Accepts<CmdbImportBody>("application/json", "text/csv").Produces<CmdbImportResult>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(415);
        return api;
    }

    /// <summary>"json", "csv", or a 415 that says what is taken.</summary>
    private static string Kind(string? contentType)
    {
        if (MediaTypeHeaderValue.TryParse(contentType, out var type)
            && (type.Charset.Length == 0 || string.Equals(type.Charset.Value, "utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            var media = type.MediaType.Value;
            if (string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase)
                || string.Equals(media, "application/merge-patch+json", StringComparison.OrdinalIgnoreCase)) return "json";
            if (string.Equals(media, "text/csv", StringComparison.OrdinalIgnoreCase)) return "csv";
        }
        throw new BadHttpRequestException(
            contentType is null
                ? "The request has no Content-Type; send Content-Type: application/json or text/csv (UTF-8)."
                : $"Content-Type '{contentType}' is not supported; send application/json or text/csv (UTF-8).",
            StatusCodes.Status415UnsupportedMediaType);
    }
}

/// <summary>The import document (docs/cmdb-import-format.md), as the OpenAPI document shows it.</summary>
public sealed record CmdbImportBody(string? Source = null, string? Reason = null, string? ChangeNumber = null,
    List<CmdbImportCiBody>? Cis = null, List<CmdbImportRelationshipBody>? Relationships = null);

/// <summary>A CI row: <c>key</c> is the source's own key; attribute values may be strings, numbers or booleans.</summary>
public sealed record CmdbImportCiBody(string Class, string? Key = null, string? Name = null, string? Status = null, string? Environment = null,
    int? Criticality = null, string? OwnerGroup = null, string? SupportGroup = null, bool? Restricted = null, string? Redundancy = null,
    Dictionary<string, object?>? Attributes = null);

/// <summary>A relationship row: each end a key of the import's source or <c>#id</c>.</summary>
public sealed record CmdbImportRelationshipBody(string Source, string Type, string Target);
