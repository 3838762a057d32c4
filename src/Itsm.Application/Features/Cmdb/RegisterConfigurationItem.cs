using System.Security.Cryptography;
using System.Text.Json;
using Itsm.Application.Common;
using Itsm.Domain.Cmdb;
using Itsm.Domain.Common;
using Itsm.Domain.Identity;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Application.Features.Cmdb;

/// <summary>
/// Registers a CI in the CMDB, in a changeset of its own. With an <see cref="IdempotencyKey"/>, a retry with the same
/// values is answered with the CI the first request made (the key's record, "CI&lt;id&gt;", is saved with it); the key
/// reused with other values is refused.
/// </summary>
[AuthorizeRoles(Roles.Engineer, Roles.Admin)]
public sealed record RegisterConfigurationItem(string? Class, CiInput Values, string? Reason = null, string? ChangeNumber = null) : IRequest<CiDetails>, ICommand
{
    public const string KeyPrefix = "CI";
    public string? IdempotencyKey { get; init; }
}

public sealed class RegisterConfigurationItemValidator : IRequestValidator<RegisterConfigurationItem>
{
    public IEnumerable<(string, string)> Validate(RegisterConfigurationItem r) => IdempotencyRecord.CheckKey(r.IdempotencyKey);
}

public sealed class RegisterConfigurationItemHandler(
    IItsmDbContext db, ICurrentUser user, CmdbModel model, CiInputResolver resolver, CmdbWriter writer, CiViews views)
    : IRequestHandler<RegisterConfigurationItem, CiDetails>
{
    public async Task<CiDetails> Handle(RegisterConfigurationItem r, CancellationToken ct)
    {
        var actor = user.Actor;
        var hash = r.IdempotencyKey is null ? "" : Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(r with { IdempotencyKey = null })));
        if (r.IdempotencyKey is { } idempotencyKey && await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(x => x.Key == idempotencyKey && x.UserId == actor.UserId, ct) is { } seen)
        {
            if (seen.RequestHash != hash || !seen.TicketNumber.StartsWith(RegisterConfigurationItem.KeyPrefix, StringComparison.Ordinal)
                || !long.TryParse(seen.TicketNumber[RegisterConfigurationItem.KeyPrefix.Length..], out var earlier))
                throw new BusinessRuleException("idempotency-key-reused", "This Idempotency-Key was already used with a different request body.");
            return await views.DetailsAsync(actor, earlier, null, ct);
        }
        var cls = model.RequireConcreteClass("class", r.Class);
        var values = await resolver.RequireAsync(cls, r.Values, null, ct);
        if (CiValidation.IdentityKey(cls, values) is { } key && await db.ConfigurationItems.AnyAsync(c => c.ClassCode == cls.Code && c.IdentityKey == key, ct))
            throw new BusinessRuleException("ci-duplicate",
                $"A {cls.Code} with the same {string.Join(" and ", cls.Identifiers)} is already in the CMDB.");
        var changeset = await writer.BeginAsync(actor, r.Reason, r.ChangeNumber, null, ct);
        var ci = ConfigurationItem.Register(cls, values, null, null, changeset);
        db.ConfigurationItems.Add(ci);
        await writer.SaveAsync(ct);
        writer.Record(CmdbChangeEntry.Created(changeset.Id, ci));
        if (r.IdempotencyKey is not null)
            db.IdempotencyRecords.Add(new IdempotencyRecord(r.IdempotencyKey, actor.UserId, hash, RegisterConfigurationItem.KeyPrefix + ci.Id, changeset.At));
        await writer.SaveAsync(ct);
        return await views.DetailsAsync(actor, ci.Id, null, ct);
    }
}
