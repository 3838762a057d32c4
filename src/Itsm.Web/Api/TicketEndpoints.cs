using System.Globalization;
using Itsm.Application.Features.Tickets;
using Itsm.Domain.Common;
using Itsm.Domain.Tickets;
using MediatR;

namespace Itsm.Web.Api;

/// <summary>
/// The endpoints every kind of ticket has, mapped once: allowed transitions and running one, take, comments, history.
/// A module maps its own list, read, create and update next to these.
/// </summary>
public static class TicketEndpoints
{
    /// <param name="get">Reads the module's details of a ticket by number (the response of the writes).</param>
    public static RouteGroupBuilder MapTicketCore<TDetails>(this RouteGroupBuilder g, TicketKind kind, Func<IMediator, string, CancellationToken, Task<TDetails>> get)
        where TDetails : TicketDetails
    {
        var noun = kind.ToString();

        g.MapGet("/{number}/transitions", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new GetAllowedTransitions(kind, number), ct)))
            .WithName($"GetAllowed{noun}Transitions").Produces<IReadOnlyList<TransitionOption>>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{number}/transitions", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<TransitionBody>(req, ct);
            var command = new TransitionTicket
            {
                Kind = kind,
                Number = number,
                Transition = body.String("transition", 60, required: true) ?? "",
                Fields = body.StringMap("fields"),
                ExpectedVersion = IfMatch(req),
            };
            body.ThrowIfInvalid();
            var done = await m.Send(command, ct);
            var details = await get(m, done.Number, ct);
            return WithETag(res, details, Results.Ok(details));
        }).WithName($"Transition{noun}").Accepts<TransitionBody>("application/json").Produces<TDetails>()
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapPost("/{number}/take", async (string number, HttpRequest req, HttpResponse res, IMediator m, CancellationToken ct) =>
        {
            var taken = await m.Send(new TakeTicket(kind, number, IfMatch(req)), ct);
            var details = await get(m, taken, ct);
            return WithETag(res, details, Results.Ok(details));
        }).WithName($"Take{noun}").Produces<TDetails>().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);

        g.MapGet("/{number}/comments", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new ListTicketWorklog(kind, number), ct)))
            .WithName($"List{noun}Comments").Produces<IReadOnlyList<WorklogItem>>().ProducesProblem(403).ProducesProblem(404);

        g.MapPost("/{number}/comments", async (string number, HttpRequest req, IMediator m, CancellationToken ct) =>
        {
            var body = await JsonInput.ReadAsync<CommentBody>(req, ct);
            var command = new CommentOnTicket
            {
                Kind = kind,
                Number = number,
                Text = body.String("text", 8000, required: true) ?? "",
                WorkNote = body.Bool("workNote") ?? false,
            };
            body.ThrowIfInvalid();
            var entry = await m.Send(command, ct);
            return Results.Created($"{req.PathBase}{req.Path}", entry);
        }).WithName($"CommentOn{noun}").Accepts<CommentBody>("application/json").Produces<WorklogItem>(201)
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        g.MapGet("/{number}/history", async (string number, IMediator m, CancellationToken ct) =>
                Results.Ok(await m.Send(new GetTicketHistory(kind, number), ct)))
            .WithName($"Get{noun}History").Produces<IReadOnlyList<HistoryItem>>().ProducesProblem(403).ProducesProblem(404);

        return g;
    }

    public static IResult WithETag(HttpResponse res, TicketDetails ticket, IResult result)
    {
        res.Headers.ETag = $"\"{ticket.Version}\"";
        return result;
    }

    /// <summary>The version the caller last saw, from If-Match ("5" or W/"5"); a malformed one is a 400.</summary>
    public static int? IfMatch(HttpRequest req)
    {
        var value = req.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0) return null;
        if (value.StartsWith("W/", StringComparison.Ordinal)) value = value[2..];
        if (int.TryParse(value.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        throw new FieldValidationException("If-Match", "Send the ETag you received, e.g. \"3\".");
    }
}
