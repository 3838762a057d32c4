using System.Text.Json;
using Itsm.Domain.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Web.Infrastructure;

/// <summary>One place that turns exceptions into RFC 9457 problem details; bad input never becomes a 500.</summary>
public sealed class ProblemDetailsMapping(IProblemDetailsService problems, ILogger<ProblemDetailsMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = Map(exception, http.Request.Headers.IfMatch.Count > 0);
        if (problem is null)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", http.Request.Method, http.Request.Path.Value);
            return false;
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails? Map(Exception exception, bool hadIfMatch) => exception switch
    {
        FieldValidationException v => new ValidationProblemDetails(v.Errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = 400, Title = "The request has invalid fields.",
        },
        BusinessRuleException { Rule: "idempotency-key-reused" } b => Problem(422, "Idempotency-Key reused.", b.Message),
        BusinessRuleException b => Problem(409, "A business rule was broken.", b.Message, b.Rule),
        NotFoundException n => Problem(404, "Not found.", n.Message),
        ForbiddenException f => Problem(403, "Forbidden.", f.Message),
        UnauthorizedAccessException => Problem(401, "Sign in first.", "This needs an authenticated user."),
        ConcurrencyConflictException c => Problem(hadIfMatch ? 412 : 409, "The record changed.", c.Message),
        DbUpdateConcurrencyException => Problem(hadIfMatch ? 412 : 409, "The record changed.",
            "Someone else changed this record at the same time. Reload it and try again."),
        BadHttpRequestException { StatusCode: 413 } => Problem(400, "The body is too large.", "Request bodies are limited to 1 MiB."),
        BadHttpRequestException { StatusCode: 415 } m => Problem(415, "Unsupported media type.", m.Message),
        BadHttpRequestException b => Problem(400, "Bad request.", b.Message),
        JsonException j => Problem(400, "Malformed JSON.", j.Message),
        _ => null,
    };

    private static ProblemDetails Problem(int status, string title, string detail, string? rule = null)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (rule is not null) p.Extensions["rule"] = rule;
        return p;
    }
}
